"""Writes for belief check-ins (STYLE.md 2). Sparring about a lost belief is a case in
learning/sparring_services.py."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.accounts.models import User
from samspill.audit.services import audit_record
from samspill.followup.models import Belief, BeliefCheckIn
from samspill.participants.models import Participant

# A drop to these steps, or a drop of this many steps, suggests asking a colleague for sparring.
LOW_BELIEF = (Belief.PROBABLY_NOT, Belief.NO)
SPARRING_DROP_STEPS = 2


@dataclass(frozen=True)
class CheckInResult:
    checkin: BeliefCheckIn
    previous: BeliefCheckIn | None
    suggest_sparring: bool


def belief_suggests_sparring(*, belief: int, previous_belief: int | None) -> bool:
    """A lost belief is worth talking over with a colleague: a fall to "probably not" or "no"
    from a higher step (or as a first answer), or a fall of two steps or more."""
    if previous_belief is None:
        return belief in LOW_BELIEF
    if belief >= previous_belief:
        return False
    return belief in LOW_BELIEF or previous_belief - belief >= SPARRING_DROP_STEPS


@transaction.atomic
def checkin_record(
    *,
    participant: Participant,
    by: User,
    belief: int,
    asked_on: datetime.date,
    strengthen: str = "",
    self_belief: int | None = None,
    market_belief: int | None = None,
) -> CheckInResult:
    """Record the counselor's belief (and, when answered, their belief in the labour market
    and the participant's own)."""
    if participant.active_period_id is None:
        raise ValidationError(_("Belief check-ins are recorded during an open follow-up period."))
    if asked_on > timezone.localdate():
        raise ValidationError({"asked_on": _("The date cannot be in the future.")})
    previous = (
        BeliefCheckIn.objects.filter(
            participant=participant, period_id=participant.active_period_id
        )
        .order_by("-asked_on", "-id")
        .first()
    )
    checkin = BeliefCheckIn(
        participant=participant,
        period_id=participant.active_period_id,
        counselor=by,
        asked_on=asked_on,
        belief=belief,
        strengthen=strengthen.strip(),
        self_belief=self_belief,
        market_belief=market_belief,
    )
    checkin.full_clean()
    checkin.save()
    audit_record(
        actor=by,
        organisation_id=participant.organisation_id,
        action="belief.checked_in",
        obj=checkin,
        participant_id=participant.pk,
    )
    suggest = belief_suggests_sparring(
        belief=belief, previous_belief=previous.belief if previous else None
    )
    return CheckInResult(checkin=checkin, previous=previous, suggest_sparring=suggest)
