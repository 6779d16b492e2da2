"""Django admin is the platform operator's tool, not an organisation's.

A platform operator is an active superuser of the installation (made with
`samspill createsuperuser`) who works in no organisation: no active membership, and not an
employer contact's or a participant's own login. Nobody else gets in, whatever flags their
account carries: an organisation's administrator, leader or counselor who somehow has
`is_staff`/`is_superuser` is sent to the admin's login page, which refuses them too.
Everything an organisation does (staff, teams, settings, case records) goes through its own
pages and services, which check the organisation and write the audit trail.

What the operator sees there is read-only (see each app's admin.py): organisations with their
teams, memberships, staff accounts, API tokens without their secrets, the audit trail and
access logs, which name a person's record by number only, and the background task queue
(django-tasks-db's own read-only admin: our tasks carry ids and counts, never a person's data),
to see whether the reminders and analyses run. Case data is not registered at all.
"""

from typing import Any

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def is_platform_operator(user: Any) -> bool:
    """Whether `user` may use Django admin (see the module docstring)."""
    if not (
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.is_staff
        and user.is_superuser
    ):
        return False
    from samspill.employers.models import EmployerContact
    from samspill.participants.models import Participant

    return not (
        user.memberships.filter(is_active=True).exists()
        or EmployerContact.objects.filter(user=user).exists()
        or Participant.objects.filter(portal_user=user).exists()
    )


class OperatorAuthenticationForm(AdminAuthenticationForm):
    """The admin's sign-in refuses anyone who is not a platform operator, before signing in."""

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if not is_platform_operator(user):
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class OperatorAdminSite(admin.AdminSite):
    """`admin.site` (installed by `admin_config.OperatorAdminConfig`): only for operators."""

    login_form = OperatorAuthenticationForm

    def has_permission(self, request: HttpRequest) -> bool:
        # Asked several times per page (the view, the sidebar, the context): decided once.
        if not hasattr(request, "_is_platform_operator"):
            request._is_platform_operator = is_platform_operator(request.user)  # type: ignore[attr-defined]
        return bool(request._is_platform_operator)  # type: ignore[attr-defined]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shows rows and writes none: every change of state goes through a service, which checks
    the organisation and writes the audit event; the admin would bypass both."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    """An inline that shows rows and writes none (see ReadOnlyAdmin)."""

    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
