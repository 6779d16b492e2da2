"""Reads for loops and gatherings."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from samspill.core import smallcells
from samspill.core.smallcells import Cell
from samspill.loops.models import (
    Gathering,
    GatheringInvitation,
    GatheringNomination,
    InterestMark,
    Loop,
    LoopEmployer,
    LoopPlacement,
    LoopSeat,
)
from samspill.participants.models import WORK_OR_EDUCATION, Participant, PeriodOutcome
from samspill.participants.permissions import participant_scope
from samspill.placements.models import Concern, Placement
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


def loops_in(organisation_id: int) -> QuerySet[Loop]:
    """The organisation's loops: every member who follows participants sees them (a loop is
    shared work); what they show of each participant is decided per page."""
    return Loop.objects.filter(organisation_id=organisation_id).select_related(
        "driver", "counselor"
    )


def gatherings_in(organisation_id: int) -> QuerySet[Gathering]:
    return Gathering.objects.filter(organisation_id=organisation_id).select_related("loop")


def loop_cells(loop: Loop) -> dict[tuple[int, int], Placement]:
    """(row, period) -> the placement of the current seat in that cell. One query."""
    cells = LoopPlacement.objects.filter(
        seat__loop=loop, seat__left_at__isnull=True
    ).select_related("seat", "placement")
    return {(cell.seat.row, cell.period): cell.placement for cell in cells}


def loop_concerns(loop: Loop, participant_ids: set[int]) -> list[Concern]:
    """Open concerns from the loop's placements, of the participants the reader may see."""
    return list(
        Concern.objects.filter(
            placement__loop_cell__seat__loop=loop,
            placement__participant_id__in=participant_ids,
            handled_at__isnull=True,
        )
        .select_related("placement__employer", "placement__participant")
        .order_by("created_at")
    )


def visible_participant_ids(user: Any, ids: Sequence[int]) -> set[int]:
    """Which of `ids` pass the participant door for `user`. One query."""
    return set(Participant.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


@dataclass(frozen=True)
class LoopOutcome:
    """Counts for one loop, 1-4 hidden (None) by the one rule (core/smallcells.py), with a
    second count wherever the first could be worked out by subtraction."""

    loop: Loop
    participants: Cell
    ended: Cell  # with an outcome recorded since the loop started
    work_or_education: Cell

    @property
    def share(self) -> float | None:
        return smallcells.share(self.work_or_education, self.ended)

    @property
    def suppressed(self) -> bool:
        return None in (self.participants, self.ended, self.work_or_education)


def _seated(loops: Sequence[Loop]) -> dict[int, set[int]]:
    """Per loop, the participants who have sat in it (also those who left). One query."""
    seated: dict[int, set[int]] = {}
    for loop_id, participant_id in LoopSeat.objects.filter(
        loop__in=loops, participant__isnull=False
    ).values_list("loop_id", "participant_id"):
        seated.setdefault(loop_id, set()).add(participant_id)
    return seated


def outcomes_since(
    loops: Sequence[Loop], seated: dict[int, set[int]]
) -> dict[tuple[int, int], str]:
    """(loop, participant) -> the participant's latest follow-up outcome (`PeriodOutcome`, the
    one source of truth: docs/outcomes.md) dated on or after the loop's start. One query."""
    people = set().union(*seated.values()) if seated else set()
    if not people:
        return {}
    records = (
        PeriodOutcome.objects.filter(
            period__participant_id__in=people, date__gte=min(loop.start_date for loop in loops)
        )
        .order_by("date", "id")
        .values_list("period__participant_id", "date", "outcome")
    )
    latest: dict[tuple[int, int], str] = {}
    for participant_id, day, outcome in records:
        for loop in loops:
            if participant_id in seated.get(loop.pk, ()) and day >= loop.start_date:
                latest[(loop.pk, participant_id)] = outcome
    return latest


def participant_outcomes(loop: Loop, participant_ids: Sequence[int]) -> dict[int, str]:
    """Per participant of the loop (of `participant_ids`, those seated): their latest outcome
    dated on or after the loop's start, as `outcomes_across` counts it. One query."""
    seated = {loop.pk: set(participant_ids)}
    return {pid: outcome for (_lid, pid), outcome in outcomes_since([loop], seated).items()}


def outcomes_across(loops: Sequence[Loop]) -> list[LoopOutcome]:
    """For each loop: how many took part, how many have an outcome since the loop started,
    and how many of those went to work, education or an apprenticeship (counts only, small
    ones hidden). Two queries."""
    seated = _seated(loops)
    outcome = outcomes_since(loops, seated)
    result = []
    for loop in loops:
        ended = [v for (lid, _pid), v in outcome.items() if lid == loop.pk]
        good = sum(v in WORK_OR_EDUCATION for v in ended)
        participants = len(seated.get(loop.pk, ()))
        cells = smallcells.apply(
            {
                "participants": participants,
                "ended": len(ended),
                "not_ended": max(participants - len(ended), 0),
                "good": good,
                "other": len(ended) - good,
            },
            [("participants", ["ended", "not_ended"]), ("ended", ["good", "other"])],
        )
        result.append(
            LoopOutcome(
                loop=loop,
                participants=cells["participants"],
                ended=cells["ended"],
                work_or_education=cells["good"],
            )
        )
    return result


def employers_staying_on(loops: Sequence[Loop]) -> list[tuple[str, int]]:
    """Employers in more than one of these loops (they stayed on for another round), with the
    number of loops. One query."""
    counts: dict[tuple[int, str], set[int]] = {}
    for employer_id, name, loop_id in LoopEmployer.objects.filter(loop__in=loops).values_list(
        "employer_id", "employer__name", "loop_id"
    ):
        counts.setdefault((employer_id, name), set()).add(loop_id)
    return sorted(
        ((name, len(ids)) for (_eid, name), ids in counts.items() if len(ids) > 1),
        key=lambda item: (-item[1], item[0]),
    )


def waiting_list(loop: Loop, user: Any) -> QuerySet[Participant]:
    """Candidates for an empty seat: those who attended one of the organisation's kick-offs,
    sit in no loop now, and pass the participant door for `user`."""
    attended = GatheringInvitation.objects.filter(
        gathering__organisation_id=loop.organisation_id,
        gathering__kind=Gathering.Kind.KICK_OFF,
        attendance=GatheringInvitation.Attendance.ATTENDED,
        participant__isnull=False,
    ).values("participant_id")
    seated = LoopSeat.objects.filter(left_at__isnull=True, participant__isnull=False).values(
        "participant_id"
    )
    return (
        Participant.objects.visible_to(user)
        .filter(pk__in=attended)
        .exclude(pk__in=seated)
        .order_by("given_name", "family_name", "id")
    )


def gathering_candidates(gathering: Gathering, user: Any) -> QuerySet[Participant]:
    """The participants `user` may act on at `gathering` (invite, attendance, marks): those
    they may open, and those their counselor proposed for it (`GatheringNomination`)."""
    proposed = GatheringNomination.objects.filter(gathering=gathering).values("participant_id")
    return Participant.objects.filter(participant_scope(user) | Q(pk__in=proposed))


def candidate_labels(gathering: Gathering, user: Any) -> dict[int, str]:
    """What `user` sees of each participant proposed for or invited to `gathering`: the name
    of those they may open (the participant door, `visible_to`), and "Candidate N" for the
    rest, so that an organiser can invite, seat and mark a proposed candidate without learning
    who they are. N is the candidate's place among the gathering's candidates by when they
    came to it (their id), the same on the gathering's page and its formation. Two queries."""
    involved = sorted(
        GatheringNomination.objects.filter(gathering=gathering)
        .order_by()
        .values_list("participant_id", flat=True)
        .union(
            GatheringInvitation.objects.filter(gathering=gathering, participant__isnull=False)
            .order_by()
            .values_list("participant_id", flat=True)
        )
    )
    if not involved:
        return {}
    names = {
        p.pk: p.full_name
        for p in Participant.objects.visible_to(user)
        .filter(pk__in=involved)
        .only("given_name", "family_name")
    }
    return {
        pk: names.get(pk) or _("Candidate %(number)s") % {"number": number}
        for number, pk in enumerate(involved, start=1)
    }


def not_seated(participants: QuerySet[Participant]) -> QuerySet[Participant]:
    """Those of `participants` who sit in no loop now."""
    return participants.exclude(
        pk__in=LoopSeat.objects.filter(left_at__isnull=True, participant__isnull=False).values(
            "participant_id"
        )
    )
