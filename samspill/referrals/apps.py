from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "samspill.referrals"
    label = "referrals"
    verbose_name = _("Referrals")

    def ready(self) -> None:
        # A referred participant needs a clarification saying "ready" before a placement
        # is drafted (see referrals/clarifications.py for why the check is registered).
        from samspill.placements.services import DRAFT_CHECKS
        from samspill.referrals.clarifications import check_ready_for_practice

        if check_ready_for_practice not in DRAFT_CHECKS:
            DRAFT_CHECKS.append(check_ready_for_practice)
