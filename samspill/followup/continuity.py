"""Counselor continuity: what research says a change costs, and the metrics that follow it.

The Danish BIP study (DOMAIN.md, seed 000) found each change of counselor during follow-up
lowers the chance of a job by about 22%. We show that cost before a change is made, as a
reminder of the research, never as a prediction for one person.

Metrics, for an organisation and a window of dates:
- share of follow-up periods in the window with no change of counselor;
- changes per 100 participant-years of follow-up in the window;
- median months with the same counselor (assignments that were in force in the window).
A period counts for the counselor assigned last in it within the window, and for that
counselor's team. Everything is aggregated in SQL; a fixed number of queries per call.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    DateField,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, Greatest, Least, RowNumber
from django.utils import timezone

from samspill.core import smallcells
from samspill.organisations.models import Membership
from samspill.participants.models import CounselorAssignment, FollowUpPeriod

CHANGE_EFFECT = 0.78  # the relative chance after one change (about 22% lower)
DAYS_PER_YEAR = 365.25
DAYS_PER_MONTH = 30.44


def changes_in_period(period: FollowUpPeriod | None) -> int:
    """Changes of counselor so far in the period (the first assignment is not a change)."""
    if period is None:
        return 0
    return (
        CounselorAssignment.objects.filter(period=period)
        .exclude(reason=CounselorAssignment.Reason.INITIAL)
        .count()
    )


def relative_chance_after(changes: int) -> int:
    """The chance of work after `changes` changes, in percent of the chance with one counselor."""
    return round(100 * CHANGE_EFFECT**changes)


@dataclass(frozen=True)
class Continuity:
    periods: int
    without_change: int
    changes: int
    participant_years: float

    @property
    def share_without_change(self) -> float | None:
        return self.without_change / self.periods if self.periods else None

    @property
    def changes_per_100_years(self) -> float | None:
        return 100 * self.changes / self.participant_years if self.participant_years else None


def _date(value: datetime.date) -> Value:
    return Value(value, output_field=DateField())


def periods_in_window(
    organisation_id: int, start: datetime.date, end: datetime.date
) -> QuerySet[FollowUpPeriod]:
    """Periods overlapping [start, end], annotated with what the metrics need."""
    changes = CounselorAssignment.objects.filter(period=OuterRef("pk")).exclude(
        reason=CounselorAssignment.Reason.INITIAL
    )
    changes_in_window = (
        changes.filter(started_at__date__gte=start, started_at__date__lte=end)
        .values("period")
        .annotate(n=Count("id"))
        .values("n")[:1]
    )
    last_counselor = (
        CounselorAssignment.objects.filter(period=OuterRef("pk"), started_at__date__lte=end)
        .order_by("-started_at", "-id")
        .values("counselor_id")[:1]
    )
    first_day = Greatest(F("start_date"), _date(start))
    last_day = Least(Coalesce(F("end_date"), _date(end)), _date(end))
    return (
        FollowUpPeriod.objects.filter(
            participant__organisation_id=organisation_id, start_date__lte=end
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .annotate(
            has_change=Exists(changes.filter(started_at__date__lte=end)),
            n_changes=Coalesce(Subquery(changes_in_window, output_field=IntegerField()), Value(0)),
            last_counselor=Subquery(last_counselor, output_field=IntegerField()),
            followed=ExpressionWrapper(last_day - first_day, output_field=DurationField()),
        )
    )


AGGREGATES: dict[str, Any] = {
    "periods": Count("id"),
    "without_change": Count("id", filter=Q(has_change=False)),
    "changes": Sum("n_changes"),
    "days_followed": Sum("followed"),
}


def _continuity(row: dict[str, Any]) -> Continuity:
    followed: datetime.timedelta | None = row["days_followed"]
    return Continuity(
        periods=row["periods"] or 0,
        without_change=row["without_change"] or 0,
        changes=row["changes"] or 0,
        # A period that starts and ends on the same day still counts as one day followed.
        participant_years=((followed.days if followed else 0) + (row["periods"] or 0))
        / DAYS_PER_YEAR,
    )


def organisation_continuity(
    organisation_id: int, start: datetime.date, end: datetime.date
) -> Continuity:
    return _continuity(periods_in_window(organisation_id, start, end).aggregate(**AGGREGATES))


def continuity_by_counselor(
    organisation_id: int, start: datetime.date, end: datetime.date
) -> dict[int, Continuity]:
    """One grouped query: {counselor id: figures}."""
    rows = (
        periods_in_window(organisation_id, start, end)  # type: ignore[misc]
        .values("last_counselor")
        .annotate(**AGGREGATES)
        .order_by()
    )
    return {row["last_counselor"]: _continuity(row) for row in rows if row["last_counselor"]}


def combine(parts: list[Continuity]) -> Continuity:
    return Continuity(
        periods=sum(p.periods for p in parts),
        without_change=sum(p.without_change for p in parts),
        changes=sum(p.changes for p in parts),
        participant_years=sum(p.participant_years for p in parts),
    )


def _assignments_in_window(
    organisation_id: int, start: datetime.date, end: datetime.date
) -> QuerySet[CounselorAssignment]:
    """Assignments in force in the window, annotated with their `length` inside it.

    Open assignments count up to the end of the window.
    """
    end_of_window = datetime.datetime.combine(
        end, datetime.time.max, tzinfo=timezone.get_current_timezone()
    )
    window_end = Value(end_of_window, output_field=DateTimeField())
    return (
        CounselorAssignment.objects.filter(
            participant__organisation_id=organisation_id, started_at__lte=end_of_window
        )
        .filter(Q(ended_at__isnull=True) | Q(ended_at__date__gte=start))
        .annotate(
            length=ExpressionWrapper(
                Least(Coalesce(F("ended_at"), window_end), window_end) - F("started_at"),
                output_field=DurationField(),
            )
        )
    )


def _months(lengths: list[datetime.timedelta]) -> float:
    total = sum(lengths, datetime.timedelta())
    return round(total.total_seconds() / len(lengths) / 86400 / DAYS_PER_MONTH, 1)


def median_months_with_same_counselor(
    organisation_id: int, start: datetime.date, end: datetime.date
) -> float | None:
    """Median length of the assignments in force in the window, in months (one query)."""
    return median_months_by(organisation_id, start, end, group="organisation").get(0)


def median_months_by(
    organisation_id: int, start: datetime.date, end: datetime.date, *, group: str = "counselor"
) -> dict[int | None, float]:
    """{counselor id, or team id: median months with the same counselor}, in one query.

    `group` is "counselor", "team" (the counselor's team in the organisation; None when the
    counselor has none) or "organisation" (one group, key 0). Window functions number each group's assignments by length and count
    them; only the middle one or two rows per group leave the database. A group of 1-4
    assignments has no median here (the small-cell rule, core/smallcells.py).
    """
    assignments = _assignments_in_window(organisation_id, start, end)
    if group == "team":
        team = Membership.objects.filter(
            organisation_id=organisation_id, user_id=OuterRef("counselor_id")
        ).values("team_id")[:1]
        assignments = assignments.annotate(group_key=Subquery(team, output_field=IntegerField()))
    elif group == "organisation":
        assignments = assignments.annotate(group_key=Value(0, output_field=IntegerField()))
    else:
        assignments = assignments.annotate(group_key=F("counselor_id"))
    partition = [F("group_key")]
    rows = (
        assignments.annotate(
            position=Window(RowNumber(), partition_by=partition, order_by=[F("length"), F("id")]),
            group_size=Window(Count("id"), partition_by=partition),
        )
        .filter(Q(position=(F("group_size") + 1) / 2) | Q(position=F("group_size") / 2 + 1))
        .values_list("group_key", "length", "group_size")
        .order_by()
    )
    middles: dict[int | None, list[datetime.timedelta]] = {}
    for key, length, size in rows:
        if not smallcells.is_small(size):  # a median of 1-4 people's time is not shown
            middles.setdefault(key, []).append(length)
    return {key: _months(lengths) for key, lengths in middles.items()}
