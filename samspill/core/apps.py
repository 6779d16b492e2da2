from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "samspill.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from samspill.core import checks  # noqa: F401  (registers the deploy checks)
        from samspill.core.errors import connect_reporter

        connect_reporter()
