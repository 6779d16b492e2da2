"""A loop's network meetings over the API (meetings.py).

The same door as the page: the organisation's staff who follow participants and the loop's
external driver; others a 403, a loop not theirs a 404. A stale change is a 409."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from pydantic import StrictInt

from samspill.accounts.auth import request_user
from samspill.loops import meetings
from samspill.loops.models import Loop, NetworkMeeting
from samspill.participants.api import ERROR_RESPONSES, MAX_ID, WRITE_RESPONSES, PathId, PlainText

router = Router(tags=["loop network meetings"])


class LoopMeetingAttendeeOut(Schema):
    contact_id: int
    name: str
    employer: str
    is_mentor: bool


class LoopMeetingOut(Schema):
    id: int
    held_on: datetime.date
    attendees: list[LoopMeetingAttendeeOut]
    minutes: str
    learned: str
    will_change: str
    recorded_by: str
    revision: int


class LoopMeetingIn(Schema):
    held_on: datetime.date
    attendee_ids: list[StrictInt] = Field(
        default_factory=list, max_length=200, description="Contacts of the loop's employers."
    )
    minutes: PlainText = Field(..., min_length=1, max_length=5000)
    learned: PlainText = Field("", max_length=5000)
    will_change: PlainText = Field("", max_length=5000)
    revision: StrictInt | None = Field(None, ge=1, description="The revision read; 409 if stale.")


def _loop(request: HttpRequest, loop_id: int) -> Loop:
    if not 1 <= loop_id <= MAX_ID:
        raise Http404
    try:
        return meetings.meeting_loop(request_user(request), loop_id)
    except PermissionDenied:
        raise HttpError(403, _("You cannot see this loop's network meetings.")) from None


def _out(meeting: NetworkMeeting) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "held_on": meeting.held_on,
        "attendees": [
            {
                "contact_id": c.pk,
                "name": c.name,
                "employer": c.employer.name,
                "is_mentor": c.is_mentor,
            }
            for c in meeting.attendees.all()
        ],
        "minutes": meeting.minutes,
        "learned": meeting.learned,
        "will_change": meeting.will_change,
        "recorded_by": meeting.recorded_by.full_name,
        "revision": meeting.revision,
    }


@router.get(
    "/{loop_id}/meetings",
    response={200: list[LoopMeetingOut], **ERROR_RESPONSES},
    summary="A loop's network meetings",
)
def meeting_list(request: HttpRequest, loop_id: PathId) -> Any:
    return [_out(m) for m in meetings.loop_meetings(_loop(request, loop_id))]


@router.post(
    "/{loop_id}/meetings",
    response={201: LoopMeetingOut, **WRITE_RESPONSES},
    summary="Record a network meeting of a loop",
)
def meeting_create(request: HttpRequest, loop_id: PathId, payload: LoopMeetingIn) -> Any:
    loop = _loop(request, loop_id)
    data = payload.dict(exclude={"revision"})
    meeting = meetings.network_meeting_record(loop=loop, by=request_user(request), **data)
    return 201, _out(meetings.loop_meetings(loop).get(pk=meeting.pk))


@router.put(
    "/{loop_id}/meetings/{meeting_id}",
    response={200: LoopMeetingOut, **WRITE_RESPONSES},
    summary="Change a network meeting of a loop",
)
def meeting_put(
    request: HttpRequest, loop_id: PathId, meeting_id: PathId, payload: LoopMeetingIn
) -> Any:
    loop = _loop(request, loop_id)
    meeting = loop.network_meetings.filter(pk=meeting_id if 1 <= meeting_id <= MAX_ID else 0)
    found = meeting.first()
    if found is None:
        raise Http404
    meetings.network_meeting_record(
        loop=loop, by=request_user(request), meeting=found, **payload.dict()
    )
    return _out(meetings.loop_meetings(loop).get(pk=found.pk))
