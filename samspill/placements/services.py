"""Writes to placements (STYLE.md 2): the agreement from draft to approval and versions, the
expectation meeting, follow-ups, evaluations, the certificate, ending and the chain, and what
the workplace writes back."""

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from samspill.accounts.models import User
from samspill.audit.services import audit_record
from samspill.employers.models import Employer, EmployerContact
from samspill.participants.models import ConsentRecord, Participant
from samspill.placements import rules
from samspill.placements.models import (
    AgreementApproval,
    AgreementVersion,
    Certificate,
    Concern,
    Evaluation,
    ExpectationMeeting,
    FollowUp,
    GoalCategory,
    MentorNote,
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
    )


def default_call_whom(participant: Participant) -> str:
    """The counselor, by name and phone (read afresh: the counselor is denormalised)."""
    counselor = Participant.objects.select_related("counselor").get(pk=participant.pk).counselor
    if counselor is None:
        return ""
    return f"{counselor.full_name}, {counselor.phone}" if counselor.phone else counselor.full_name


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
    unknown = set(content) - set(CONTENT_FIELDS)
    if unknown:
        raise TypeError(f"not agreement fields: {sorted(unknown)}")
    placement = Placement(
        participant=participant,
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
        call_whom=default_call_whom(participant),
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


def _lock(placement: Placement, by: User) -> None:
    placement.locked_at = timezone.now()
    placement.agreement_number = 1
    placement.save(update_fields=["locked_at", "agreement_number"])
    AgreementVersion.objects.create(
        placement=placement,
        number=1,
        change=AgreementVersion.Change.APPROVED,
        content=content_of(placement),
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
    current.agreement_number += 1
    current.save(update_fields=["agreement_number"])
    version = AgreementVersion.objects.create(
        placement=current,
        number=current.agreement_number,
        change=change,
        reason=reason,
        content=content_of(current),
        created_by=by,
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
        Placement.Outcome.ORDINARY_JOB: Placement.Kind.ORDINARY_JOB,
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
    Placement.Outcome.ORDINARY_JOB,
    Placement.Outcome.APPRENTICESHIP,
    Placement.Outcome.NEXT_PLACEMENT,
}


def compare_versions(left: dict[str, Any], right: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows for a side-by-side comparison: label, both values, and whether they differ."""
    rows = []
    for name in CONTENT_FIELDS:
        a, b = left.get(name, ""), right.get(name, "")
        rows.append(
            {
                "name": name,
                "label": field_label(name),
                "left": display_value(name, a),
                "right": display_value(name, b),
                "changed": a != b,
            }
        )
    return rows


def content_rows(placement: Placement) -> list[dict[str, str]]:
    """The agreement's content as label and value, in the agreement's order."""
    content = content_of(placement)
    return [
        {"name": name, "label": field_label(name), "value": display_value(name, content[name])}
        for name in CONTENT_FIELDS
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
    return str(value)


def certificate_initial(placement: Placement) -> dict[str, Any]:
    """A first draft of the certificate: the tasks, and the final evaluation's words."""
    final = Evaluation.objects.filter(placement=placement, kind=Evaluation.Kind.FINAL).first()
    language = (
        Certificate.Language.DANISH
        if placement.participant.organisation.country == "DK"
        else Certificate.Language.NORWEGIAN
    )
    assessment = ""
    if final is not None:
        assessment = "\n\n".join(part for part in (final.tasks_mastered, final.what_worked) if part)
    return {"language": language, "tasks": placement.tasks, "assessment": assessment}


FOLLOW_UP_TOP_UP = 3


@transaction.atomic
def follow_up_log(
    *,
    placement: Placement,
    by: User,
    held_on: datetime.date,
    going: str,
    participant_present: bool = False,
    mentor_present: bool = False,
    employer_present: bool = False,
    counselor_present: bool = False,
    notes: str = "",
    next_steps: str = "",
    scheduled: FollowUp | None = None,
) -> FollowUp:
    """Log a follow-up: it fills the scheduled one it answers (by default the earliest open),
    or stands on its own. An open-ended job's follow-up keeps a few months planned ahead."""
    placement = _locked_for_update(placement)
    if not placement.is_locked or placement.cancelled_at is not None:
        raise ValidationError(_("Follow-ups start when all parties have approved."))
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("Log a follow-up when it has taken place.")})
    if held_on < placement.start_date:
        raise ValidationError({"held_on": _("The placement had not started then.")})
    if going not in FollowUp.Going.values:
        raise ValidationError({"going": _("Say how it is going.")})
    if not any((participant_present, mentor_present, employer_present, counselor_present)):
        raise ValidationError({"participant_present": _("Say who took part.")})
    for field, text in (("notes", notes), ("next_steps", next_steps)):
        if len(text) > TEXT_MAX:
            raise ValidationError({field: _("Keep it under 5,000 characters.")})
    if scheduled is None:
        scheduled = (
            FollowUp.objects.select_for_update()
            .filter(placement=placement, held_on__isnull=True, due_on__isnull=False)
            .order_by("due_on")
            .first()
        )
        if (
            scheduled is not None
            and scheduled.due_on
            and scheduled.due_on > held_on + datetime.timedelta(days=14)
        ):
            scheduled = None
    elif scheduled.placement_id != placement.pk or scheduled.held_on is not None:
        raise ValidationError(_("That follow-up is not open."))
    follow_up = scheduled or FollowUp(placement=placement)
    follow_up.held_on = held_on
    follow_up.going = going
    follow_up.participant_present = participant_present
    follow_up.mentor_present = mentor_present
    follow_up.employer_present = employer_present
    follow_up.counselor_present = counselor_present
    follow_up.notes = notes.strip()
    follow_up.next_steps = next_steps.strip()
    follow_up.logged_by = by
    follow_up.logged_at = timezone.now()
    follow_up.save()
    if placement.follow_up_unlimited and placement.ended_at is None:
        _top_up(placement)
    _refresh_next_follow_up(placement)
    _audit(by, placement, "placement.follow_up_logged", follow_up, going=going)
    return follow_up


def _top_up(placement: Placement) -> None:
    """Keep `FOLLOW_UP_TOP_UP` monthly follow-ups planned for a job followed without end."""
    open_dates = list(
        FollowUp.objects.filter(placement=placement, held_on__isnull=True, due_on__isnull=False)
        .order_by("due_on")
        .values_list("due_on", flat=True)
    )
    last = (
        FollowUp.objects.filter(placement=placement, due_on__isnull=False)
        .order_by("-due_on")
        .values_list("due_on", flat=True)
        .first()
    ) or placement.start_date
    missing = FOLLOW_UP_TOP_UP - len(open_dates)
    FollowUp.objects.bulk_create(
        FollowUp(placement=placement, due_on=rules.add_months(last, n))
        for n in range(1, missing + 1)
    )


@transaction.atomic
def evaluation_save(
    *,
    placement: Placement,
    by: User,
    kind: str,
    held_on: datetime.date,
    tasks_mastered: str,
    attendance: str,
    cooperation: str,
    what_worked: str = "",
    what_was_hard: str = "",
    next_step: str = "",
    with_mentor: bool = True,
    with_participant: bool = True,
) -> Evaluation:
    """Write (or rewrite) the mid-way or final evaluation. A final evaluation behind an issued
    certificate is frozen."""
    placement = _locked_for_update(placement)
    if not placement.is_locked or placement.cancelled_at is not None:
        raise ValidationError(_("Evaluations come when the placement is approved and under way."))
    if held_on < placement.start_date or held_on > timezone.localdate():
        raise ValidationError({"held_on": _("Choose a date between the start and today.")})
    if (
        kind == Evaluation.Kind.FINAL
        and Certificate.objects.filter(placement=placement, issued_at__isnull=False).exists()
    ):
        raise ValidationError(_("The certificate is issued; the final evaluation is frozen."))
    evaluation = Evaluation.objects.filter(placement=placement, kind=kind).first() or Evaluation(
        placement=placement, kind=kind
    )
    evaluation.held_on = held_on
    evaluation.tasks_mastered = tasks_mastered.strip()
    evaluation.attendance = attendance
    evaluation.cooperation = cooperation
    evaluation.what_worked = what_worked.strip()
    evaluation.what_was_hard = what_was_hard.strip()
    evaluation.next_step = next_step.strip()
    evaluation.with_mentor = with_mentor
    evaluation.with_participant = with_participant
    evaluation.written_by = by
    evaluation.full_clean()
    evaluation.save()
    _audit(by, placement, "placement.evaluation_saved", evaluation, kind=kind)
    return evaluation


@transaction.atomic
def certificate_request(
    *, placement: Placement, by: User, language: str, tasks: str, assessment: str
) -> Certificate:
    """Draft the certificate from the final evaluation and ask the employer contact to approve
    it. A returned draft can be corrected and asked again; an issued one is final."""
    if not Evaluation.objects.filter(placement=placement, kind=Evaluation.Kind.FINAL).exists():
        raise ValidationError(_("Write the final evaluation first; the certificate builds on it."))
    certificate = Certificate.objects.select_for_update().filter(placement=placement).first()
    if certificate is not None and certificate.is_issued:
        raise ValidationError(_("The certificate is already issued."))
    certificate = certificate or Certificate(placement=placement)
    certificate.language = language
    certificate.tasks = _clean_text(tasks, "tasks")
    certificate.assessment = _clean_text(assessment, "assessment")
    certificate.requested_by = by
    certificate.returned_comment = ""
    certificate.full_clean()
    certificate.save()
    _audit(by, placement, "placement.certificate_requested", certificate, language=language)
    return certificate


@transaction.atomic
def certificate_approve(*, certificate: Certificate, by: User) -> Certificate:
    """The employer contact approves: the certificate is issued and the participant can
    download it."""
    certificate = (
        Certificate.objects.select_for_update()
        .select_related("placement__participant")
        .get(pk=certificate.pk)
    )
    if certificate.is_issued:
        raise ValidationError(_("The certificate is already issued."))
    if certificate.returned_comment:
        raise ValidationError(_("The certificate was sent back; wait for a new draft."))
    certificate.approved_by = by
    certificate.issued_at = timezone.now()
    certificate.save(update_fields=["approved_by", "issued_at"])
    _audit(by, certificate.placement, "placement.certificate_issued", certificate)
    return certificate


@transaction.atomic
def certificate_return(*, certificate: Certificate, by: User, comment: str) -> Certificate:
    """The employer contact sends the draft back with what should change."""
    certificate = (
        Certificate.objects.select_for_update()
        .select_related("placement__participant")
        .get(pk=certificate.pk)
    )
    if certificate.is_issued:
        raise ValidationError(_("The certificate is already issued."))
    certificate.returned_comment = _clean_text(comment, "comment")
    certificate.save(update_fields=["returned_comment"])
    _audit(by, certificate.placement, "placement.certificate_returned", certificate)
    return certificate


def _clean_text(text: str, field: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError({field: _("Write something first.")})
    if len(text) > TEXT_MAX:
        raise ValidationError({field: _("Keep it under 5,000 characters.")})
    return text


@transaction.atomic
def mentor_note_add(*, placement: Placement, by: User, text: str) -> MentorNote:
    """A note from the workplace; the counselor reads it on the participant's page."""
    note = MentorNote.objects.create(placement=placement, author=by, text=_clean_text(text, "text"))
    _audit(by, placement, "placement.mentor_note_added", note)
    return note


def concern_recipients(placement: Placement) -> list[User]:
    """Who hears of a concern at once: the participant's counselor and the employer's contact
    person (one person when they are the same)."""
    people = [placement.participant.counselor, placement.employer.contact_person]
    unique: dict[int, User] = {p.pk: p for p in people if p is not None and p.is_active}
    return list(unique.values())


@transaction.atomic
def concern_raise(*, placement: Placement, by: User, text: str) -> Concern:
    """ "Something is not going well": stored for the today page, and e-mailed on commit."""
    concern = Concern.objects.create(
        placement=placement, raised_by=by, text=_clean_text(text, "text")
    )
    _audit(by, placement, "placement.concern_raised", concern)
    recipients = [user.email for user in concern_recipients(placement) if user.email]
    transaction.on_commit(lambda: _concern_email(concern, recipients))
    return concern


def _concern_email(concern: Concern, recipients: list[str]) -> None:
    """The e-mail names no participant and quotes nothing: it points to Samspill, where access
    is checked and logged (e-mail is not a safe place for case data)."""
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Samspill: a workplace has flagged a concern")
        body = _(
            "A mentor or employer contact has flagged that something is not going well in a "
            "placement. See your today page: %(url)s"
        ) % {"url": settings.SITE_URL.rstrip("/") + reverse("followup:today")}
    send_mail(subject, body, None, recipients)


@transaction.atomic
def concern_handle(*, concern: Concern, by: User) -> Concern:
    concern = (
        Concern.objects.select_for_update()
        .select_related("placement__participant")
        .get(pk=concern.pk)
    )
    if concern.handled_at is not None:
        raise ValidationError(_("This concern is already handled."))
    concern.handled_at = timezone.now()
    concern.handled_by = by
    concern.save(update_fields=["handled_at", "handled_by"])
    _audit(by, concern.placement, "placement.concern_handled", concern)
    return concern
