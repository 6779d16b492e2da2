"""Accounts in the platform operator's admin (see core/admin_site.py): read-only.

The operator sees who has an account and which accounts are superusers, to answer "who can
sign in, and who is an operator". Nobody sets a password, a flag or a group here: staff are
added and removed by their organisation's administrator, and a password is set only by its
owner (the reset link). A participant's own login is left out: that it exists says that the
person is a participant somewhere, which is case data.
"""

from django.contrib import admin
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.http import HttpRequest

from samspill.accounts.forms import AdminLoginForm
from samspill.accounts.models import ApiToken, User
from samspill.core.admin_site import ReadOnlyAdmin

# Roles live on memberships (organisations.Membership.Role); Django's groups are unused.
admin.site.unregister(Group)

# The admin's sign-in is throttled like the main one (samspill/accounts/throttle.py).
admin.site.login_form = AdminLoginForm


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    ordering = ["full_name"]
    list_display = ["email", "full_name", "is_active", "is_superuser", "last_login"]
    list_filter = ["is_active", "is_superuser"]
    search_fields = ["email", "full_name"]
    fields = ["email", "full_name", "is_active", "is_staff", "is_superuser", "last_login"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).filter(participant_record__isnull=True)


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Tokens by name and prefix, never their hash. They are made and revoked with
    `samspill api_token` (or by an organisation's administrator), which audits it."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    fields = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_select_related = ["user"]
    search_fields = ["name", "user__email"]
