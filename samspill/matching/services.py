"""Writes of matching: what a person did with a suggestion (STYLE.md 2).

Nothing here decides for anyone: a proposal, a draft or a pass is a person's act, recorded with
the factors and scores the suggestion had at that moment, so the hit rates per factor
(queries.hit_rates) compare what people saw with what it led to.
"""

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samspill.audit.services import audit_record
from samspill.core.dates import add_months
from samspill.core.revisions import check_revision, count_save
from samspill.employers.models import EmployerContact, RecruitmentNeed
from samspill.matching.models import Proposal
from samspill.matching.types import Suggestion
from samspill.organisations.models import Membership
from samspill.organisations.queries import membership_for_user
from samspill.outbox.services import outbox_put
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


# The employer side: the coordinator presents a proposed person to one employer contact, who
# answers in the portal. The e-mails name no person: they only say where to read and answer.

PRESENTERS = {Membership.Role.COORDINATOR, Membership.Role.LEADER}


def _link(viewname: str, pk: int) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(viewname, kwargs={"pk": pk})


@transaction.atomic
def proposal_present(
    *, proposal: Proposal, by: Any, contact: EmployerContact, revision: int | None
) -> Proposal:
    """Present a proposed person to an employer contact of the need's employer: a contact (not
    a mentor) with a portal account and a signed confidentiality declaration. Only the
    coordinator (or a leader) presents; the contact is told by e-mail after commit."""
    membership = membership_for_user(by)
    if membership is None or membership.role not in PRESENTERS:
        raise ValidationError(_("Only the coordinator presents a candidate to the employer."))
    proposal = Proposal.objects.select_for_update().select_related("need").get(pk=proposal.pk)
    check_revision(proposal, revision)
    if proposal.action != Proposal.Action.PROPOSED:
        raise ValidationError(_("Only a proposed candidate can be presented to the employer."))
    if proposal.presented_at is not None:
        raise ValidationError(_("This candidate has already been presented."))
    if (
        contact.employer_id != proposal.employer_id
        or not contact.is_active
        or contact.is_mentor
        or contact.user_id is None
        or not contact.has_declaration
    ):
        raise ValidationError(
            {
                "contact": _(
                    "Choose a contact at the employer with a portal account and a signed "
                    "confidentiality declaration."
                )
            }
        )
    proposal.presented_to = contact
    proposal.presented_by = by
    proposal.presented_at = timezone.now()
    proposal.full_clean()
    proposal.save(
        update_fields=count_save(proposal, "presented_to", "presented_by", "presented_at")
    )
    audit_record(
        actor=by,
        organisation_id=proposal.organisation_id,
        action="matching.presented",
        obj=proposal,
        participant_id=proposal.participant_id,
        data={"contact": contact.pk, "need": proposal.need_id},
    )
    if contact.email:
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("A candidate for %(role)s") % {"role": proposal.need.role}
            body = _(
                "A candidate has been proposed for %(role)s. Read what the person shares with "
                "workplaces and answer in Samspill: %(url)s"
            ) % {"role": proposal.need.role, "url": _link("portal:proposal", proposal.pk)}
        outbox_put(to=[contact.email], subject=subject, body=body)
    return proposal


@transaction.atomic
def proposal_respond(
    *, proposal: Proposal, by: Any, response: str, reason: str, revision: int | None
) -> Proposal:
    """The employer contact's answer to a presented candidate: wants to meet, or not now with
    a reason. Wanting to meet records the meeting as what the proposal led to (the hit rates
    count it), unless something further is recorded already. The presenter is told by e-mail
    after commit."""
    # Only the inner join to the need: PostgreSQL locks no nullable side of an outer join.
    proposal = Proposal.objects.select_for_update().select_related("need").get(pk=proposal.pk)
    check_revision(proposal, revision)
    if proposal.presented_at is None or proposal.presented_to is None:
        raise ValidationError(_("This candidate has not been presented to you."))
    if proposal.presented_to.user_id != getattr(by, "pk", None):
        raise ValidationError(_("This candidate has not been presented to you."))
    if response not in (Proposal.Response.MEET, Proposal.Response.NOT_NOW):
        raise ValidationError({"response": _("Choose an answer.")})
    reason = reason.strip()
    if response == Proposal.Response.NOT_NOW and not reason:
        raise ValidationError({"reason": _("Say why not now: it helps us propose better.")})
    proposal.response = response
    proposal.response_reason = reason
    proposal.responded_at = timezone.now()
    fields = ["response", "response_reason", "responded_at"]
    if response == Proposal.Response.MEET and proposal.outcome in (
        Proposal.Outcome.NONE,
        Proposal.Outcome.DECLINED,
    ):
        proposal.outcome = Proposal.Outcome.MEETING
        fields.append("outcome")
    elif response == Proposal.Response.NOT_NOW and proposal.outcome in (
        Proposal.Outcome.NONE,
        Proposal.Outcome.MEETING,
    ):
        proposal.outcome = Proposal.Outcome.DECLINED
        fields.append("outcome")
    proposal.full_clean()
    proposal.save(update_fields=count_save(proposal, *fields))
    audit_record(
        actor=by,
        organisation_id=proposal.organisation_id,
        action="matching.answered",
        obj=proposal,
        participant_id=proposal.participant_id,
        data={"response": response},
    )
    presenter = proposal.presented_by
    if presenter is not None and presenter.email:
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("The employer answered about a candidate for %(role)s") % {
                "role": proposal.need.role
            }
            body = _("Read the answer in Samspill: %(url)s") % {
                "url": _link("matching:need", proposal.need_id)
            }
        outbox_put(to=[presenter.email], subject=subject, body=body)
    return proposal
