from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samspill.accounts import services
from samspill.accounts.forms import LoginForm, ResetForm
from samspill.accounts.oidc import end_session_url, oidc_enabled
from samspill.core.forms import add_service_errors
from samspill.core.http import AuthedRequest


class SettingsForm(forms.Form):
    email_reminders = forms.BooleanField(
        label=gettext_lazy("Send me reminders by e-mail"),
        required=False,
        help_text=gettext_lazy(
            "One short e-mail a day with how many things are due. Names are never included."
        ),
    )
    phone = forms.CharField(
        label=gettext_lazy("My work phone"),
        required=False,
        max_length=40,
        help_text=gettext_lazy(
            "Shown to the participants you follow, on their own pages, so they can call you."
        ),
    )

    def __init__(self, *args: Any, staff: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not staff:
            # A participant's or contact's phone is on their record, not their login.
            del self.fields["phone"]


@login_required
def account_settings(request: AuthedRequest) -> HttpResponse:
    # A lazy object: None inside is still an object, so ask for its truth.
    staff = bool(request.membership)
    # An unticked checkbox sends an empty POST, which must still count as a submission.
    data = request.POST if request.method == "POST" else None
    user = request.user
    form = SettingsForm(
        data, staff=staff, initial={"email_reminders": user.email_reminders, "phone": user.phone}
    )
    if request.method == "POST" and form.is_valid():
        try:
            if staff and form.cleaned_data["phone"].strip() != user.phone:
                services.user_set_phone(user=user, by=user, phone=form.cleaned_data["phone"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            services.user_set_email_reminders(
                user=user, by=user, enabled=form.cleaned_data["email_reminders"]
            )
            messages.success(request, _("Your settings were saved."))
            return redirect("account_settings")
    return render(
        request,
        "accounts/settings.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


class LoginView(auth_views.LoginView):
    """Django's sign-in page with a throttled form (samspill/accounts/throttle.py)."""

    form_class = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "oidc_enabled": oidc_enabled()}


class LogoutView(auth_views.LogoutView):
    """Django's sign-out (POST only); after a sign-in with the organisation's account, the
    browser goes on to the provider to end its session too, when the provider offers that
    (accounts/oidc.py, `end_session_url`), and comes back to the login page."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        provider_logout = end_session_url(request)  # before the session is flushed
        response: HttpResponse = super().post(request, *args, **kwargs)
        if provider_logout:
            return HttpResponseRedirect(provider_logout)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password-reset page; the form counts requests by e-mail and client address."""

    form_class = ResetForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}
