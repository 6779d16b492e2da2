"""The outcome report: where participants went, at the end of follow-up and six and twelve
months after it (as NAV's statistics count it), for the follow-up periods that ended in a
window. docs/outcomes.md says how it counts; in short:

- At the end: the period's latest outcome (`PeriodOutcome`) dated on or before its end.
- N months after (6, 12): not yet due while the end + N months lies after the report date.
  When due: the status recorded for that point (`FollowUpStatus`); a status scheduled but not
  recorded is "due, not recorded". A period that ended before statuses existed has none: for
  it, the latest outcome dated on or before the end + N months stands in.
- Broken down by the team and counselor of the period's last counselor assignment (the team
  the person belonged to: ending a period clears the participant's current team), need group,
  referral source, placement kind (the kinds of the placements in the period), jobbLOOP loop
  and age band at the start.

Counts only, never a person: counts of 1-4 hidden by the one rule (core/smallcells.py), and
a second count wherever a total would give a hidden one away.
"""

import csv
import datetime
import io
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samspill.core import smallcells
from samspill.core.dates import add_months
from samspill.loops.models import LoopSeat
from samspill.organisations.models import Organisation
from samspill.participants.models import (
    WORK_OR_EDUCATION,
    CounselorAssignment,
    FollowUpPeriod,
    FollowUpStatus,
    NeedGroup,
    Outcome,
    PeriodOutcome,
)
from samspill.placements.models import Placement
from samspill.referrals.models import Referral, Source

MONTHS_AFTER = (6, 12)
NONE = "none"  # at the end: no outcome recorded (data from before outcomes were required)
NOT_RECORDED = "not_recorded"  # N months after: due, and no status recorded
NOT_YET_DUE = "not_yet_due"
WOE = "work_or_education"
VOCABULARY = list(Outcome.values)
# The points in time and, for each, the outcome keys that add up to those counted there.
POINTS: dict[str, list[str]] = {
    "at_end": [*VOCABULARY, NONE],
    **{f"after_{m}": [*VOCABULARY, NOT_RECORDED] for m in MONTHS_AFTER},
}
AGE_BANDS = [(0, 25, "under 25"), (25, 30, "25-29"), (30, 45, "30-44"), (45, 200, "45 and over")]
AGE_LABELS = {
    "under 25": gettext_lazy("Under 25"),
    "25-29": gettext_lazy("25–29"),
    "30-44": gettext_lazy("30–44"),
    "45 and over": gettext_lazy("45 and over"),
    "unknown": gettext_lazy("Age unknown"),
}
DIMENSIONS = (
    "organisation",
    "team",
    "counselor",
    "need_group",
    "referral_source",
    "placement_kind",
    "loop",
    "age_band",
)
# The dimensions in which every period is in exactly one group: their groups add up to the
# organisation, so a hidden cell must not be recomputable from the organisation's row. A period
# may have placements of several kinds and sit in several loops (or none): those overlap.
PARTITIONS = ("team", "counselor", "need_group", "referral_source", "age_band")


@dataclass
class PeriodRow:
    """One ended period: its groups and where the person was at each point (None: not yet
    due)."""

    period_id: int
    participant_id: int
    groups: dict[str, list[str]]
    points: dict[str, str | None]
    counselor_id: int | None = None  # the period's last counselor (the "counselor" group)


@dataclass
class Group:
    """Counts for one group of periods."""

    ended: int = 0
    counts: dict[str, Counter[str]] = field(
        default_factory=lambda: {point: Counter() for point in POINTS}
    )

    def add(self, row: PeriodRow) -> None:
        self.ended += 1
        for point, outcome in row.points.items():
            self.counts[point][NOT_YET_DUE if outcome is None else outcome] += 1

    def cells(self) -> dict[tuple[str, ...], int]:
        """Its counts, keyed ("ended",) and (point, key) for key in the point's outcomes,
        "work_or_education", and for the points after: "due" and "not_yet_due"."""
        cells: dict[tuple[str, ...], int] = {("ended",): self.ended}
        for point, keys in POINTS.items():
            counts = self.counts[point]
            if point != "at_end":
                cells[(point, NOT_YET_DUE)] = counts[NOT_YET_DUE]
                cells[(point, "due")] = self.ended - counts[NOT_YET_DUE]
            for key in keys:
                cells[(point, key)] = counts[key]
            cells[(point, WOE)] = sum(counts[o] for o in WORK_OR_EDUCATION)
        return cells


def _lines() -> list[tuple[tuple[str, ...], list[tuple[str, ...]]]]:
    """Within a group: the totals and the parts that add up to them."""
    lines: list[tuple[tuple[str, ...], list[tuple[str, ...]]]] = []
    for point, keys in POINTS.items():
        counted = ("ended",) if point == "at_end" else (point, "due")
        if point != "at_end":
            lines.append((("ended",), [(point, NOT_YET_DUE), (point, "due")]))
        lines.append((counted, [(point, key) for key in keys]))
        lines.append(((point, WOE), [(point, str(o)) for o in sorted(WORK_OR_EDUCATION)]))
    return lines


def _shown(groups: dict[str, dict[str, Group]]) -> dict[str, dict[str, dict[str, Any]]]:
    """The groups as JSON-able dicts, small cells hidden by the one rule (core/smallcells.py):
    within a group, and across the groups of a dimension that add up to the organisation."""
    Key = tuple[str, ...]
    values: dict[Key, int] = {
        (dimension, name, *key): n
        for dimension, named in groups.items()
        for name, group in named.items()
        for key, n in group.cells().items()
    }
    lines: list[tuple[Key, list[Key]]] = [
        ((dimension, name, *total), [(dimension, name, *part) for part in parts])
        for dimension, named in groups.items()
        for name in named
        for total, parts in _lines()
    ]
    for whole in groups["organisation"]:
        for dimension in PARTITIONS:
            lines += [
                (
                    ("organisation", whole, *key),
                    [(dimension, name, *key) for name in groups[dimension]],
                )
                for key in Group().cells()
            ]
    shown = smallcells.apply(values, lines)

    def report(dimension: str, name: str) -> dict[str, Any]:
        def cell(*key: str) -> smallcells.Cell:
            return shown[(dimension, name, *key)]

        points: dict[str, Any] = {}
        for point, keys in POINTS.items():
            counted = cell("ended") if point == "at_end" else cell(point, "due")
            points[point] = {
                "counted": counted,
                NOT_YET_DUE: 0 if point == "at_end" else cell(point, NOT_YET_DUE),
                "outcomes": {
                    key: {
                        "n": cell(point, key),
                        "share": smallcells.share(cell(point, key), counted),
                    }
                    for key in keys
                },
                WOE: {"n": cell(point, WOE), "share": smallcells.share(cell(point, WOE), counted)},
            }
        return {
            "ended": cell("ended"),
            "points": points,
            "suppressed": any(shown[(dimension, name, *key)] is None for key in Group().cells()),
        }

    return {
        dimension: {name: report(dimension, name) for name in sorted(named)}
        for dimension, named in groups.items()
    }


def _band(age: float | None) -> str:
    if age is None:
        return "unknown"
    return next(key for low, high, key in AGE_BANDS if low <= age < high)


def _latest(history: list[tuple[datetime.date, str]], by: datetime.date) -> str | None:
    latest = None
    for day, outcome in history:  # sorted by date
        if day > by:
            break
        latest = outcome
    return latest


def _last_per(rows: Iterable[tuple[Any, ...]]) -> dict[Any, tuple[Any, ...]]:
    """The last row for each first value (rows ordered by it, then by time)."""
    return {row[0]: row[1:] for row in rows}


def ended_periods(organisation: Organisation, start: datetime.date, end: datetime.date) -> Any:
    return FollowUpPeriod.objects.filter(
        participant__organisation=organisation, end_date__gte=start, end_date__lte=end
    )


def period_rows(
    organisation: Organisation, start: datetime.date, end: datetime.date, today: datetime.date
) -> list[PeriodRow]:
    """The periods that ended in [start, end], each with its groups and outcomes. Seven
    queries, however many periods."""
    ended: QuerySet[FollowUpPeriod] = ended_periods(organisation, start, end)
    periods = list(
        ended.order_by("end_date", "id").values_list(
            "id",
            "participant_id",
            "start_date",
            "end_date",
            "participant__need_group",
            "participant__birth_date",
        )
    )
    period_ids = ended.values("id")
    participant_ids = ended.values("participant_id")
    history: dict[int, list[tuple[datetime.date, str]]] = defaultdict(list)
    outcomes = (
        PeriodOutcome.objects.filter(period_id__in=period_ids)
        .order_by("period_id", "date", "id")
        .values_list("period_id", "date", "outcome")
    )
    for period_id, day, outcome in outcomes.iterator(chunk_size=10_000):
        history[period_id].append((day, outcome))
    statuses: dict[tuple[int, int], str] = {
        (period_id, months): outcome
        for period_id, months, outcome in FollowUpStatus.objects.filter(
            period_id__in=period_ids
        ).values_list("period_id", "months", "outcome")
    }
    last = _last_per(
        CounselorAssignment.objects.filter(period_id__in=period_ids)
        .order_by("period_id", "started_at", "id")
        .values_list(
            "period_id", "team__name", "counselor__full_name", "counselor__email", "counselor_id"
        )
    )
    referral = _last_per(
        Referral.objects.filter(organisation=organisation, participant_id__in=participant_ids)
        .order_by("participant_id", "received_on", "id")
        .values_list("participant_id", "source")
    )
    placements: dict[int, list[tuple[str, datetime.date, datetime.date | None]]] = defaultdict(list)
    for participant_id, kind, began, finished in Placement.objects.filter(
        participant_id__in=participant_ids, cancelled_at__isnull=True
    ).values_list("participant_id", "kind", "start_date", "end_date"):
        placements[participant_id].append((kind, began, finished))
    seats: dict[int, list[tuple[str, datetime.date]]] = defaultdict(list)
    for participant_id, loop_name, loop_start in (
        LoopSeat.objects.filter(participant_id__in=participant_ids, loop__organisation=organisation)
        .values_list("participant_id", "loop__name", "loop__start_date")
        .distinct()
    ):
        seats[participant_id].append((loop_name, loop_start))

    rows = []
    for period_id, participant_id, began, finished, need, birth in periods:
        assert finished is not None  # filtered on end_date
        team, counselor_name, counselor_email, counselor_id = last.get(
            period_id, (None, None, None, None)
        )
        age = (began - birth).days / 365.25 if birth else None
        kinds = sorted(
            {
                kind
                for kind, p_start, p_end in placements[participant_id]
                if p_start <= finished and (p_end is None or p_end >= began)
            }
        )
        points: dict[str, str | None] = {"at_end": _latest(history[period_id], finished) or NONE}
        for months in MONTHS_AFTER:
            due = add_months(finished, months)
            if due > today:
                points[f"after_{months}"] = None
            elif (period_id, months) in statuses:
                points[f"after_{months}"] = statuses[(period_id, months)] or NOT_RECORDED
            else:  # ended before statuses existed
                points[f"after_{months}"] = _latest(history[period_id], due) or NOT_RECORDED
        rows.append(
            PeriodRow(
                period_id=period_id,
                participant_id=participant_id,
                groups={
                    "organisation": [organisation.name],
                    "team": [team or NONE],
                    "counselor": [counselor_name or counselor_email or NONE],
                    "need_group": [need or "unknown"],
                    "referral_source": [referral.get(participant_id, (NONE,))[0]],
                    "placement_kind": kinds or [NONE],
                    # A loop counts the periods that ended once it had started (as its share
                    # to work or education counts the outcomes from its start).
                    "loop": sorted({name for name, s in seats[participant_id] if s <= finished}),
                    "age_band": [_band(age)],
                },
                points=points,
                counselor_id=counselor_id,
            )
        )
    return rows


def compute(
    organisation: Organisation, start: datetime.date, end: datetime.date, today: datetime.date
) -> dict[str, Any]:
    """The report as a JSON-able dict (the page, the CSV and the API show it). Eight queries."""
    followed = (
        FollowUpPeriod.objects.filter(participant__organisation=organisation, start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .count()
    )
    groups: dict[str, dict[str, Group]] = {d: defaultdict(Group) for d in DIMENSIONS}
    for row in period_rows(organisation, start, end, today):
        for dimension, names in row.groups.items():
            for name in names:
                groups[dimension][name].add(row)
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "today": today.isoformat(),
        "followed": smallcells.count(followed),
        "groups": _shown(groups),
    }


def outcome_labels() -> dict[str, str]:
    """People's words for the outcome keys of the points."""
    return {
        **{value: str(label) for value, label in Outcome.choices},
        NONE: _("No outcome recorded"),
        NOT_RECORDED: _("Due, not recorded"),
        WOE: _("Work or education"),
    }


def point_labels() -> dict[str, str]:
    return {
        "at_end": _("At the end"),
        "after_6": _("6 months after"),
        "after_12": _("12 months after"),
    }


def group_label(dimension: str, name: str) -> str:
    """People's words for a group of a dimension."""
    words: dict[str, dict[str, Any]] = {
        "team": {NONE: _("No team")},
        "counselor": {NONE: _("No counselor")},
        "need_group": {**dict(NeedGroup.choices), "unknown": _("Unknown")},
        "referral_source": {**dict(Source.choices), NONE: _("No referral")},
        "placement_kind": {**dict(Placement.Kind.choices), NONE: _("No placement")},
        "age_band": AGE_LABELS,
    }
    return str(words.get(dimension, {}).get(name, name))


def csv_header() -> list[str]:
    header = ["dimension", "group", "ended"]
    for point, keys in POINTS.items():
        if point != "at_end":
            header += [f"{point}_{NOT_YET_DUE}", f"{point}_due"]
        header += [f"{point}_{key}" for key in keys] + [f"{point}_{WOE}"]
    return header


def as_csv(result: dict[str, Any]) -> str:
    """One row per group: the counts at the end and 6 and 12 months after; a hidden count is
    written as "suppressed"."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(csv_header())
    for dimension, named in result["groups"].items():
        for name, group in named.items():
            values: list[Any] = [group["ended"]]
            for point, keys in POINTS.items():
                shown = group["points"][point]
                if point != "at_end":
                    values += [shown[NOT_YET_DUE], shown["counted"]]
                values += [shown["outcomes"][key]["n"] for key in keys] + [shown[WOE]["n"]]
            writer.writerow([dimension, name, *(smallcells.csv_value(n) for n in values)])
    return out.getvalue()
