from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "samspill.portal"
    label = "portal"
    verbose_name = _("Employer and mentor portal")
