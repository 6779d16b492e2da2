"""Installs `core.admin_site.OperatorAdminSite` as `admin.site` (INSTALLED_APPS names this
instead of "django.contrib.admin"), and gives django-tasks-db a translated name. The site is
imported when the admin is ready, so that its module may import models."""

from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class OperatorAdminConfig(AdminConfig):
    default_site = "samspill.core.admin_site.OperatorAdminSite"


class TasksConfig(TasksAppConfig):
    """django-tasks-db under a translated name: the operator's admin lists it as "Background
    tasks", not the package's English "Tasks Database Backend"."""

    verbose_name = _("Background tasks")  # type: ignore[assignment]  # lazy, as Django allows
