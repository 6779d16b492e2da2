from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from samspill.audit.admin import ReadOnlyAdmin
from samspill.referrals.models import Referral, ReferralAccessLog


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    """Read-only: every change goes through the services (with its audit event), and the
    records are personal data, so the admin lists them without names."""

    list_display = ["id", "organisation", "received_on", "source", "outcome", "taken_by"]
    list_filter = ["source", "outcome", "organisation"]
    list_select_related = ["organisation", "taken_by"]
    date_hierarchy = "received_on"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ReferralAccessLog)
class ReferralAccessLogAdmin(ReadOnlyAdmin):
    list_display = ["accessed_at", "actor", "referral_id", "what", "why"]
    list_filter = ["why"]
    list_select_related = ["actor"]
