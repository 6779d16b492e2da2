from django.contrib import admin
from django.http import HttpRequest

from samspill.employers.models import (
    ContactPersonChange,
    Employer,
    EmployerContact,
    IntentionAgreement,
    MentorSupportContact,
    OutreachActivity,
    RecruitmentNeed,
)


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ["name", "org_number", "municipality", "stage", "organisation"]
    search_fields = ["name", "org_number"]
    list_filter = ["organisation", "stage"]
    raw_id_fields = ["organisation"]


@admin.register(EmployerContact)
class EmployerContactAdmin(admin.ModelAdmin):
    list_display = ["name", "employer", "is_mentor", "confidentiality_signed_on", "is_active"]
    search_fields = ["name", "email"]
    raw_id_fields = ["employer"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """History rows are written by the services only."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


for model in (
    ContactPersonChange,
    RecruitmentNeed,
    IntentionAgreement,
    OutreachActivity,
    MentorSupportContact,
):
    admin.site.register(model, ReadOnlyAdmin)
