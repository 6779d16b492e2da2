from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "samspill.learning"
    verbose_name = _("Learning organisation")

    def ready(self) -> None:
        # The Today page's sparring list and its reminders (followup is lower than learning).
        from samspill.learning import sparring_today

        sparring_today.register()
