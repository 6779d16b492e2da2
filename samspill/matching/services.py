"""Writes of matching: what a person did with a suggestion (STYLE.md 2).

Nothing here decides for anyone: a proposal, a draft or a pass is a person's act, recorded with
the factors and scores the suggestion had at that moment, so the hit rates per factor
(queries.hit_rates) compare what people saw with what it led to.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.audit.services import audit_record
from samspill.core.dates import add_months
from samspill.core.revisions import check_revision, count_save
from samspill.employers.models import RecruitmentNeed
from samspill.matching.models import Proposal
from samspill.matching.types import Suggestion
from samspill.participants.models import Participant
from samspill.placements import services as placement_services
from samspill.placements.models import Placement

DRAFT_LEAD_DAYS = 14  # a draft from a suggestion starts two weeks out unless the need says when
DRAFT_MONTHS = 3  # a first work training; the counselor adjusts it in the agreement steps


def _record(
    *,
    by: Any,
    participant: Participant,
    need: RecruitmentNeed,
    suggestion: Suggestion,
    action: str,
    reason: str = "",
    placement: Placement | None = None,
) -> Proposal:
    if suggestion.participant_id != participant.pk or suggestion.need_id != need.pk:
        raise ValueError("the suggestion is for another pair")
    proposal = Proposal(
        organisation_id=participant.organisation_id,
        participant=participant,
        need=need,
        employer_id=need.employer_id,
        action=action,
        reason=reason.strip(),
        score=suggestion.score,
        factors={f.key: round(f.score, 3) for f in suggestion.factors},
        placement=placement,
        by=by,
    )
    proposal.full_clean()
    proposal.save()
    audit_record(
        actor=by,
        organisation_id=participant.organisation_id,
        action=f"matching.{action}",
        obj=proposal,
        participant_id=participant.pk,
        data={"need": need.pk, "score": proposal.score},
    )
    return proposal


@transaction.atomic
def suggestion_propose(
    *, by: Any, participant: Participant, need: RecruitmentNeed, suggestion: Suggestion
) -> Proposal:
    """Propose the person for the need (to the employer side, through the coordinator)."""
    return _record(
        by=by,
        participant=participant,
        need=need,
        suggestion=suggestion,
        action=Proposal.Action.PROPOSED,
    )


@transaction.atomic
def suggestion_pass(
    *, by: Any, participant: Participant, need: RecruitmentNeed, suggestion: Suggestion, reason: str
) -> Proposal:
    """Pass a suggestion over; the reason is required (no silent rejections)."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the suggestion is passed over.")})
    return _record(
        by=by,
        participant=participant,
        need=need,
        suggestion=suggestion,
        action=Proposal.Action.PASSED,
        reason=reason,
    )


def _draft_start(need: RecruitmentNeed) -> datetime.date:
    earliest = timezone.localdate() + datetime.timedelta(days=DRAFT_LEAD_DAYS)
    return max(need.needed_from, earliest) if need.needed_from else earliest


@transaction.atomic
def suggestion_start_draft(
    *, by: Any, participant: Participant, need: RecruitmentNeed, suggestion: Suggestion
) -> Proposal:
    """Start a placement draft for the person at the need's employer, prefilled with the role and
    its tasks. The placements service's refusal (a ValidationError) is raised unchanged and
    nothing is recorded."""
    start = _draft_start(need)
    placement = placement_services.placement_create(
        participant=participant,
        employer=need.employer,
        by=by,
        kind=Placement.Kind.WORK_TRAINING,
        title=need.role,
        tasks=need.tasks,
        start_date=start,
        end_date=add_months(start, DRAFT_MONTHS) - datetime.timedelta(days=1),
    )
    return _record(
        by=by,
        participant=participant,
        need=need,
        suggestion=suggestion,
        action=Proposal.Action.DRAFTED,
        placement=placement,
    )


@transaction.atomic
def proposal_outcome_record(
    *, proposal: Proposal, by: Any, outcome: str, revision: int | None
) -> Proposal:
    """Record what a proposal led to where the placements do not show it (a meeting, a job found
    outside a placement, or that it did not go ahead)."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    check_revision(proposal, revision)
    if proposal.action == Proposal.Action.PASSED:
        raise ValidationError(_("A suggestion that was passed over has no outcome."))
    proposal.outcome = outcome
    proposal.full_clean()
    proposal.save(update_fields=count_save(proposal, "outcome"))
    audit_record(
        actor=by,
        organisation_id=proposal.organisation_id,
        action="matching.outcome",
        obj=proposal,
        participant_id=proposal.participant_id,
        data={"outcome": outcome},
    )
    return proposal
