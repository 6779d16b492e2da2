"""The sign-in and password-reset forms, throttled (samspill/accounts/throttle.py)."""

import datetime
from collections.abc import Iterator
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.http import HttpRequest
from django.template import loader
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from samspill.accounts import throttle
from samspill.accounts.models import User
from samspill.core.admin_site import OperatorAuthenticationForm
from samspill.organisations.models import Membership
from samspill.outbox.services import outbox_put


def password_refused(user: User) -> bool:
    """With STAFF_PASSWORD_LOGIN off, staff (anyone with a membership, active or not) sign in
    only with their organisation's account; portal users and operators keep their passwords."""
    return not settings.STAFF_PASSWORD_LOGIN and Membership.objects.filter(user_id=user.pk).exists()


def _try_again_at(until: datetime.datetime) -> str:
    return formats.time_format(timezone.localtime(until), "H:i")


class LoginForm(AuthenticationForm):
    """Django's sign-in form, refused while the account or the address is locked.

    `locked_message` is set when it is: the page shows it instead of "wrong password", and it
    reads the same whether the account exists or not."""

    locked_message: str = ""
    refused_message: str = ""

    def clean(self) -> dict[str, Any]:
        assert self.request is not None  # LoginView always passes it
        email = throttle.normalise_email(self.cleaned_data.get("username") or "")
        keys = [
            (throttle.LOGIN_ACCOUNT, email),
            (throttle.LOGIN_ADDRESS, throttle.client_address(self.request)),
        ]
        until = throttle.locked_until(keys=keys)
        if until is not None:
            self.locked_message = _("Too many attempts to log in. Try again after %(time)s.") % {
                "time": _try_again_at(until)
            }
            raise forms.ValidationError(self.locked_message, code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if email:
                throttle.throttle_count(keys=keys)
            raise
        throttle.throttle_clear(keys=keys[:1])
        return cleaned

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if password_refused(user):
            # Said only after the right password: it tells nobody else that the account exists.
            self.refused_message = _(
                "Staff sign in with their organisation's account: use the button "
                "“Sign in with your organisation”."
            )
            raise forms.ValidationError(self.refused_message, code="password_refused")


class ResetForm(PasswordResetForm):
    """Django's password-reset form; every request counts, by e-mail address and by client
    address, so that nobody can flood an inbox or mail many accounts."""

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        email = cleaned.get("email")
        if email:
            keys = [
                (throttle.RESET_ACCOUNT, throttle.normalise_email(email)),
                (throttle.RESET_ADDRESS, throttle.client_address(self.request)),
            ]
            until = throttle.locked_until(keys=keys)
            if until is not None:
                self.add_error(
                    "email",
                    _("Too many attempts to reset a password. Try again after %(time)s.")
                    % {"time": _try_again_at(until)},
                )
            else:
                throttle.throttle_count(keys=keys)
        return cleaned

    def get_users(self, email: str) -> Iterator[Any]:
        # No reset link for staff who may not sign in with a password (the page reads the same).
        for user in super().get_users(email):
            if not password_refused(user):
                yield user

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        """Through the outbox like every e-mail of ours: a relay that is down delays the link
        instead of losing it. Plain text only (Django's default templates)."""
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        outbox_put(to=[to_email], subject=subject, body=body)


class AdminLoginForm(LoginForm, OperatorAuthenticationForm):
    """The admin's sign-in (platform operators only, core/admin_site.py), counted and locked
    with the same keys as the main one: otherwise /admin/login/ would be a way around the
    limit."""
