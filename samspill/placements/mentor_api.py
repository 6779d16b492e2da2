"""The placements API's mentor side (seed 002): the mentor chosen with the employer, the time
and compensation set aside, the leader who backs the mentor, and the monthly record of hours.
Staff only, through the placements door (`api.placement_for_write`/`placement_for_read`): a
portal user gets a 403, a placement outside the caller's reach a 404. A stale revision is a
409 and nothing is saved."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema

from samspill.accounts.auth import request_user
from samspill.participants.api import WRITE_RESPONSES, Date, Id, PathId, PlainText
from samspill.placements import mentoring
from samspill.placements.api import TEXT_MAX, placement_for_read, placement_for_write, router
from samspill.placements.models import MentorArrangement, MentorMonth


class MentorLeader(Schema):
    id: int
    name: str
    title: str


class MentorArrangementOut(Schema):
    chosen_with_employer: bool
    chosen_on: datetime.date
    chosen_by_name: str
    why: str
    hours_per_week: Decimal | None
    compensation: MentorArrangement.Compensation
    rate: str
    paid_by: str
    leader: MentorLeader | None
    revision: int

    @staticmethod
    def resolve_chosen_by_name(obj: MentorArrangement) -> str:
        return obj.chosen_by.full_name


class MentorArrangementIn(Schema):
    revision: int | None = Field(None, description="The revision you read; none for a first.")
    chosen_with_employer: bool
    chosen_on: Date
    why: PlainText = Field("", max_length=TEXT_MAX)
    hours_per_week: Decimal | None = Field(None, ge=0, le=40, decimal_places=1)
    compensation: MentorArrangement.Compensation = MentorArrangement.Compensation.NONE
    rate: PlainText = Field("", max_length=200)
    paid_by: PlainText = Field("", max_length=200)
    leader_id: Id | None = Field(None, description="An employer contact at this employer.")
    reason: PlainText = Field(
        "",
        max_length=TEXT_MAX,
        description="On an approved agreement a change makes a new version: why it changes.",
    )


class MentorMonthOut(Schema):
    month: datetime.date = Field(..., description="The first day of the month.")
    hours: Decimal
    note: str
    revision: int


class MentorMonthIn(Schema):
    month: Date = Field(..., description="Any day in the month.")
    hours: Decimal = Field(..., ge=0, le=200, decimal_places=1)
    note: PlainText = Field("", max_length=TEXT_MAX)
    revision: int | None = Field(None, description="The revision you read; none for a first.")


class MentorOverview(Schema):
    arrangement: MentorArrangementOut | None
    months: list[MentorMonthOut]
    total_hours: Decimal


@router.get(
    "/{placement_id}/mentor",
    response={200: MentorOverview, **WRITE_RESPONSES},
    summary="Read the mentor arrangement and the hours recorded",
)
def mentor_detail(request: HttpRequest, placement_id: PathId) -> dict:
    placement = placement_for_read(request, placement_id, "api:placement mentor")
    return mentoring.mentor_summary(placement)


@router.put(
    "/{placement_id}/mentor/arrangement",
    response={200: MentorArrangementOut, **WRITE_RESPONSES},
    summary="Record how the mentor was chosen and the mentor's time and compensation",
    description="The placement's mentor must be chosen in the agreement first. A stale "
    "revision is a 409.",
)
def mentor_arrangement_put(
    request: HttpRequest, placement_id: PathId, payload: MentorArrangementIn
) -> MentorArrangement:
    placement = placement_for_write(request, placement_id)
    data = payload.dict()
    leader_id = data.pop("leader_id")
    leader = None
    if leader_id is not None:
        leader = placement.employer.contacts.filter(pk=leader_id).first()
        if leader is None:
            raise ValidationError({"leader_id": _("Choose a contact at this employer.")})
    return mentoring.mentor_arrangement_save(
        placement=placement, by=request_user(request), leader=leader, **data
    )


@router.put(
    "/{placement_id}/mentor/months",
    response={200: MentorMonthOut, **WRITE_RESPONSES},
    summary="Record the hours the mentor spent in a month",
    description="One record per month; a second write of the same month changes it and needs "
    "the revision read. A stale revision is a 409.",
)
def mentor_month_put(
    request: HttpRequest, placement_id: PathId, payload: MentorMonthIn
) -> MentorMonth:
    placement = placement_for_write(request, placement_id)
    return mentoring.mentor_month_record(
        placement=placement, by=request_user(request), **payload.dict()
    )
