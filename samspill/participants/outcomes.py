"""Outcomes and statuses after follow-up: the writes (STYLE.md 2) and the small reads the
pages share. One source of truth for every outcome figure (docs/outcomes.md):

- `PeriodOutcome`: where the person went during the period, dated, at most one a day. Ending a
  period records the outcome at its end (`participants.services.period_end`); the counselor
  can record one before (a job that starts while follow-up goes on) and correct any, with the
  earlier values kept.
- `FollowUpStatus`: where the person is six and twelve months after the end, scheduled when
  the period ends and recorded by the last counselor, a leader, the participant or an import.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from samspill.accounts.models import User
from samspill.audit.services import audit_record
from samspill.core.dates import add_months
from samspill.participants.models import (
    CounselorAssignment,
    FollowUpPeriod,
    FollowUpStatus,
    Outcome,
    OutcomeSource,
    PeriodOutcome,
    PeriodOutcomeChange,
)

MAX_HOURS = Decimal(75)
# A status may be recorded from this many days before it is due.
STATUS_EARLY_DAYS = 30


def _day(value: datetime.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def check_work_details(
    errors: dict[str, str], outcome: str, hours_per_week: Decimal | None, wage_subsidy: bool
) -> None:
    if outcome not in Outcome.values:
        errors["outcome"] = _("Choose an outcome.")
        return
    if outcome != Outcome.ORDINARY_WORK:
        if hours_per_week is not None:
            errors["hours_per_week"] = _("Hours per week apply to ordinary work only.")
        if wage_subsidy:
            errors["wage_subsidy"] = _("A wage subsidy applies to ordinary work only.")
    elif hours_per_week is not None and not (0 < hours_per_week <= MAX_HOURS):
        errors["hours_per_week"] = _("Hours per week must be more than 0 and at most %(max)s.") % {
            "max": MAX_HOURS
        }


def _check_outcome(
    *,
    period: FollowUpPeriod,
    date: datetime.date,
    outcome: str,
    hours_per_week: Decimal | None,
    wage_subsidy: bool,
    exclude: int | None = None,
    end_date: datetime.date | None = None,
) -> None:
    """Raise one ValidationError naming every field that is wrong."""
    errors: dict[str, str] = {}
    check_work_details(errors, outcome, hours_per_week, wage_subsidy)
    end = end_date or period.end_date
    if date < period.start_date:
        errors["date"] = _(
            "The outcome cannot be dated before the follow-up period started (%(start)s)."
        ) % {"start": _day(period.start_date)}
    elif date > timezone.localdate():
        errors["date"] = _("The outcome cannot be dated in the future.")
    elif end is not None and date > end:
        errors["date"] = _(
            "The follow-up period ended on %(end)s: record later news as a status after follow-up."
        ) % {"end": _day(end)}
    elif PeriodOutcome.objects.filter(period=period, date=date).exclude(pk=exclude or 0).exists():
        errors["date"] = _(
            "An outcome is already recorded on %(date)s: correct that one instead."
        ) % {"date": _day(date)}
    if errors:
        raise ValidationError(errors)


def _audit(by: Any, period: FollowUpPeriod, action: str, obj: Any, **data: Any) -> None:
    audit_record(
        actor=by,
        organisation_id=period.participant.organisation_id,
        action=action,
        obj=obj,
        participant_id=period.participant_id,
        # Codes and dates only: no free text in the audit trail.
        data=data,
    )


def _locked_period(period: FollowUpPeriod) -> FollowUpPeriod:
    return (
        FollowUpPeriod.objects.select_for_update().select_related("participant").get(pk=period.pk)
    )


def _summarise_end(period: FollowUpPeriod) -> None:
    """Keep the period's own copy of its outcome at the end in step with the outcomes."""
    if period.end_date is None:
        return
    latest = (
        PeriodOutcome.objects.filter(period=period, date__lte=period.end_date)
        .order_by("-date", "-id")
        .values_list("outcome", flat=True)
        .first()
    )
    if (latest or "") != period.end_reason:
        period.end_reason = latest or ""
        period.save(update_fields=["end_reason"])


@transaction.atomic
def outcome_record(
    *,
    period: FollowUpPeriod,
    by: User,
    date: datetime.date,
    outcome: str,
    hours_per_week: Decimal | None = None,
    wage_subsidy: bool = False,
    note: str = "",
    source: str = OutcomeSource.STAFF,
    end_date: datetime.date | None = None,
) -> PeriodOutcome:
    """Record where the participant went on `date`, in the period (open, or up to its end).
    `end_date` checks against an end being recorded in the same transaction."""
    period = _locked_period(period)
    _check_outcome(
        period=period,
        date=date,
        outcome=outcome,
        hours_per_week=hours_per_week,
        wage_subsidy=wage_subsidy,
        end_date=end_date,
    )
    record = PeriodOutcome.objects.create(
        period=period,
        date=date,
        outcome=outcome,
        hours_per_week=hours_per_week,
        wage_subsidy=wage_subsidy,
        note=note.strip()[:300],
        source=source,
        recorded_by=by if getattr(by, "pk", None) else None,
        recorded_at=timezone.now(),
    )
    _summarise_end(period)
    _audit(by, period, "outcome.recorded", record, outcome=outcome, date=date.isoformat())
    return record


@transaction.atomic
def outcome_correct(
    *,
    record: PeriodOutcome,
    by: User,
    revision: int | None,
    date: datetime.date,
    outcome: str,
    hours_per_week: Decimal | None = None,
    wage_subsidy: bool = False,
    note: str = "",
    reason: str = "",
) -> PeriodOutcome:
    """Correct an outcome; its earlier values are kept as a `PeriodOutcomeChange`."""
    record = PeriodOutcome.objects.select_for_update().get(pk=record.pk)
    period = _locked_period(record.period)
    if revision is not None and revision != record.revision:
        raise ValidationError(
            _(
                "Someone else corrected this outcome while you were editing: it is now "
                "%(outcome)s on %(date)s. Look at it again before you save."
            )
            % {"outcome": record.get_outcome_display(), "date": _day(record.date)}
        )
    _check_outcome(
        period=period,
        date=date,
        outcome=outcome,
        hours_per_week=hours_per_week,
        wage_subsidy=wage_subsidy,
        exclude=record.pk,
    )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the outcome is corrected.")})
    before = {
        "date": record.date.isoformat(),
        "outcome": record.outcome,
        "hours_per_week": str(record.hours_per_week) if record.hours_per_week else None,
        "wage_subsidy": record.wage_subsidy,
        "note": record.note,
    }
    PeriodOutcomeChange.objects.create(
        outcome=record,
        changed_at=timezone.now(),
        changed_by=by if getattr(by, "pk", None) else None,
        reason=reason.strip()[:300],
        before=before,
    )
    record.date = date
    record.outcome = outcome
    record.hours_per_week = hours_per_week
    record.wage_subsidy = wage_subsidy
    record.note = note.strip()[:300]
    record.revision += 1
    record.save()
    _summarise_end(period)
    _audit(
        by,
        period,
        "outcome.corrected",
        record,
        outcome=outcome,
        date=date.isoformat(),
        before=before["outcome"],
    )
    return record


def statuses_schedule(*, period: FollowUpPeriod) -> list[FollowUpStatus]:
    """The statuses six and twelve months after the period's end, reminded to its last
    counselor. Idempotent: a status already scheduled is kept."""
    assert period.end_date is not None
    last = (
        CounselorAssignment.objects.filter(period=period)
        .order_by("-started_at", "-id")
        .values_list("counselor_id", flat=True)
        .first()
    )
    statuses = []
    for months in FollowUpStatus.MONTHS:
        status, _created = FollowUpStatus.objects.get_or_create(
            period=period,
            months=months,
            defaults={"due_on": add_months(period.end_date, months), "counselor_id": last},
        )
        statuses.append(status)
    return statuses


@transaction.atomic
def status_record(
    *,
    status: FollowUpStatus,
    by: Any,
    outcome: str,
    as_of: datetime.date,
    hours_per_week: Decimal | None = None,
    wage_subsidy: bool = False,
    revision: int | None = None,
    source: str = OutcomeSource.STAFF,
) -> FollowUpStatus:
    """Record (or correct) where the person is, six or twelve months after the period."""
    status = (
        FollowUpStatus.objects.select_for_update()
        .select_related("period__participant")
        .get(pk=status.pk)
    )
    period = status.period
    assert period.end_date is not None
    if revision is not None and revision != status.revision:
        raise ValidationError(
            _(
                "Someone else recorded this status while you were editing: it is now "
                "%(outcome)s. Look at it again before you save."
            )
            % {"outcome": status.get_outcome_display() or "–"}
        )
    errors: dict[str, str] = {}
    check_work_details(errors, outcome, hours_per_week, wage_subsidy)
    earliest = status.due_on - datetime.timedelta(days=STATUS_EARLY_DAYS)
    if as_of <= period.end_date:
        errors["as_of"] = _(
            "A status after follow-up must be dated after the period ended (%(end)s)."
        ) % {"end": _day(period.end_date)}
    elif as_of > timezone.localdate():
        errors["as_of"] = _("The status cannot be dated in the future.")
    elif as_of < earliest:
        errors["as_of"] = _("The status %(months)s months after can be recorded from %(date)s.") % {
            "months": status.months,
            "date": _day(earliest),
        }
    if errors:
        raise ValidationError(errors)
    previous = status.outcome
    status.outcome = outcome
    status.as_of = as_of
    status.hours_per_week = hours_per_week
    status.wage_subsidy = wage_subsidy
    status.source = source
    status.recorded_by = by if getattr(by, "pk", None) else None
    status.recorded_at = timezone.now()
    status.revision += 1
    status.save()
    _audit(
        by,
        period,
        "status.corrected" if previous else "status.recorded",
        status,
        months=status.months,
        outcome=outcome,
        as_of=as_of.isoformat(),
        **({"before": previous} if previous else {}),
    )
    return status


def latest_outcome(period: FollowUpPeriod, on: datetime.date) -> PeriodOutcome | None:
    """The period's outcome that holds on `on`: the latest dated on or before it."""
    return (
        PeriodOutcome.objects.filter(period=period, date__lte=on).order_by("-date", "-id").first()
    )


def period_team_id(period: FollowUpPeriod) -> int | None:
    """The team the participant belonged to in the period: its last assignment's."""
    return (
        CounselorAssignment.objects.filter(period=period)
        .order_by("-started_at", "-id")
        .values_list("team_id", flat=True)
        .first()
    )
