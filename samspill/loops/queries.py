"""Reads for loops and gatherings."""

from collections.abc import Sequence
from typing import Any

from samspill.loops.models import Gathering, GatheringInvitation, InterestMark, Loop, LoopEmployer


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
