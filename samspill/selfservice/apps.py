from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelfServiceConfig(AppConfig):
    name = "samspill.selfservice"
    label = "selfservice"
    verbose_name = _("The participant's own pages")

    def ready(self) -> None:
        # The counselor's Today page lists what participants wrote (followup/today.py's
        # registry): followup is lower than this app and must not import it.
        # Likewise the participant's own calendar feed (loops/ical.py) gets their meetings,
        # placements and follow-ups.
        from samspill.selfservice import schedule, today

        today.register()
        schedule.register()
