from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelfServiceConfig(AppConfig):
    name = "samspill.selfservice"
    label = "selfservice"
    verbose_name = _("The participant's own pages")

    def ready(self) -> None:
        # The counselor's Today page lists what participants wrote (followup/today.py's
        # registry): followup is lower than this app and must not import it.
        from samspill.selfservice import today

        today.register()
