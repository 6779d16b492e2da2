"""The jobbLOOP API: loops with their grid, gatherings, interest marks, the formation and the
annual wheel's schedule.

The same door as the pages (`views.py`): staff who follow participants in the organisation;
administrators and portal users get a 403, another organisation's loop or gathering a 404. A
loop shares its seated participants' names and periods with every such member; a cell's
placement id only with those who may see the participant. Writes are one service call each.
"""

import datetime
from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from pydantic import StrictBool, StrictInt

from samspill.accounts.auth import request_user
from samspill.employers.models import Employer
from samspill.loops import formation, queries, services
from samspill.loops.models import Gathering, GatheringInvitation, InterestMark, Loop
from samspill.loops.wheel import loop_wheel
from samspill.organisations.models import Membership
from samspill.participants.api import (
    ERROR_RESPONSES,
    MAX_ID,
    Id,
    PathId,
    PlainText,
    api_membership,
)
from samspill.participants.models import Participant

router = Router(tags=["loops"])

M = TypeVar("M", bound=Model)


def _in_organisation(
    request: HttpRequest, pk: int, rows: Callable[[int], QuerySet[M]]
) -> tuple[Membership, M]:
    """One of the caller's organisation's loops or gatherings, or 404."""
    membership = api_membership(request)
    found = rows(membership.organisation_id).filter(pk=pk).first() if 1 <= pk <= MAX_ID else None
    if found is None:
        raise Http404
    return membership, found


def _loop(request: HttpRequest, loop_id: int) -> tuple[Membership, Loop]:
    return _in_organisation(request, loop_id, queries.loops_in)


def _gathering(request: HttpRequest, gathering_id: int) -> tuple[Membership, Gathering]:
    return _in_organisation(request, gathering_id, queries.gatherings_in)


class LoopOut(Schema):
    id: int
    name: str
    start_date: datetime.date
    period_months: int
    min_age: int
    max_age: int
    size: int
    driver_id: int
    driver: str
    counselor_id: int
    counselor: str


class PeriodOut(Schema):
    number: int
    start: datetime.date
    end: datetime.date


class MemberOut(Schema):
    employer_id: int
    employer: str
    column: int
    mentor_id: int | None
    mentor: str | None


class CellOut(Schema):
    period: int
    employer_id: int
    placement_id: int | None = Field(
        description="The cell's placement; only when the caller may see the participant."
    )


class RowOut(Schema):
    row: int
    participant_id: int | None
    participant: str | None
    cells: list[CellOut]


class LoopDetail(LoopOut):
    periods: list[PeriodOut]
    employers: list[MemberOut]
    rows: list[RowOut]


class GatheringOut(Schema):
    id: int
    kind: str
    date: datetime.date
    place: str
    loop_id: int | None


class InvitationOut(Schema):
    id: int
    participant_id: int | None
    contact_id: int | None
    attendance: str


class GatheringDetail(GatheringOut):
    invitations: list[InvitationOut]


class MarkOut(Schema):
    candidate_id: int
    employer_id: int
    employer_mark: int | None
    candidate_mark: int | None
    is_forbidden: bool
    forbidden_reason: str


class MarkIn(Schema):
    candidate_id: Id
    employer_id: Id
    employer_mark: StrictInt | None = Field(None, ge=0, le=2)
    candidate_mark: StrictInt | None = Field(None, ge=0, le=2)
    is_forbidden: StrictBool | None = None
    forbidden_reason: PlainText | None = Field(None, max_length=300)


class FormationIn(Schema):
    loop_ids: list[Id] = Field(min_length=1, max_length=200)


class SeatOut(Schema):
    candidate: str
    loop: str
    order: list[str]


class FormationOut(Schema):
    objective: int
    seated: int
    seats: list[SeatOut]
    waiting: list[str]
    status: str
    bound: int | None = Field(
        None,
        description="No seating's total value can be above this; equals the objective "
        "when optimal.",
    )


class EventOut(Schema):
    uid: str
    date: datetime.date
    kind: str
    title: str
    place: str
    employer_id: int | None
    placement_id: int | None


def _loop_out(loop: Loop) -> dict[str, Any]:
    return {
        "id": loop.pk,
        "name": loop.name,
        "start_date": loop.start_date,
        "period_months": loop.period_months,
        "min_age": loop.min_age,
        "max_age": loop.max_age,
        "size": loop.size,
        "driver_id": loop.driver_id,
        "driver": loop.driver.full_name,
        "counselor_id": loop.counselor_id,
        "counselor": loop.counselor.full_name,
    }


@router.get("", response={200: list[LoopOut], **ERROR_RESPONSES}, summary="List loops")
def loop_list(request: HttpRequest) -> Any:
    membership = api_membership(request)
    return [_loop_out(loop) for loop in queries.loops_in(membership.organisation_id)]


@router.get(
    "/gatherings",
    response={200: list[GatheringOut], **ERROR_RESPONSES},
    summary="List gatherings",
)
def gathering_list(request: HttpRequest) -> Any:
    membership = api_membership(request)
    return list(queries.gatherings_in(membership.organisation_id))


@router.get(
    "/gatherings/{gathering_id}",
    response={200: GatheringDetail, **ERROR_RESPONSES},
    summary="A gathering with its invitations",
)
def gathering_detail(request: HttpRequest, gathering_id: PathId) -> Any:
    _membership, gathering = _gathering(request, gathering_id)
    invitations = GatheringInvitation.objects.filter(gathering=gathering).order_by("id")
    return {
        "id": gathering.pk,
        "kind": gathering.kind,
        "date": gathering.date,
        "place": gathering.place,
        "loop_id": gathering.loop_id,
        "invitations": list(invitations),
    }


@router.get(
    "/gatherings/{gathering_id}/marks",
    response={200: list[MarkOut], **ERROR_RESPONSES},
    summary="The interest marks after the group interviews",
)
def marks_list(request: HttpRequest, gathering_id: PathId) -> Any:
    _membership, gathering = _gathering(request, gathering_id)
    return list(InterestMark.objects.filter(gathering=gathering).order_by("candidate", "employer"))


@router.put(
    "/gatherings/{gathering_id}/marks",
    response={200: MarkOut, **ERROR_RESPONSES},
    summary="Mark interest, or rule a pair out",
    description="Only the fields sent change.",
)
def mark_set(request: HttpRequest, gathering_id: PathId, payload: MarkIn) -> Any:
    membership, gathering = _gathering(request, gathering_id)
    candidate = Participant.objects.filter(
        pk=payload.candidate_id, organisation_id=membership.organisation_id
    ).first()
    employer = Employer.objects.filter(
        pk=payload.employer_id, organisation_id=membership.organisation_id
    ).first()
    if candidate is None or employer is None:
        raise Http404
    fields = payload.dict(exclude_unset=True, exclude={"candidate_id", "employer_id"})
    if fields.get("forbidden_reason") is None:
        fields.pop("forbidden_reason", None)
    if "is_forbidden" in fields and fields["is_forbidden"] is None:
        fields.pop("is_forbidden")
    return services.interest_mark_set(
        gathering=gathering,
        by=request_user(request),
        candidate=candidate,
        employer=employer,
        **fields,
    )


@router.post(
    "/gatherings/{gathering_id}/formation",
    response={200: FormationOut, **ERROR_RESPONSES},
    summary="Run the formation",
    description="Seats the gathering's attending candidates in the given loops; the solver's "
    'JSON shape ({"objective", "seated", "seats", "waiting"}) with keys "L<id>", "E<id>", '
    '"P<id>", "status" (optimal, or feasible when not proven so) and "bound" (no seating\'s '
    "total value can be above it). Writes nothing: accept on the gathering's page.",
)
def formation_run(request: HttpRequest, gathering_id: PathId, payload: FormationIn) -> Any:
    membership, gathering = _gathering(request, gathering_id)
    loops = list(
        queries.loops_in(membership.organisation_id).filter(pk__in=payload.loop_ids).order_by("id")
    )
    if len(loops) != len(set(payload.loop_ids)):
        raise Http404
    instance = formation.parse_instance(queries.formation_data(gathering=gathering, loops=loops))
    result = formation.seat(instance)
    return result.as_dict() | {"status": result.status.value, "bound": result.bound}


@router.get(
    "/{loop_id}",
    response={200: LoopDetail, **ERROR_RESPONSES},
    summary="A loop with its rotation grid",
)
def loop_detail(request: HttpRequest, loop_id: PathId) -> Any:
    _membership, loop = _loop(request, loop_id)
    grid = queries.loop_grid(loop)
    cells = queries.loop_cells(loop)
    seated = [r.seat.participant_id for r in grid.rows if r.seat.participant_id]
    visible = queries.visible_participant_ids(request_user(request), seated)
    members = sorted(
        {m.pk: m for r in grid.rows for m in r.visits}.values(), key=lambda m: m.column
    )
    return {
        **_loop_out(loop),
        "periods": [
            {"number": n, "start": p.start, "end": p.end}
            for n, p in enumerate(grid.periods, start=1)
        ],
        "employers": [
            {
                "employer_id": m.employer_id,
                "employer": m.employer.name,
                "column": m.column,
                "mentor_id": m.mentor_id,
                "mentor": m.mentor.name if m.mentor else None,
            }
            for m in members
        ],
        "rows": [
            {
                "row": r.seat.row,
                "participant_id": r.seat.participant_id,
                "participant": str(r.seat.participant) if r.seat.participant else None,
                "cells": [
                    {
                        "period": period,
                        "employer_id": member.employer_id,
                        "placement_id": cells[(r.seat.row, period)].pk
                        if r.seat.participant_id in visible and (r.seat.row, period) in cells
                        else None,
                    }
                    for period, member in enumerate(r.visits)
                ],
            }
            for r in grid.rows
        ],
    }


@router.get(
    "/{loop_id}/schedule",
    response={200: list[EventOut], **ERROR_RESPONSES},
    summary="The annual wheel's events",
    description="Gatherings, rotation changes, follow-ups, evaluations and the closing, by "
    "date; the UIDs are those of the iCal feeds.",
)
def schedule(request: HttpRequest, loop_id: PathId) -> Any:
    _membership, loop = _loop(request, loop_id)
    return [
        {
            "uid": e.uid,
            "date": e.date,
            "kind": e.kind,
            "title": e.title,
            "place": e.place,
            "employer_id": e.employer_id,
            "placement_id": e.placement_id,
        }
        for e in loop_wheel(loop).events
    ]
