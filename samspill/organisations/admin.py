"""Organisations, their teams and memberships in the platform operator's admin: read-only.

The operator sees which organisations the installation holds and who administers each, to
help an administrator who is locked out. Nobody creates or changes one here: a new
organisation and its first administrator are made with `samspill organisation_create`, and
everything after that by the organisation's administrator on its own pages; both go through
services that write the audit trail (see core/admin_site.py).
"""

from django.contrib import admin

from samspill.core.admin_site import ReadOnlyAdmin, ReadOnlyInline
from samspill.organisations.models import Membership, Organisation, Team


class TeamInline(ReadOnlyInline):
    model = Team
    fields = ["name"]


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "country", "created_at"]
    list_filter = ["kind", "country"]
    search_fields = ["name"]
    inlines = [TeamInline]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["user", "organisation", "team", "role", "is_active"]
    list_filter = ["role", "is_active", "organisation"]
    search_fields = ["user__email", "user__full_name"]
    list_select_related = ["user", "organisation", "team"]
