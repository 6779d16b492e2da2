from django.contrib import admin

from samspill.placements.models import Concern, MentorNote, Placement


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    list_display = ["title", "employer", "kind", "start_date", "end_date"]
    list_filter = ["kind"]
    raw_id_fields = ["participant", "employer", "mentor"]


admin.site.register(MentorNote)
admin.site.register(Concern)
