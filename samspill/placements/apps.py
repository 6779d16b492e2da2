from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacementsConfig(AppConfig):
    name = "samspill.placements"
    label = "placements"
    verbose_name = _("Placements")

    def ready(self) -> None:
        from samspill.participants import services as participant_services
        from samspill.placements.services import period_end_check

        if period_end_check not in participant_services.PERIOD_END_CHECKS:
            participant_services.PERIOD_END_CHECKS.append(period_end_check)
