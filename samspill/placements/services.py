"""Writes to the placement agreement (STYLE.md 2): from draft to approval and numbered versions,
the expectation meeting, the follow-up schedule that approval and changes make, cancelling,
ending and the chain to the next placement; and reading the agreement's content back (versions
compared side by side). Follow-ups as they are held, evaluations, the certificate and what the
workplace writes back are in followups.py."""

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from samspill.accounts.models import User
from samspill.audit.services import audit_record
from samspill.employers.models import Employer, EmployerContact
from samspill.participants.models import ConsentRecord, Participant
from samspill.placements import queries, rules
from samspill.placements.models import (
    AgreementApproval,
    AgreementVersion,
    ExpectationMeeting,
    FollowUp,
    GoalCategory,
    MentorArrangement,
    Party,
    Placement,
    Status,
)

TEXT_MAX = 5000


def _audit(by: User, placement: Placement, action: str, obj: Any, **data: Any) -> None:
    audit_record(
        actor=by,
        organisation_id=placement.participant.organisation_id,
        action=action,
        obj=obj,
        participant_id=placement.participant_id,
        data=data,
    )


class ConflictError(Exception):
    """Someone else changed the agreement since this form was opened (optimistic lock)."""


# The agreement's content: what a change compares, what a version snapshots, what the
# portal and the comparison show, in this order.
CONTENT_FIELDS = (
    "kind",
    "mentor",
    "call_whom",
    "goals",
    "title",
    "tasks",
    "hours_per_week",
    "work_days",
    "work_place",
    "start_date",
    "end_date",
    "start_reason",
    "extension_reason",
    "wage_subsidy_percent",
    "employer_expects",
    "participant_expects",
    "we_offer",
    "accommodations",
    "if_something_happens",
)
TEXT_FIELDS = {
    "title",
    "tasks",
    "work_days",
    "work_place",
    "start_reason",
    "extension_reason",
    "employer_expects",
    "participant_expects",
    "we_offer",
    "accommodations",
    "if_something_happens",
    "call_whom",
}


def _check_parties(
    participant: Participant, employer: Employer, mentor: EmployerContact | None
) -> None:
    if employer.organisation_id != participant.organisation_id:
        raise ValidationError({"employer": _("Choose an employer in your organisation.")})
    if mentor is not None and (
        mentor.employer_id != employer.pk or not mentor.is_mentor or not mentor.is_active
    ):
        raise ValidationError({"mentor": _("Choose a mentor at this employer.")})


def _check_goals(goals: list[dict[str, str]]) -> list[dict[str, str]]:
    clean = []
    for goal in goals:
        category, text = goal.get("category", ""), (goal.get("text") or "").strip()
        if category not in GoalCategory.values:
            raise ValidationError({"goals": _("Choose a category for each goal.")})
        if len(text) > TEXT_MAX:
            raise ValidationError({"goals": _("Keep it under 5,000 characters.")})
        clean.append({"category": category, "text": text})
    return clean


def _check_rules(placement: Placement, today: datetime.date, *, backdating: bool) -> None:
    rules.check(
        kind=placement.kind,
        start_date=placement.start_date,
        end_date=placement.end_date,
        today=today,
        start_reason=placement.start_reason,
        extension_reason=placement.extension_reason,
        wage_subsidy_percent=placement.wage_subsidy_percent,
        check_backdating=backdating,
        birth_date=placement.participant.birth_date,
        need_group=placement.participant.need_group,
        country=placement.organisation.country,
    )


# Checks run before a placement is drafted, each raising ValidationError to refuse. Apps above
# placements add theirs in AppConfig.ready() (referrals: the clarification before practice),
# so placements needs no import of them.
DRAFT_CHECKS: list[Callable[[Participant], None]] = []


def default_call_whom(employer: Employer) -> str:
    """The employer's contact person, by name and phone: the one person to call, the same on
    every page (the call card, the portal) and in the agreement."""
    person = Employer.objects.select_related("contact_person").get(pk=employer.pk).contact_person
    if person is None:
        return ""
    return f"{person.full_name}, {person.phone}" if person.phone else person.full_name


def shareable_accommodations(participant: Participant) -> str:
    """The accommodations text the participant has agreed the workplace may know, else ""."""
    shared = ConsentRecord.objects.filter(
        participant=participant,
        recipient=ConsentRecord.Recipient.WORKPLACE,
        information=ConsentRecord.Information.ACCOMMODATIONS,
        withdrawn_at__isnull=True,
    ).exists()
    return participant.shareable_accommodations if shared else ""


@transaction.atomic
def placement_create(
    *,
    participant: Participant,
    employer: Employer,
    by: User,
    kind: str,
    title: str,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    tasks: str = "",
    mentor: EmployerContact | None = None,
    start_reason: str = "",
    extension_reason: str = "",
    wage_subsidy_percent: int | None = None,
    previous: Placement | None = None,
    follow_up_unlimited: bool = False,
    **content: Any,
) -> Placement:
    """Place a participant with an employer: a draft agreement, checked against the rules of
    its kind. `content` takes any other agreement field (goals, expectations, ...)."""
    _check_parties(participant, employer, mentor)
    for check in DRAFT_CHECKS if previous is None else []:
        check(participant)
    unknown = set(content) - set(CONTENT_FIELDS)
    if unknown:
        raise TypeError(f"not agreement fields: {sorted(unknown)}")
    placement = Placement(
        participant=participant,
        organisation_id=participant.organisation_id,
        employer=employer,
        mentor=mentor,
        kind=kind,
        title=title.strip(),
        tasks=tasks.strip(),
        start_date=start_date,
        end_date=end_date,
        start_reason=start_reason.strip(),
        extension_reason=extension_reason.strip(),
        wage_subsidy_percent=wage_subsidy_percent,
        previous=previous,
        created_by=by,
        call_whom=default_call_whom(employer),
        accommodations=shareable_accommodations(participant),
    )
    for name, value in content.items():
        setattr(placement, name, value.strip() if name in TEXT_FIELDS else value)
    placement.goals = _check_goals(placement.goals)
    if kind == Placement.Kind.ORDINARY_JOB:
        placement.follow_up_unlimited = follow_up_unlimited
        if not follow_up_unlimited:
            placement.follow_up_until = rules.add_months(start_date, rules.POST_EMPLOYMENT_MONTHS)
    placement.full_clean()
    _check_rules(placement, timezone.localdate(), backdating=True)
    placement.save()
    _audit(by, placement, "placement.created", placement, employer=employer.pk, kind=kind)
    return placement


def content_of(placement: Placement) -> dict[str, Any]:
    """The agreement's content as JSON-able values (what a version stores)."""
    content: dict[str, Any] = {}
    for name in CONTENT_FIELDS:
        if name == "mentor":
            content[name] = placement.mentor.name if placement.mentor else ""
            continue
        value = getattr(placement, name)
        if isinstance(value, datetime.date | Decimal):
            value = str(value)
        content[name] = value
    return content


# The mentor arrangement (seed 002: the mentor chosen with the employer, the time and
# compensation, the leader who backs the mentor) is part of what a version records, beside the
# placement's own fields; it is written on the mentor page (mentoring.py).
MENTOR_ARRANGEMENT = "mentor_arrangement"


def arrangement_content(placement: Placement) -> dict[str, Any] | None:
    """The mentor arrangement as JSON-able values, or None when none is recorded."""
    arrangement = (
        MentorArrangement.objects.select_related("leader").filter(placement=placement).first()
    )
    if arrangement is None:
        return None
    leader = arrangement.leader
    return {
        "chosen_with_employer": arrangement.chosen_with_employer,
        "chosen_on": str(arrangement.chosen_on),
        "why": arrangement.why,
        "hours_per_week": (
            str(arrangement.hours_per_week) if arrangement.hours_per_week is not None else None
        ),
        "compensation": arrangement.compensation,
        "rate": arrangement.rate,
        "paid_by": arrangement.paid_by,
        "leader": f"{leader.name}, {leader.title}".rstrip(", ") if leader else "",
    }


def version_content(placement: Placement) -> dict[str, Any]:
    """What a numbered version stores: the agreement's content and the mentor arrangement."""
    return {**content_of(placement), MENTOR_ARRANGEMENT: arrangement_content(placement)}


def next_version(
    placement: Placement, *, by: User, change: str, reason: str, content: dict[str, Any]
) -> AgreementVersion:
    """Number and store the next version of a locked agreement (the caller holds the lock)."""
    placement.agreement_number += 1
    placement.save(update_fields=["agreement_number"])
    return AgreementVersion.objects.create(
        placement=placement,
        number=placement.agreement_number,
        change=change,
        reason=reason,
        content=content,
        created_by=by,
    )


def _changed_fields(placement: Placement, changes: dict[str, Any]) -> list[str]:
    changed = []
    for name, value in changes.items():
        current = getattr(placement, name)
        if name == "mentor":
            current = placement.mentor_id
            value = value.pk if value is not None else None
        elif name in TEXT_FIELDS:
            value = (value or "").strip()
        elif name == "hours_per_week" and value is not None:
            value = Decimal(value)
        if current != value:
            changed.append(name)
    return changed


def _apply(placement: Placement, changes: dict[str, Any]) -> None:
    unknown = set(changes) - set(CONTENT_FIELDS)
    if unknown:
        raise TypeError(f"not agreement fields: {sorted(unknown)}")
    for name, value in changes.items():
        if name in TEXT_FIELDS:
            value = (value or "").strip()
        setattr(placement, name, value)
    if "goals" in changes:
        placement.goals = _check_goals(placement.goals)
    _check_parties(placement.participant, placement.employer, placement.mentor)
    placement.full_clean()


def _save_guarded(placement: Placement, revision: int, fields: list[str]) -> None:
    """Write `fields` only if nobody has changed the agreement since `revision` was read."""
    values = {name: getattr(placement, name) for name in fields}
    if "mentor" in values:
        mentor = values.pop("mentor")
        values["mentor_id"] = mentor.pk if mentor else None
    updated = Placement.objects.filter(pk=placement.pk, revision=revision).update(
        **values, revision=F("revision") + 1
    )
    if not updated:
        raise ConflictError
    placement.revision = revision + 1


def _locked_for_update(placement: Placement) -> Placement:
    return (
        Placement.objects.select_for_update(of=("self",))
        .select_related("participant", "employer", "mentor")
        .get(pk=placement.pk)
    )


@transaction.atomic
def agreement_update(
    *, placement: Placement, by: User, revision: int, **changes: Any
) -> tuple[Placement, list[str]]:
    """Change the draft agreement. Returns the placement and the parties whose approval the
    change cleared (a change of content after an approval clears every approval).

    Raises ConflictError when someone else saved since `revision`; the caller keeps the user's
    text and asks them to compare."""
    current = Placement.objects.select_related("participant", "employer", "mentor").get(
        pk=placement.pk
    )
    if current.revision != revision:
        raise ConflictError
    if current.cancelled_at is not None:
        raise ValidationError(_("This placement is cancelled."))
    if current.is_locked:
        raise ValidationError(
            _("All parties have approved this agreement: change it with a new version.")
        )
    changed = _changed_fields(current, changes)
    if not changed:
        return current, []
    _apply(current, {name: changes[name] for name in changed})
    # A back-dated start needs its reason when the start is set, not at every later edit.
    _check_rules(current, timezone.localdate(), backdating="start_date" in changed)
    _save_guarded(current, revision, changed)
    cleared = list(
        AgreementApproval.objects.filter(placement=current).values_list("party", flat=True)
    )
    if cleared:
        AgreementApproval.objects.filter(placement=current).delete()
    _audit(by, current, "placement.agreement_changed", current, fields=changed, cleared=cleared)
    return current, cleared


@transaction.atomic
def expectation_meeting_record(
    *,
    placement: Placement,
    by: User,
    held_on: datetime.date,
    participant_present: bool,
    mentor_present: bool,
    employer_present: bool,
    counselor_present: bool,
    others_present: str = "",
    notes: str = "",
) -> ExpectationMeeting:
    """Record the expectation meeting before start (date, who was there, what was said)."""
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("Record the meeting when it has taken place.")})
    if len(notes) > TEXT_MAX:
        raise ValidationError({"notes": _("Keep it under 5,000 characters.")})
    meeting, _created = ExpectationMeeting.objects.update_or_create(
        placement=placement,
        defaults={
            "held_on": held_on,
            "participant_present": participant_present,
            "mentor_present": mentor_present,
            "employer_present": employer_present,
            "counselor_present": counselor_present,
            "others_present": others_present.strip(),
            "notes": notes.strip(),
            "recorded_by": by,
        },
    )
    _audit(by, placement, "placement.expectation_meeting", meeting, held_on=str(held_on))
    return meeting


def approvals_of(placement: Placement) -> dict[str, AgreementApproval]:
    return {a.party: a for a in placement.approvals.select_related("approved_by")}


@transaction.atomic
def agreement_approve(
    *,
    placement: Placement,
    by: User,
    party: str,
    revision: int,
    on_behalf_reason: str = "",
) -> Placement:
    """One party approves the agreement as it stood at `revision`. The counselor approves
    last; their approval locks the agreement, makes version 1 and the follow-up schedule.

    Who may approve for which party is checked by the caller (views, API, portal); this checks
    the order and the content."""
    current = _locked_for_update(placement)
    if current.revision != revision:
        raise ConflictError
    if current.cancelled_at is not None:
        raise ValidationError(_("This placement is cancelled."))
    if current.is_locked:
        raise ValidationError(_("All parties have already approved this agreement."))
    missing = current.missing_for_approval()
    if missing:
        raise ValidationError(
            _("Fill in the agreement first: %(missing)s.") % {"missing": ", ".join(missing)}
        )
    approvals = approvals_of(current)
    if party in approvals:
        raise ValidationError(_("This party has already approved."))
    on_behalf_reason = on_behalf_reason.strip()
    if party == Party.PARTICIPANT and by.pk != current.participant.portal_user_id:
        if not on_behalf_reason:
            raise ValidationError(
                {
                    "on_behalf_reason": _(
                        "Say why you approve on the participant's behalf (for example: "
                        "approved orally in a meeting on this date)."
                    )
                }
            )
    else:
        on_behalf_reason = ""
    if party == Party.COUNSELOR:
        waiting = [
            str(Party(p).label).lower()
            for p in (Party.PARTICIPANT, Party.EMPLOYER)
            if p not in approvals
        ]
        if waiting:
            raise ValidationError(
                _("The counselor approves last. Waiting for: %(parties)s.")
                % {"parties": ", ".join(waiting)}
            )
        if not ExpectationMeeting.objects.filter(placement=current).exists():
            raise ValidationError(_("Record the expectation meeting before you approve."))
    if current.sent_for_approval_at is None:
        # An approval through the API (the pages offer it only once sent) sends it as well.
        _mark_sent(current, by, with_approval=True)
    approval = AgreementApproval.objects.create(
        placement=current,
        party=party,
        approved_by=by,
        on_behalf_reason=on_behalf_reason,
        revision=revision,
    )
    _audit(
        by, current, "placement.approved", approval, party=party, on_behalf=bool(on_behalf_reason)
    )
    if party == Party.COUNSELOR:
        _lock(current, by)
    return current


def _mark_sent(placement: Placement, by: User, *, with_approval: bool = False) -> None:
    placement.sent_for_approval_at = timezone.now()
    placement.save(update_fields=["sent_for_approval_at"])
    _audit(
        by,
        placement,
        "placement.sent_for_approval",
        placement,
        revision=placement.revision,
        employer_approvers=[
            s.contact.pk for s in queries.employer_signers(placement) if s.can_approve
        ],
        with_approval=with_approval,
    )


@transaction.atomic
def agreement_send_for_approval(*, placement: Placement, by: User, revision: int) -> Placement:
    """Send the complete agreement, as it stands at `revision`, to the parties for approval:
    the participant, the employer (in the portal), and the counselor last. Until then it is a
    draft, however complete."""
    current = _locked_for_update(placement)
    if current.revision != revision:
        raise ConflictError
    if current.cancelled_at is not None:
        raise ValidationError(_("This placement is cancelled."))
    if current.is_locked:
        raise ValidationError(_("All parties have already approved this agreement."))
    if current.sent_for_approval_at is not None:
        raise ValidationError(_("The agreement is already sent for approval."))
    missing = current.missing_for_approval()
    if missing:
        raise ValidationError(
            _("Fill in the agreement first: %(missing)s.") % {"missing": ", ".join(missing)}
        )
    _mark_sent(current, by)
    return current


def _lock(placement: Placement, by: User) -> None:
    placement.locked_at = timezone.now()
    placement.agreement_number = 1
    placement.save(update_fields=["locked_at", "agreement_number"])
    AgreementVersion.objects.create(
        placement=placement,
        number=1,
        change=AgreementVersion.Change.APPROVED,
        content=version_content(placement),
        created_by=by,
    )
    _schedule_follow_ups(placement, after=None)
    _audit(by, placement, "placement.locked", placement, version=1)


def _schedule_end(placement: Placement) -> datetime.date | None:
    if placement.kind == Placement.Kind.ORDINARY_JOB and not placement.follow_up_unlimited:
        return placement.follow_up_until or placement.end_date
    return placement.end_date


def _schedule_follow_ups(placement: Placement, *, after: datetime.date | None) -> None:
    """(Re)make the scheduled follow-ups not yet held, from the rules of the placement's kind;
    those due on or before `after` are kept as they are."""
    pending = FollowUp.objects.filter(
        placement=placement, held_on__isnull=True, due_on__isnull=False
    )
    if after is not None:
        pending = pending.filter(due_on__gt=after)
    pending.delete()
    dates = rules.schedule(
        kind=placement.kind, start_date=placement.start_date, end_date=_schedule_end(placement)
    )
    held = set(
        FollowUp.objects.filter(placement=placement, due_on__isnull=False).values_list(
            "due_on", flat=True
        )
    )
    FollowUp.objects.bulk_create(
        FollowUp(placement=placement, due_on=day)
        for day in dates
        if (after is None or day > after) and day not in held
    )
    _refresh_next_follow_up(placement)


def _refresh_next_follow_up(placement: Placement) -> None:
    next_due = (
        FollowUp.objects.filter(placement=placement, held_on__isnull=True, due_on__isnull=False)
        .order_by("due_on")
        .values_list("due_on", flat=True)
        .first()
    )
    placement.next_follow_up_on = next_due
    Placement.objects.filter(pk=placement.pk).update(next_follow_up_on=next_due)


@transaction.atomic
def agreement_change(
    *, placement: Placement, by: User, revision: int, reason: str, **changes: Any
) -> AgreementVersion:
    """Change an approved agreement: extend, shorten or change its content. Makes the next
    numbered version with the reason; the follow-up schedule ahead follows the new dates."""
    current = _locked_for_update(placement)
    if current.revision != revision:
        raise ConflictError
    if not current.is_locked:
        raise ValidationError(_("The agreement is not approved yet: edit it directly."))
    today = timezone.localdate()
    if current.cancelled_at is not None or current.status_on(today) == Status.ENDED:
        raise ValidationError(_("An ended or cancelled placement cannot be changed."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the agreement changes.")})
    moves_start = "start_date" in changes and changes["start_date"] != current.start_date
    if moves_start and current.start_date <= today:
        raise ValidationError(
            {"start_date": _("The placement has started: its start cannot move.")}
        )
    changed = _changed_fields(current, changes)
    if not changed:
        raise ValidationError(_("Nothing was changed."))
    old_end = current.end_date
    _apply(current, {name: changes[name] for name in changed})
    if current.end_date is not None and current.end_date < today and current.end_date != old_end:
        raise ValidationError({"end_date": _("A new end cannot be in the past.")})
    _check_rules(current, today, backdating=False)
    _save_guarded(current, revision, changed)
    if changed == ["end_date"] and old_end is not None and current.end_date is not None:
        change = (
            AgreementVersion.Change.EXTENDED
            if current.end_date > old_end
            else AgreementVersion.Change.SHORTENED
        )
    elif changed == ["end_date"]:
        change = AgreementVersion.Change.EXTENDED
    else:
        change = AgreementVersion.Change.CONTENT
    version = next_version(
        current, by=by, change=change, reason=reason, content=version_content(current)
    )
    if {"end_date", "kind", "start_date"} & set(changed):
        _schedule_follow_ups(current, after=today)
    _audit(by, current, "placement.version", version, number=version.number, fields=changed)
    return version


@transaction.atomic
def placement_cancel(*, placement: Placement, by: User, reason: str, note: str = "") -> Placement:
    """Cancel a placement that has not ended (with a reason); planned follow-ups go."""
    current = _locked_for_update(placement)
    if current.cancelled_at is not None:
        raise ValidationError(_("This placement is already cancelled."))
    if current.ended_at is not None:
        raise ValidationError(_("This placement has ended; it cannot be cancelled."))
    if reason not in Placement.CancelReason.values:
        raise ValidationError({"cancel_reason": _("Choose a reason.")})
    if reason == Placement.CancelReason.OTHER and not note.strip():
        raise ValidationError({"cancel_note": _("Say what happened.")})
    current.cancelled_at = timezone.now()
    current.cancel_reason = reason
    current.cancel_note = note.strip()
    current.save(update_fields=["cancelled_at", "cancel_reason", "cancel_note"])
    FollowUp.objects.filter(placement=current, held_on__isnull=True).delete()
    _refresh_next_follow_up(current)
    _audit(by, current, "placement.cancelled", current, reason=reason)
    return current


@transaction.atomic
def placement_end(
    *, placement: Placement, by: User, ended_on: datetime.date, outcome: str
) -> Placement:
    """End a running placement with its outcome; follow-ups planned after the end go."""
    current = _locked_for_update(placement)
    today = timezone.localdate()
    if not current.is_locked or current.cancelled_at is not None:
        raise ValidationError(_("Only an approved placement that is not cancelled can end."))
    if current.ended_at is not None:
        raise ValidationError(_("This placement has already ended."))
    if outcome not in Placement.Outcome.values:
        raise ValidationError({"outcome": _("Choose the outcome.")})
    if ended_on < current.start_date:
        raise ValidationError({"ended_on": _("The end cannot come before the start.")})
    if ended_on > today:
        raise ValidationError({"ended_on": _("The end cannot be in the future.")})
    current.ended_at = timezone.now()
    current.outcome = outcome
    if current.end_date is None or ended_on < current.end_date:
        current.end_date = ended_on
    current.save(update_fields=["ended_at", "outcome", "end_date"])
    FollowUp.objects.filter(placement=current, held_on__isnull=True, due_on__gt=ended_on).delete()
    _refresh_next_follow_up(current)
    _audit(by, current, "placement.ended", current, outcome=outcome, ended_on=str(ended_on))
    return current


def next_kind(placement: Placement) -> str:
    """The next step of the chain practice -> wage subsidy -> job, by outcome and kind."""
    by_outcome: dict[str, str] = {
        Placement.Outcome.ORDINARY_WORK: Placement.Kind.ORDINARY_JOB,
        Placement.Outcome.APPRENTICESHIP: Placement.Kind.APPRENTICESHIP,
    }
    return by_outcome.get(placement.outcome, rules.RULES[placement.kind].next_kind)


def next_placement_initial(placement: Placement) -> dict[str, Any]:
    """What carries over to the next placement in the chain: the employer, mentor, job and
    expectations; not the dates, rate or approvals. Nor the accommodations: `placement_create`
    takes them afresh from the consents as they are now (one may have been withdrawn)."""
    carried = {
        name: getattr(placement, name)
        for name in CONTENT_FIELDS
        if name
        not in {
            "kind",
            "start_date",
            "end_date",
            "start_reason",
            "extension_reason",
            "wage_subsidy_percent",
            "accommodations",
        }
    }
    start = (placement.end_date or timezone.localdate()) + datetime.timedelta(days=1)
    return {**carried, "kind": next_kind(placement), "start_date": start}


# Outcomes after which the chain offers a next placement.
CHAIN_OUTCOMES = {
    Placement.Outcome.ORDINARY_WORK,
    Placement.Outcome.APPRENTICESHIP,
    Placement.Outcome.OTHER_MEASURE,
}


def compare_versions(left: dict[str, Any], right: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows for a side-by-side comparison: label, both values, and whether they differ."""
    rows = []
    for name in CONTENT_FIELDS:
        a, b = left.get(name, ""), right.get(name, "")
        rows.append(
            {
                "name": name,
                "label": capfirst(field_label(name)),
                "left": display_value(name, a),
                "right": display_value(name, b),
                "changed": a != b,
            }
        )
    if left.get(MENTOR_ARRANGEMENT) or right.get(MENTOR_ARRANGEMENT):
        a, b = left.get(MENTOR_ARRANGEMENT), right.get(MENTOR_ARRANGEMENT)
        rows.append(
            {
                "name": MENTOR_ARRANGEMENT,
                "label": capfirst(_("mentor arrangement")),
                "left": display_value(MENTOR_ARRANGEMENT, a),
                "right": display_value(MENTOR_ARRANGEMENT, b),
                "changed": a != b,
            }
        )
    return rows


def version_rows(content: dict[str, Any]) -> list[dict[str, str]]:
    """A stored version's content (or `version_content`) as label and value, as printed."""
    rows = [
        {
            "name": name,
            "label": capfirst(field_label(name)),
            "value": display_value(name, content.get(name, "")),
        }
        for name in CONTENT_FIELDS
        if content.get(name) or name not in ONLY_WHEN_WRITTEN
    ]
    rows.append(
        {
            "name": MENTOR_ARRANGEMENT,
            "label": capfirst(_("mentor arrangement")),
            "value": display_value(MENTOR_ARRANGEMENT, content.get(MENTOR_ARRANGEMENT)),
        }
    )
    return rows


# Explanations the rules ask for only in some cases: shown and printed only when written.
ONLY_WHEN_WRITTEN = {"start_reason", "extension_reason"}


def content_rows(placement: Placement) -> list[dict[str, str]]:
    """The agreement's content as label and value, in the agreement's order."""
    content = content_of(placement)
    return [
        {
            "name": name,
            "label": capfirst(field_label(name)),
            "value": display_value(name, content[name]),
        }
        for name in CONTENT_FIELDS
        if content[name] or name not in ONLY_WHEN_WRITTEN
    ]


def field_label(name: str) -> str:
    return str(getattr(Placement._meta.get_field(name), "verbose_name", name))


def display_value(name: str, value: Any) -> str:
    """A stored content value as people read it."""
    if value in (None, ""):
        return ""
    if name == "kind":
        return str(Placement.Kind(value).label)
    if name == "goals":
        return "\n".join(
            f"{GoalCategory(goal['category']).label}: {goal['text']}".rstrip(": ") for goal in value
        )
    if name in {"start_date", "end_date"}:
        return formats.date_format(datetime.date.fromisoformat(str(value)), "SHORT_DATE_FORMAT")
    if name == "hours_per_week":
        return hours(Decimal(str(value)))
    if name == MENTOR_ARRANGEMENT:
        return arrangement_text(value)
    return str(value)


def arrangement_text(value: dict[str, Any]) -> str:
    """The mentor arrangement in a few plain lines."""
    chosen_on = formats.date_format(
        datetime.date.fromisoformat(value["chosen_on"]), "SHORT_DATE_FORMAT"
    )
    lines = [
        _("Chosen together with the employer on %(date)s.") % {"date": chosen_on}
        if value["chosen_with_employer"]
        else _("Chosen on %(date)s, not with the employer.") % {"date": chosen_on}
    ]
    if value.get("why"):
        lines.append(_("Why this mentor: %(why)s") % {"why": value["why"]})
    if value.get("hours_per_week") is not None:
        lines.append(
            _("Mentor hours per week: %(hours)s")
            % {"hours": hours(Decimal(value["hours_per_week"]))}
        )
    compensation = str(MentorArrangement.Compensation(value["compensation"]).label)
    if value.get("rate"):
        compensation = f"{compensation}, {value['rate']}"
    if value.get("paid_by"):
        compensation = _("%(compensation)s (paid by %(payer)s)") % {
            "compensation": compensation,
            "payer": value["paid_by"],
        }
    lines.append(_("Compensation: %(compensation)s") % {"compensation": compensation})
    if value.get("leader"):
        lines.append(_("Leader who backs the mentor: %(leader)s") % {"leader": value["leader"]})
    return "\n".join(lines)


def hours(value: Decimal) -> str:
    """Hours as people write them, in the language's own way: "30", "7,5"."""
    if value == value.to_integral_value():
        return formats.number_format(int(value))
    return formats.number_format(value, decimal_pos=1)


def period_end_check(period: Any, end_date: datetime.date) -> None:
    """A follow-up period may not end while a placement in it runs on: the participant and the
    employer keep one person to call. Follow-up into an ordinary job lasts at least three months
    (longer when agreed); the job placement is ended first if the person has left the job."""
    running = (
        Placement.objects.filter(
            participant_id=period.participant_id,
            locked_at__isnull=False,
            cancelled_at__isnull=True,
            ended_at__isnull=True,
            start_date__lte=end_date,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=end_date))
        .select_related("employer")
        .order_by("start_date", "id")
    )
    for placement in running:
        if placement.kind == Placement.Kind.ORDINARY_JOB:
            until = placement.follow_up_until
            if until is not None and until <= end_date and not placement.follow_up_unlimited:
                continue  # the job goes on; its follow-up is done
            raise ValidationError(
                {
                    "end_date": (
                        _(
                            "Follow-up into the job at %(employer)s goes on until %(until)s. "
                            "If the participant has left the job, end the job placement first."
                        )
                        % {
                            "employer": placement.employer.name,
                            "until": formats.date_format(until, "SHORT_DATE_FORMAT"),
                        }
                        if until and not placement.follow_up_unlimited
                        else _(
                            "Follow-up into the job at %(employer)s goes on as agreed. If it "
                            "should stop, end the job placement first."
                        )
                        % {"employer": placement.employer.name}
                    )
                }
            )
        raise ValidationError(
            {
                "end_date": _(
                    "The placement at %(employer)s is still running: end it or cancel it first."
                )
                % {"employer": placement.employer.name}
            }
        )
