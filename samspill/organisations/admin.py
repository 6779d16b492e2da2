from django.contrib import admin

from samspill.organisations.models import Membership, Organisation, Team


class TeamInline(admin.TabularInline):
    model = Team
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "team_sees_team_participants"]
    list_filter = ["kind", "country"]
    search_fields = ["name"]
    inlines = [TeamInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "team", "role", "is_active"]
    list_filter = ["role", "is_active", "organisation"]
    search_fields = ["user__email", "user__full_name"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "organisation", "team"]
