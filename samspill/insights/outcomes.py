"""Outcomes: how many were followed, and where they went, at the end of follow-up and six
months after it (the status six months after leaving, as NAV's statistics count it).

For the follow-up periods that ended in a window: the latest outcome on or before the end
(work, education, apprenticeship, another next step, or none recorded), and the latest on or
before six months after the end, for the periods that ended at least six months ago. Broken
down by team, jobbLOOP loop, need group and age band. Counts only: never a person, and
counts of 1-4 hidden (core/smallcells.py).
"""

import csv
import datetime
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samspill.core import smallcells
from samspill.loops.models import LoopSeat
from samspill.organisations.models import Organisation
from samspill.participants.models import FollowUpPeriod, NeedGroup, PeriodOutcome
from samspill.placements.rules import add_months

AFTER_MONTHS = 6
NONE = "none"
OUTCOMES = [*PeriodOutcome.Outcome.values, NONE]
AGE_BANDS = [(0, 25, "under 25"), (25, 30, "25-29"), (30, 45, "30-44"), (45, 200, "45 and over")]
AGE_LABELS = {
    "under 25": gettext_lazy("Under 25"),
    "25-29": gettext_lazy("25–29"),
    "30-44": gettext_lazy("30–44"),
    "45 and over": gettext_lazy("45 and over"),
    "unknown": gettext_lazy("Age unknown"),
}


@dataclass
class Group:
    """Counts for one group of periods."""

    ended: int = 0
    at_end: Counter[str] = field(default_factory=Counter)
    after_known: int = 0  # ended at least six months before the report date
    after: Counter[str] = field(default_factory=Counter)

    def cells(self) -> dict[tuple[str, ...], int]:
        """Its counts, keyed ("ended",), ("at_end", outcome), ("after_known",), ("after", o)."""
        return {
            ("ended",): self.ended,
            **{("at_end", o): self.at_end[o] for o in OUTCOMES},
            ("after_known",): self.after_known,
            **{("after", o): self.after[o] for o in OUTCOMES},
        }


# The dimensions in which every period is in exactly one group: their groups add up to the
# organisation, so a hidden cell must not be recomputable from the organisation's row.
PARTITIONS = ("team", "need_group", "age_band")
LINES = [
    (("ended",), [("at_end", o) for o in OUTCOMES]),
    (("after_known",), [("after", o) for o in OUTCOMES]),
]


def _shown(groups: dict[str, dict[str, Group]]) -> dict[str, dict[str, dict[str, Any]]]:
    """The groups as JSON-able dicts, small cells hidden by the one rule (core/smallcells.py):
    within a group (outcomes add up to those ended), and across the groups of a dimension that
    add up to the organisation."""
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
        for total, parts in LINES
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

        def shares(kind: str, total: smallcells.Cell) -> dict[str, Any]:
            return {
                o: {"n": cell(kind, o), "share": smallcells.share(cell(kind, o), total)}
                for o in OUTCOMES
            }

        return {
            "ended": cell("ended"),
            "at_end": shares("at_end", cell("ended")),
            "six_months_after_known": cell("after_known"),
            "six_months_after": shares("after", cell("after_known")),
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


def _latest(history: list[tuple[datetime.date, str]], by: datetime.date) -> str:
    latest = NONE
    for day, outcome in history:  # sorted by date
        if day > by:
            break
        latest = outcome
    return latest


def compute(
    organisation: Organisation, start: datetime.date, end: datetime.date, today: datetime.date
) -> dict[str, Any]:
    followed = (
        FollowUpPeriod.objects.filter(participant__organisation=organisation, start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .count()
    )
    periods = list(
        FollowUpPeriod.objects.filter(
            participant__organisation=organisation, end_date__gte=start, end_date__lte=end
        ).values_list(
            "id",
            "participant_id",
            "start_date",
            "end_date",
            "participant__need_group",
            "participant__birth_date",
            "participant__team__name",
        )
    )
    history: dict[int, list[tuple[datetime.date, str]]] = defaultdict(list)
    outcomes = (
        PeriodOutcome.objects.filter(period_id__in=[p[0] for p in periods])
        .order_by("period_id", "date", "id")
        .values_list("period_id", "date", "outcome")
    )
    for period_id, day, outcome in outcomes.iterator(chunk_size=10_000):
        history[period_id].append((day, outcome))
    loops: dict[int, list[str]] = defaultdict(list)
    seats = LoopSeat.objects.filter(
        participant_id__in={p[1] for p in periods}, loop__organisation=organisation
    ).values_list("participant_id", "loop__name")
    for participant_id, loop_name in seats:
        loops[participant_id].append(loop_name)

    groups: dict[str, dict[str, Group]] = {
        "organisation": defaultdict(Group),
        "team": defaultdict(Group),
        "loop": defaultdict(Group),
        "need_group": defaultdict(Group),
        "age_band": defaultdict(Group),
    }
    for period_id, participant_id, began, ended, need, birth, team in periods:
        assert ended is not None  # filtered on end_date
        at_end = _latest(history[period_id], ended)
        after_date = add_months(ended, AFTER_MONTHS)
        after = _latest(history[period_id], after_date) if after_date <= today else None
        age = (began - birth).days / 365.25 if birth else None
        keys = {
            "organisation": [organisation.name],
            "team": [team or "-"],
            "loop": loops.get(participant_id, []),
            "need_group": [need or "unknown"],
            "age_band": [_band(age)],
        }
        for dimension, names in keys.items():
            for name in names:
                group = groups[dimension][name]
                group.ended += 1
                group.at_end[at_end] += 1
                if after is not None:
                    group.after_known += 1
                    group.after[after] += 1
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "followed": smallcells.count(followed),
        "groups": _shown(groups),
    }


def labels() -> dict[str, str]:
    """People's words for the outcomes, the need groups and the age bands."""
    return {
        **{value: str(label) for value, label in PeriodOutcome.Outcome.choices},
        NONE: _("No outcome recorded"),
        **{value: str(label) for value, label in NeedGroup.choices},
        "unknown": _("Unknown"),
        **{key: str(label) for key, label in AGE_LABELS.items()},
    }


def as_csv(result: dict[str, Any]) -> str:
    """One row per group: counts at the end and six months after; a hidden count is written
    as "suppressed"."""
    out = io.StringIO()
    writer = csv.writer(out)
    header = ["dimension", "group", "ended"]
    header += [f"at_end_{o}" for o in OUTCOMES]
    header += ["six_months_after_known"] + [f"six_months_after_{o}" for o in OUTCOMES]
    writer.writerow(header)
    for dimension, named in result["groups"].items():
        for name, group in named.items():
            writer.writerow(
                [dimension, name]
                + [
                    smallcells.csv_value(n)
                    for n in [
                        group["ended"],
                        *(group["at_end"][o]["n"] for o in OUTCOMES),
                        group["six_months_after_known"],
                        *(group["six_months_after"][o]["n"] for o in OUTCOMES),
                    ]
                ]
            )
    return out.getvalue()
