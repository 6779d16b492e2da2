from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from samspill.audit.models import AccessLog, AuditEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """The trail is append-only: nobody edits or deletes a row, not even an administrator."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor", "action", "object_type", "object_id", "participant_id"]
    list_filter = ["action"]
    list_select_related = ["actor"]


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ["accessed_at", "actor", "participant_id", "what", "why"]
    list_filter = ["why"]
    list_select_related = ["actor"]
