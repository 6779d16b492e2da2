"""The workshop API: the caller's workshops, one workshop's roster (least access, as on the
page), and a session's attendance (the facilitator only)."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from samspill.accounts.auth import request_user
from samspill.audit.models import AccessLog
from samspill.participants.api import ERROR_RESPONSES, MAX_ID, WRITE_RESPONSES, PathId
from samspill.workshops import permissions, services
from samspill.workshops.models import Workshop, WorkshopSession

router = Router(tags=["workshops"])


def _workshops(request: HttpRequest) -> QuerySet[Workshop]:
    found = permissions.workshops_for(request_user(request))
    if found is None:
        raise HttpError(403, _("You do not have access to workshops."))
    return found


def _workshop(request: HttpRequest, workshop_id: int) -> Workshop:
    workshop = _workshops(request).filter(pk=workshop_id).first() if workshop_id <= MAX_ID else None
    if workshop is None:
        raise Http404
    return workshop


class WorkshopOut(Schema):
    id: int
    name: str
    starts_on: datetime.date
    facilitator_id: int


class WorkshopSessionOut(Schema):
    id: int
    date: datetime.date
    place: str
    topic: str
    facilitator_id: int


class WorkshopEnrolmentOut(Schema):
    id: int
    participant_id: int
    participant_name: str
    attended: int


class WorkshopDetailOut(WorkshopOut):
    sessions: list[WorkshopSessionOut]
    roster: list[WorkshopEnrolmentOut]


class WorkshopAttendanceIn(Schema):
    present: list[int]


class WorkshopAttendanceOut(Schema):
    session_id: int
    present: list[int]


@router.get("", response={200: list[WorkshopOut], **ERROR_RESPONSES}, summary="Workshops")
def workshop_list(request: HttpRequest) -> QuerySet[Workshop]:
    return _workshops(request)


@router.get(
    "/{workshop_id}",
    response={200: WorkshopDetailOut, **ERROR_RESPONSES},
    summary="A workshop with its sessions and the roster the caller may see",
)
def workshop_detail(request: HttpRequest, workshop_id: PathId) -> dict[str, object]:
    workshop = _workshop(request, workshop_id)
    user = request_user(request)
    roster = list(
        permissions.roster(user, workshop).annotate(
            attended=Count("attendances", filter=Q(attendances__present=True))
        )
    )
    AccessLog.objects.bulk_create(
        AccessLog(
            actor=user,
            participant_id=e.participant_id,
            organisation_id=workshop.organisation_id,
            what="api:workshop",
            why="workshop",
        )
        for e in roster
    )
    return {
        "id": workshop.pk,
        "name": workshop.name,
        "starts_on": workshop.starts_on,
        "facilitator_id": workshop.facilitator_id,
        "sessions": list(workshop.sessions.all()),
        "roster": [
            {
                "id": e.pk,
                "participant_id": e.participant_id,
                "participant_name": e.participant.full_name,
                "attended": e.attended,
            }
            for e in roster
        ],
    }


@router.put(
    "/sessions/{session_id}/attendance",
    response={200: WorkshopAttendanceOut, **WRITE_RESPONSES},
    summary="Record who came to a session (the rest enrolled are absent)",
)
def session_attendance(
    request: HttpRequest, session_id: PathId, payload: WorkshopAttendanceIn
) -> dict[str, object]:
    session = (
        WorkshopSession.objects.filter(workshop__in=_workshops(request), pk=session_id)
        .select_related("workshop")
        .first()
    )
    if session is None:
        raise Http404
    try:
        services.attendance_record(
            session=session, by=request_user(request), present=set(payload.present)
        )
    except PermissionDenied as error:
        raise HttpError(403, _("Only the facilitator records attendance.")) from error
    return {"session_id": session.pk, "present": sorted(set(payload.present))}
