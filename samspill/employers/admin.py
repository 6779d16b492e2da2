from django.contrib import admin

from samspill.employers.models import Employer


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ["name", "org_number", "municipality", "organisation"]
    search_fields = ["name", "org_number"]
    list_filter = ["organisation"]
