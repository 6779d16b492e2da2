from django.contrib import admin

from samspill.audit.admin import ReadOnlyAdmin
from samspill.loops.models import Gathering, Loop


@admin.register(Loop)
class LoopAdmin(ReadOnlyAdmin):
    """Read-only: every change goes through the services, which keep the square Latin and
    write the audit event."""

    list_display = ["name", "organisation", "start_date", "driver", "counselor"]
    list_filter = ["organisation"]
    list_select_related = ["organisation", "driver", "counselor"]
    date_hierarchy = "start_date"


@admin.register(Gathering)
class GatheringAdmin(ReadOnlyAdmin):
    list_display = ["date", "kind", "organisation", "loop", "place"]
    list_filter = ["kind", "organisation"]
    list_select_related = ["organisation", "loop"]
    date_hierarchy = "date"
