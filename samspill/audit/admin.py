"""The audit trail and the access log in the platform operator's admin: read-only, like
everywhere (the trail is append-only: nobody edits or deletes a row).

An operator needs them to answer an incident ("who changed or read what, when"). They name a
person's record by its number only, never by the record itself (whose name would show), so
reading them reads no one's data and writes no access-log row of its own.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from samspill.audit.models import AccessLog, AuditEvent
from samspill.core.admin_site import ReadOnlyAdmin

# Kept for the apps' admin modules that imported it from here.
__all__ = ["AccessLogAdmin", "AuditEventAdmin", "ReadOnlyAdmin"]


class ByNumberAdmin(ReadOnlyAdmin):
    """Shows the participant as a number: their record's name is not the operator's to read."""

    readonly_fields = ["participant_number"]

    @admin.display(description=_("participant"))
    def participant_number(self, obj: AuditEvent | AccessLog) -> int | None:
        return obj.participant_id


@admin.register(AuditEvent)
class AuditEventAdmin(ByNumberAdmin):
    list_display = [
        "created_at",
        "actor",
        "action",
        "object_type",
        "object_id",
        "participant_number",
    ]
    list_filter = ["action"]
    list_select_related = ["actor"]
    fields = [
        "created_at",
        "organisation",
        "actor",
        "action",
        "object_type",
        "object_id",
        "participant_number",
        "data",
    ]


@admin.register(AccessLog)
class AccessLogAdmin(ByNumberAdmin):
    list_display = ["accessed_at", "actor", "participant_number", "what", "why"]
    list_filter = ["why"]
    list_select_related = ["actor"]
    fields = ["accessed_at", "organisation", "actor", "participant_number", "what", "why"]
