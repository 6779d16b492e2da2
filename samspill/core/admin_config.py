"""Installs `core.admin_site.OperatorAdminSite` as `admin.site` (INSTALLED_APPS names this
instead of "django.contrib.admin"). The site is imported when the admin is ready, so that its
module may import models."""

from django.contrib.admin.apps import AdminConfig


class OperatorAdminConfig(AdminConfig):
    default_site = "samspill.core.admin_site.OperatorAdminSite"
