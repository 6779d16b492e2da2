"""Writes for belief check-ins and sparring requests (STYLE.md 2)."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.accounts.models import User
from samspill.audit.services import audit_record
from samspill.followup.models import Belief, BeliefCheckIn, SparringRequest
from samspill.organisations.models import Membership
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


@transaction.atomic
def sparring_request_create(
    *,
    participant: Participant,
    by: User,
    colleague: User,
    why: str,
    checkin: BeliefCheckIn | None = None,
) -> SparringRequest:
    """Ask a colleague in the same organisation for sparring about a participant."""
    if colleague.pk == by.pk:
        raise ValidationError({"colleague": _("Choose a colleague, not yourself.")})
    if (
        not Membership.objects.filter(
            user=colleague, organisation_id=participant.organisation_id, is_active=True
        )
        .exclude(role=Membership.Role.ADMIN)
        .exists()
    ):
        raise ValidationError({"colleague": _("Choose a colleague in your organisation.")})
    if checkin is not None and checkin.participant_id != participant.pk:
        raise ValidationError(_("The check-in belongs to another participant."))
    request = SparringRequest(
        organisation_id=participant.organisation_id,
        participant=participant,
        checkin=checkin,
        requested_by=by,
        colleague=colleague,
        why=why.strip(),
    )
    request.full_clean()
    request.save()
    audit_record(
        actor=by,
        organisation_id=participant.organisation_id,
        action="sparring.requested",
        obj=request,
        participant_id=participant.pk,
        data={"colleague": colleague.pk},
    )
    return request


@transaction.atomic
def sparring_accept(*, request: SparringRequest, by: User) -> SparringRequest:
    request = SparringRequest.objects.select_for_update().get(pk=request.pk)
    if request.colleague_id != by.pk:
        raise ValidationError(_("Only the colleague who was asked can accept."))
    if request.status != SparringRequest.Status.OPEN:
        raise ValidationError(_("This request is no longer waiting."))
    request.status = SparringRequest.Status.ACCEPTED
    request.accepted_at = timezone.now()
    request.save(update_fields=["status", "accepted_at"])
    audit_record(
        actor=by,
        organisation_id=request.organisation_id,
        action="sparring.accepted",
        obj=request,
        participant_id=request.participant_id,
    )
    return request


@transaction.atomic
def sparring_close(
    *, request: SparringRequest, by: User, private_note: str = ""
) -> SparringRequest:
    request = SparringRequest.objects.select_for_update().get(pk=request.pk)
    if by.pk not in (request.colleague_id, request.requested_by_id):
        raise ValidationError(_("Only the two colleagues in the sparring can close it."))
    if request.status == SparringRequest.Status.CLOSED:
        raise ValidationError(_("This request is already closed."))
    request.status = SparringRequest.Status.CLOSED
    request.closed_at = timezone.now()
    request.private_note = private_note.strip()
    request.save(update_fields=["status", "closed_at", "private_note"])
    audit_record(
        actor=by,
        organisation_id=request.organisation_id,
        action="sparring.closed",
        obj=request,
        participant_id=request.participant_id,
    )
    return request
