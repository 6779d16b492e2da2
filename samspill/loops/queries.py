"""Reads for loops and gatherings."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from samspill.loops.models import (
    Gathering,
    GatheringInvitation,
    InterestMark,
    Loop,
    LoopEmployer,
    LoopSeat,
)
from samspill.placements.rules import add_months


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # the last day


@dataclass(frozen=True)
class GridRow:
    seat: LoopSeat
    visits: tuple[LoopEmployer, ...]  # one a period


@dataclass(frozen=True)
class Grid:
    periods: tuple[Period, ...]
    rows: tuple[GridRow, ...]


def loop_periods(loop: Loop) -> tuple[Period, ...]:
    """The loop's periods: `period_months` each from the start date, one per employer."""
    starts = [add_months(loop.start_date, p * loop.period_months) for p in range(loop.size + 1)]
    return tuple(
        Period(start, end - datetime.timedelta(days=1))
        for start, end in zip(starts, starts[1:], strict=False)
    )


def loop_grid(loop: Loop) -> Grid:
    """The rotation as a grid: per current seat (row), the employer of each period. Two
    queries."""
    columns = {
        m.column: m
        for m in LoopEmployer.objects.filter(loop=loop, replaced_at__isnull=True).select_related(
            "employer", "mentor"
        )
    }
    seats = LoopSeat.objects.filter(loop=loop, left_at__isnull=True).select_related("participant")
    by_row = {seat.row: seat for seat in seats}
    return Grid(
        periods=loop_periods(loop),
        rows=tuple(
            GridRow(seat=by_row[r], visits=tuple(columns[c] for c in row))
            for r, row in enumerate(loop.rows())
        ),
    )


def formation_data(*, gathering: Gathering, loops: Sequence[Loop]) -> dict[str, Any]:
    """The seating instance (issue 6's JSON shape, for `formation.parse_instance`) of the
    candidates who attended `gathering`, for `loops`. Keys: "L<pk>", "E<pk>", "P<pk>"."""
    members = LoopEmployer.objects.filter(loop__in=loops, replaced_at__isnull=True).order_by(
        "loop_id", "column"
    )
    by_loop: dict[int, list[str]] = {}
    employer_ids = set()
    for member in members:
        by_loop.setdefault(member.loop_id, []).append(f"E{member.employer_id}")
        employer_ids.add(member.employer_id)
    candidates = list(
        GatheringInvitation.objects.filter(
            gathering=gathering,
            participant__isnull=False,
            attendance=GatheringInvitation.Attendance.ATTENDED,
        )
        .order_by("id")
        .values_list("participant_id", flat=True)
    )
    marks = InterestMark.objects.filter(
        gathering=gathering, candidate_id__in=candidates, employer_id__in=employer_ids
    ).order_by("candidate_id", "employer_id")
    interest = []
    forbidden = []
    for mark in marks:
        pair = {"candidate": f"P{mark.candidate_id}", "employer": f"E{mark.employer_id}"}
        if mark.employer_mark or mark.candidate_mark:
            interest.append(
                pair
                | {
                    "employer_mark": mark.employer_mark or 0,
                    "candidate_mark": mark.candidate_mark or 0,
                }
            )
        if mark.is_forbidden:
            forbidden.append(pair)
    return {
        "loops": [{"key": f"L{loop.pk}", "employers": by_loop.get(loop.pk, [])} for loop in loops],
        "candidates": [f"P{pk}" for pk in candidates],
        "interest": interest,
        "forbidden": forbidden,
    }
