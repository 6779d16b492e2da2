"""Writes to the mentor side of a placement (seed 002): the mentor chosen with the employer
and the time and compensation set aside (staff), the hours spent each month (staff, or the
placement's own mentor through the portal), and the challenges a follow-up or evaluation
names. Who may reach a placement is the caller's door (the staff door in views and API, the
portal's own-placements door); the mentor's month also checks that `by` is the placement's
mentor or staff, so a portal user can never write to another mentor's placement."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.accounts.models import User
from samspill.core.revisions import StaleRevision, check_revision, count_save
from samspill.employers.models import EmployerContact
from samspill.placements import services
from samspill.placements.models import (
    EMPLOYER_VISIBLE,
    AgreementApproval,
    AgreementVersion,
    Challenge,
    MentorArrangement,
    MentorMonth,
    Placement,
    Status,
)
from samspill.placements.services import TEXT_MAX, _audit, _locked_for_update

MAX_WEEK_HOURS = Decimal("40")
MAX_MONTH_HOURS = Decimal("200")


def clean_challenges(values: list[str]) -> list[str]:
    """The chosen challenges in the fixed order, once each; an unknown one is refused."""
    unknown = set(values) - set(Challenge.values)
    if unknown:
        raise ValidationError({"challenges": _("Choose challenges from the list.")})
    return [value for value in Challenge.values if value in values]


def employer_visible(values: list[str]) -> list[str]:
    """The challenges the employer portal may show: never mental health (a health detail)."""
    return [value for value in values if value in EMPLOYER_VISIBLE]


def challenge_counts(values_lists: list[list[str]]) -> dict[str, int]:
    """How many of the follow-ups/evaluations named each challenge, in the fixed order."""
    counts = dict.fromkeys(Challenge.values, 0)
    for values in values_lists:
        for value in values:
            if value in counts:
                counts[value] += 1
    return {value: n for value, n in counts.items() if n}


def _text(value: str, field: str) -> str:
    value = value.strip()
    if len(value) > TEXT_MAX:
        raise ValidationError({field: _("Keep it under 5,000 characters.")})
    return value


def _hours(value: Decimal | None, field: str, most: Decimal) -> Decimal | None:
    if value is not None and not Decimal("0") <= value <= most:
        raise ValidationError(
            {field: _("Give the hours as a number from 0 to %(most)s.") % {"most": most}}
        )
    return value


def _check_read(current: MentorArrangement | MentorMonth, revision: int | None) -> None:
    """Every caller reads before it writes: no revision means the caller saw none, so a row
    someone else made meanwhile is as stale as a changed one."""
    if revision is None:
        raise StaleRevision(current)
    check_revision(current, revision)


@transaction.atomic
def mentor_arrangement_save(
    *,
    placement: Placement,
    by: User,
    revision: int | None,
    chosen_with_employer: bool,
    chosen_on: datetime.date,
    why: str = "",
    hours_per_week: Decimal | None = None,
    compensation: str = MentorArrangement.Compensation.NONE,
    rate: str = "",
    paid_by: str = "",
    leader: EmployerContact | None = None,
    reason: str = "",
) -> MentorArrangement:
    """Record (or change) how the mentor was chosen and what the mentor's time is worth.
    `revision` is the arrangement's revision the caller read (None when there was none).

    The arrangement is part of the agreement: on an approved agreement a change makes the next
    numbered version (with `reason`, or a plain one when none is given), as any other change
    of content does; on a draft it clears the approvals given so far."""
    placement = _locked_for_update(placement)
    if placement.mentor_id is None:
        raise ValidationError(_("Choose the mentor in the agreement first."))
    if placement.cancelled_at is not None:
        raise ValidationError(_("This placement is cancelled."))
    if leader is not None and leader.employer_id != placement.employer_id:
        raise ValidationError({"leader": _("Choose a contact at this employer.")})
    if chosen_on > timezone.localdate():
        raise ValidationError({"chosen_on": _("The date cannot be in the future.")})
    if compensation not in MentorArrangement.Compensation.values:
        raise ValidationError({"compensation": _("Choose from the list.")})
    arrangement = MentorArrangement.objects.select_for_update().filter(placement=placement).first()
    if arrangement is None:
        if revision:
            raise ValidationError(_("Someone else saved this while you were editing."))
        arrangement = MentorArrangement(placement=placement)
    else:
        _check_read(arrangement, revision)
        count_save(arrangement)
    arrangement.chosen_with_employer = chosen_with_employer
    arrangement.chosen_on = chosen_on
    arrangement.chosen_by = by
    arrangement.why = _text(why, "why")
    arrangement.hours_per_week = _hours(hours_per_week, "hours_per_week", MAX_WEEK_HOURS)
    arrangement.compensation = compensation
    arrangement.rate = rate.strip()[:200]
    arrangement.paid_by = paid_by.strip()[:200]
    arrangement.leader = leader
    arrangement.full_clean(exclude=["placement", "chosen_by"])
    before = services.arrangement_content(placement)
    arrangement.save()
    _audit(by, placement, "placement.mentor_arrangement_saved", arrangement)
    if services.arrangement_content(placement) != before:
        _into_agreement(placement, by, _text(reason, "reason"))
    return arrangement


def _into_agreement(placement: Placement, by: User, reason: str) -> None:
    """Carry a changed arrangement into the agreement (the placement is locked by the caller)."""
    if placement.is_locked:
        if placement.status == Status.ENDED:
            return  # an ended agreement gets no new versions; the mentor page keeps the record
        version = services.next_version(
            placement,
            by=by,
            change=AgreementVersion.Change.CONTENT,
            reason=reason or _("The mentor arrangement was recorded or changed."),
            content=services.version_content(placement),
        )
        _audit(
            by,
            placement,
            "placement.version",
            version,
            number=version.number,
            fields=[services.MENTOR_ARRANGEMENT],
        )
        return
    approvals = AgreementApproval.objects.filter(placement=placement)
    cleared = list(approvals.values_list("party", flat=True))
    if cleared:
        approvals.delete()
        Placement.objects.filter(pk=placement.pk).update(revision=F("revision") + 1)
        _audit(
            by,
            placement,
            "placement.agreement_changed",
            placement,
            fields=[services.MENTOR_ARRANGEMENT],
            cleared=cleared,
        )


def may_record_month(user: User, placement: Placement) -> bool:
    """Staff through their door, or the placement's own mentor; no other portal user."""
    contact = getattr(user, "employer_contact", None)
    if contact is None:
        return True  # staff: the caller's door has already checked the placement
    return placement.mentor_id == contact.pk


@transaction.atomic
def mentor_month_record(
    *,
    placement: Placement,
    by: User,
    month: datetime.date,
    hours: Decimal,
    note: str = "",
    revision: int | None = None,
) -> MentorMonth:
    """Record the hours the mentor spent in `month` (any day in it); a second record of the
    same month updates the first, from the revision the caller read."""
    placement = _locked_for_update(placement)
    if not may_record_month(by, placement):
        raise PermissionDenied
    if placement.cancelled_at is not None:
        raise ValidationError(_("This placement is cancelled."))
    month = month.replace(day=1)
    if month < placement.start_date.replace(day=1) or month > timezone.localdate().replace(day=1):
        raise ValidationError({"month": _("Choose a month between the start and now.")})
    checked = _hours(hours, "hours", MAX_MONTH_HOURS)
    existing = MentorMonth.objects.select_for_update().filter(placement=placement, month=month)
    record = existing.first()
    if record is None:
        if revision:
            raise ValidationError(_("Someone else saved this while you were editing."))
        record = MentorMonth(placement=placement, month=month)
    else:
        _check_read(record, revision)
        count_save(record)
    record.hours = checked if checked is not None else Decimal("0")
    record.note = _text(note, "note")
    record.recorded_by = by
    record.save()
    _audit(by, placement, "placement.mentor_month_recorded", record, month=f"{month:%Y-%m}")
    return record


def mentor_summary(placement: Placement) -> dict[str, Any]:
    """The arrangement (or None) and the months recorded, newest first, with their total."""
    arrangement = (
        MentorArrangement.objects.select_related("leader", "chosen_by")
        .filter(placement=placement)
        .first()
    )
    months = list(placement.mentor_months.all())
    return {
        "arrangement": arrangement,
        "months": months,
        "total_hours": sum((m.hours for m in months), Decimal("0")),
    }
