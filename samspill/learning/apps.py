from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "samspill.learning"
    verbose_name = _("Learning organisation")

    def ready(self) -> None:
        # The look-back and review reminders join followup's daily run and digest.
        from samspill.followup.reminders import reminder_source_register
        from samspill.learning.programme_reminders import LABELS, WHERE, learning_reminders

        reminder_source_register(learning_reminders, labels=LABELS, where=WHERE)

        # The Today page's sparring list and its reminders (followup is lower than learning).
        from samspill.learning import sparring_today

        sparring_today.register()

        # The Today page's learning-goal reviews due (the leader's follow-up conversations).
        from samspill.learning import reviews_today

        reviews_today.register()
