"""Coordinator meetings and employer events over the API (/api/v1/coordination/).

The same door as the pages: staff who work with participants (others a 403), objects through
`visible_to` (another organisation's a 404). Every write is one service call; a stale revision
is a 409, a refused input the standard 422 (samspill/api.py).
"""

import datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import AfterValidator, StrictBool, StrictInt

from samspill.accounts.auth import request_user
from samspill.employers import queries_coordination as queries
from samspill.employers import services_coordination as services
from samspill.employers.api import Page, api_membership
from samspill.employers.models import Employer
from samspill.employers.models_coordination import (
    CoordinationMeeting,
    EmployerEvent,
    EventInvitation,
    MeetingAction,
    MeetingAttendance,
    MeetingSeries,
)
from samspill.participants.api import (
    ERROR_RESPONSES,
    MAX_ID,
    WRITE_RESPONSES,
    Date,
    Id,
    OneOf,
    PathId,
    PlainText,
    Revision,
    page_of,
)

router = Router(tags=["coordination"])


def _local_time(value: datetime.time) -> datetime.time:
    """A meeting's or an event's time is the local time of day, never with a time zone."""
    if value.tzinfo is not None:
        raise ValueError(_("Give the time of day without a time zone, as HH:MM."))
    return value


LocalTime = Annotated[datetime.time, AfterValidator(_local_time)]


# Schemas.


class SeriesOut(Schema):
    id: int
    title: str
    weekday: int = Field(..., description="0 Monday to 4 Friday.")
    interval_weeks: int
    starts_on: datetime.date
    start_time: datetime.time
    duration_minutes: int
    place: str
    video_url: str
    guests: str
    is_active: bool
    member_ids: list[int]
    revision: int

    @staticmethod
    def resolve_member_ids(obj: MeetingSeries) -> list[int]:
        return [m.pk for m in obj.members.all()]


class SeriesIn(Schema):
    title: PlainText = Field(..., min_length=1, max_length=200)
    weekday: MeetingSeries.Weekday
    interval_weeks: StrictInt = Field(1, ge=1, le=8)
    starts_on: Date = Field(..., description="The first meeting; on the series' weekday.")
    start_time: LocalTime
    duration_minutes: StrictInt = Field(60, ge=15, le=480)
    place: PlainText = Field("", max_length=200)
    video_url: PlainText = Field("", max_length=200)
    guests: PlainText = Field("", max_length=300)
    is_active: StrictBool = True
    member_ids: list[Id] = Field(..., min_length=1, max_length=100)


class SeriesPut(SeriesIn):
    revision: Revision


class ActionOut(Schema):
    id: int
    series_id: int
    meeting_id: int
    what: str
    responsible_id: int
    due_on: datetime.date | None
    employer_id: int | None
    done: bool = Field(..., alias="is_done")
    revision: int


class MeetingOut(Schema):
    id: int
    series_id: int
    held_on: datetime.date
    minutes: str
    attendance: dict[int, str] = Field(..., description="Member id to present/absent/excused.")
    revision: int


class MeetingIn(Schema):
    held_on: Date


class MeetingRecordIn(Schema):
    revision: Revision
    minutes: PlainText = Field("", max_length=10000)
    attendance: dict[int, Annotated[str, OneOf(MeetingAttendance.Status)]] = Field(
        default_factory=dict
    )


class ActionIn(Schema):
    what: PlainText = Field(..., min_length=1, max_length=300)
    responsible_id: Id = Field(..., description="A member of the series.")
    due_on: Date | None = None
    employer_id: Id | None = None


class ActionDoneIn(Schema):
    revision: Revision
    done: StrictBool


class EventOut(Schema):
    id: int
    title: str
    held_on: datetime.date
    start_time: datetime.time | None
    place: str
    description: str
    revision: int


class EventIn(Schema):
    title: PlainText = Field(..., min_length=1, max_length=200)
    held_on: Date
    start_time: LocalTime | None = None
    place: PlainText = Field("", max_length=200)
    description: PlainText = Field("", max_length=5000)


class EventPut(EventIn):
    revision: Revision


class InvitationOut(Schema):
    id: int
    employer_id: int
    employer_name: str
    contact_name: str | None
    emailed: bool
    response: str
    attended: bool | None
    stage_at_event: str
    stage_now: str
    moved_forward: bool
    revision: int


class EventDetailOut(EventOut):
    invited: int
    came: int
    moved_forward: int = Field(..., description="Invited employers that reached a later stage.")
    window_days: int
    invitations: list[InvitationOut]


class InviteIn(Schema):
    employer_ids: list[Id] = Field(..., min_length=1, max_length=100)


class InvitationIn(Schema):
    revision: Revision
    response: EventInvitation.Response
    attended: StrictBool | None = None


# Doors.


def _series(request: HttpRequest, series_id: int) -> MeetingSeries:
    api_membership(request)
    series = (
        queries.series_detail(request_user(request), series_id)
        if 1 <= series_id <= MAX_ID
        else None
    )
    if series is None:
        raise Http404
    return series


def _meeting(request: HttpRequest, meeting_id: int) -> CoordinationMeeting:
    api_membership(request)
    meeting = (
        CoordinationMeeting.objects.filter(
            series__in=MeetingSeries.objects.visible_to(request_user(request)),
            pk=meeting_id if 1 <= meeting_id <= MAX_ID else 0,
        )
        .select_related("series")
        .first()
    )
    if meeting is None:
        raise Http404
    return meeting


def _event(request: HttpRequest, event_id: int) -> EmployerEvent:
    api_membership(request)
    event = (
        queries.event_detail(request_user(request), event_id) if 1 <= event_id <= MAX_ID else None
    )
    if event is None:
        raise Http404
    return event


def _meeting_out(meeting: CoordinationMeeting) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "series_id": meeting.series_id,
        "held_on": meeting.held_on,
        "minutes": meeting.minutes,
        "attendance": queries.attendance_of(meeting),
        "revision": meeting.revision,
    }


def _event_out(event: EmployerEvent) -> dict[str, Any]:
    outcome = queries.event_outcome(event)
    return {
        "id": event.pk,
        "title": event.title,
        "held_on": event.held_on,
        "start_time": event.start_time,
        "place": event.place,
        "description": event.description,
        "revision": event.revision,
        "invited": outcome.invited,
        "came": outcome.came,
        "moved_forward": outcome.moved_forward,
        "window_days": outcome.window_days,
        "invitations": [
            {
                "id": row.invitation.pk,
                "employer_id": row.invitation.employer_id,
                "employer_name": row.invitation.employer.name,
                "contact_name": row.invitation.contact.name if row.invitation.contact else None,
                "emailed": row.invitation.emailed,
                "response": row.invitation.response,
                "attended": row.invitation.attended,
                "stage_at_event": row.stage_at_event,
                "stage_now": row.stage_now,
                "moved_forward": row.moved_forward,
                "revision": row.invitation.revision,
            }
            for row in outcome.rows
        ],
    }


def _employer(request: HttpRequest, employer_id: int | None) -> Employer | None:
    if employer_id is None:
        return None
    employer = Employer.objects.visible_to(request_user(request)).filter(pk=employer_id).first()
    if employer is None:
        raise ValidationError({"employer_id": _("Choose one of your organisation's employers.")})
    return employer


# Meeting series.


class SeriesPage(Schema):
    count: int
    items: list[SeriesOut]


@router.get("/series", response={200: SeriesPage, **ERROR_RESPONSES}, summary="Meeting series")
def series_list(request: HttpRequest, page: Query[Page]) -> dict:
    api_membership(request)
    rows = queries.series_list(request_user(request)).prefetch_related("members")
    return page_of(rows, offset=page.offset, limit=page.limit)


@router.post(
    "/series", response={201: SeriesOut, **WRITE_RESPONSES}, summary="Start a meeting series"
)
def series_create(request: HttpRequest, payload: SeriesIn) -> Any:
    membership = api_membership(request)
    data = payload.dict()
    series = services.series_create(
        organisation=membership.organisation,
        by=request_user(request),
        member_ids=data.pop("member_ids"),
        **data,
    )
    return Status(201, series)


@router.get(
    "/series/{series_id}",
    response={200: SeriesOut, **ERROR_RESPONSES},
    summary="One meeting series",
)
def series_detail(request: HttpRequest, series_id: PathId) -> MeetingSeries:
    return _series(request, series_id)


@router.put(
    "/series/{series_id}",
    response={200: SeriesOut, **WRITE_RESPONSES},
    summary="Change a meeting series; a stale revision is a 409",
)
def series_update(request: HttpRequest, series_id: PathId, payload: SeriesPut) -> MeetingSeries:
    series = _series(request, series_id)
    data = payload.dict()
    services.series_update(
        series=series, by=request_user(request), member_ids=data.pop("member_ids"), **data
    )
    return _series(request, series_id)


@router.get(
    "/series/{series_id}/meetings",
    response={200: list[MeetingOut], **ERROR_RESPONSES},
    summary="The meetings of a series, latest first",
)
def meeting_list(request: HttpRequest, series_id: PathId) -> list[dict[str, Any]]:
    series = _series(request, series_id)
    meetings = list(series.meetings.prefetch_related("attendance").order_by("-held_on")[:100])
    return [
        {
            **_meeting_out_base(m),
            "attendance": {a.user_id: a.status for a in m.attendance.all()},
        }
        for m in meetings
    ]


def _meeting_out_base(meeting: CoordinationMeeting) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "series_id": meeting.series_id,
        "held_on": meeting.held_on,
        "minutes": meeting.minutes,
        "revision": meeting.revision,
    }


@router.post(
    "/series/{series_id}/meetings",
    response={201: MeetingOut, **WRITE_RESPONSES},
    summary="Open a meeting of the series",
)
def meeting_create(request: HttpRequest, series_id: PathId, payload: MeetingIn) -> Any:
    series = _series(request, series_id)
    meeting = services.meeting_create(
        series=series, by=request_user(request), held_on=payload.held_on
    )
    return Status(201, _meeting_out(meeting))


@router.put(
    "/meetings/{meeting_id}",
    response={200: MeetingOut, **WRITE_RESPONSES},
    summary="Record the minutes and attendance of a meeting",
)
def meeting_record(request: HttpRequest, meeting_id: PathId, payload: MeetingRecordIn) -> Any:
    meeting = _meeting(request, meeting_id)
    services.meeting_record(
        meeting=meeting,
        by=request_user(request),
        minutes=payload.minutes,
        attendance={k: str(v) for k, v in payload.attendance.items()},
        revision=payload.revision,
    )
    return _meeting_out(_meeting(request, meeting_id))


@router.get(
    "/meetings/{meeting_id}/actions",
    response={200: list[ActionOut], **ERROR_RESPONSES},
    summary="Actions agreed at a meeting",
)
def action_list(request: HttpRequest, meeting_id: PathId) -> list[MeetingAction]:
    return queries.agreed_at(_meeting(request, meeting_id))


@router.post(
    "/meetings/{meeting_id}/actions",
    response={201: ActionOut, **WRITE_RESPONSES},
    summary="Agree an action at a meeting",
)
def action_create(request: HttpRequest, meeting_id: PathId, payload: ActionIn) -> Any:
    meeting = _meeting(request, meeting_id)
    responsible = meeting.series.members.filter(pk=payload.responsible_id).first()
    if responsible is None:
        raise ValidationError(
            {"responsible_id": _("Choose a member of the series as responsible.")}
        )
    action = services.action_add(
        meeting=meeting,
        by=request_user(request),
        what=payload.what,
        responsible=responsible,
        due_on=payload.due_on,
        employer=_employer(request, payload.employer_id),
    )
    return Status(201, action)


@router.get(
    "/actions/mine",
    response={200: list[ActionOut], **ERROR_RESPONSES},
    summary="The caller's open actions, soonest due first",
)
def my_actions(request: HttpRequest) -> list[MeetingAction]:
    api_membership(request)
    return list(queries.my_actions(request_user(request))[:200])


@router.post(
    "/actions/{action_id}/done",
    response={200: ActionOut, **WRITE_RESPONSES},
    summary="Mark an action done or open again",
)
def action_done(request: HttpRequest, action_id: PathId, payload: ActionDoneIn) -> MeetingAction:
    api_membership(request)
    action = (
        queries.action_detail(request_user(request), action_id)
        if 1 <= action_id <= MAX_ID
        else None
    )
    if action is None:
        raise Http404
    return services.action_set_done(
        action=action, by=request_user(request), done=payload.done, revision=payload.revision
    )


# Events.


class EventPage(Schema):
    count: int
    items: list[EventOut]


@router.get("/events", response={200: EventPage, **ERROR_RESPONSES}, summary="Employer events")
def event_list(request: HttpRequest, page: Query[Page]) -> dict:
    api_membership(request)
    return page_of(queries.event_list(request_user(request)), offset=page.offset, limit=page.limit)


@router.post(
    "/events", response={201: EventDetailOut, **WRITE_RESPONSES}, summary="Plan an employer event"
)
def event_create(request: HttpRequest, payload: EventIn) -> Any:
    membership = api_membership(request)
    event = services.event_create(
        organisation=membership.organisation, by=request_user(request), **payload.dict()
    )
    return Status(201, _event_out(event))


@router.get(
    "/events/{event_id}",
    response={200: EventDetailOut, **ERROR_RESPONSES},
    summary="An event with its invitations and who moved forward in the pipeline",
)
def event_detail(request: HttpRequest, event_id: PathId) -> dict[str, Any]:
    return _event_out(_event(request, event_id))


@router.put(
    "/events/{event_id}",
    response={200: EventDetailOut, **WRITE_RESPONSES},
    summary="Change an event; a stale revision is a 409",
)
def event_update(request: HttpRequest, event_id: PathId, payload: EventPut) -> dict[str, Any]:
    event = _event(request, event_id)
    services.event_update(event=event, by=request_user(request), **payload.dict())
    return _event_out(_event(request, event_id))


@router.post(
    "/events/{event_id}/invitations",
    response={201: EventDetailOut, **WRITE_RESPONSES},
    summary="Invite employers (each is e-mailed at its contact)",
)
def event_invite(request: HttpRequest, event_id: PathId, payload: InviteIn) -> Any:
    event = _event(request, event_id)
    services.event_invite(event=event, by=request_user(request), employer_ids=payload.employer_ids)
    return Status(201, _event_out(event))


@router.put(
    "/events/{event_id}/invitations/{invitation_id}",
    response={200: EventDetailOut, **WRITE_RESPONSES},
    summary="Record an invited employer's answer and attendance",
)
def invitation_record(
    request: HttpRequest, event_id: PathId, invitation_id: PathId, payload: InvitationIn
) -> dict[str, Any]:
    event = _event(request, event_id)
    invitation = event.invitations.filter(
        pk=invitation_id if 1 <= invitation_id <= MAX_ID else 0
    ).first()
    if invitation is None:
        raise Http404
    services.invitation_record(
        invitation=invitation,
        by=request_user(request),
        response=str(payload.response),
        attended=payload.attended,
        revision=payload.revision,
    )
    return _event_out(event)
