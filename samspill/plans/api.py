"""The plans API: add a note or an activity to a participant's record, through the services."""

import datetime
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from samspill.accounts.auth import request_user
from samspill.employers.models import Employer
from samspill.participants.api import (
    ERROR_RESPONSES,
    Date,
    Id,
    OneOf,
    PathId,
    PlainText,
    participant_for_write,
)
from samspill.plans import services
from samspill.plans.models import Activity, Goal, Note

router = Router(tags=["plans"])


class NoteIn(Schema):
    kind: Annotated[str, OneOf(Note.Kind)] = Note.Kind.CONVERSATION
    text: PlainText = Field(..., max_length=10000)
    occurred_on: Date = Field(..., description="The day of the conversation or call.")
    next_follow_up_on: Date | None = Field(
        None, description="Sets the participant's next follow-up; not before `occurred_on`."
    )


class NoteOut(Schema):
    id: int
    participant_id: int
    kind: str
    text: str
    occurred_on: datetime.date
    author_id: int
    created_at: datetime.datetime


class ActivityIn(Schema):
    kind: Annotated[str, OneOf(Activity.Kind)]
    title: PlainText = Field(..., max_length=200)
    due_date: Date = Field(..., description="When it starts or is due.")
    description: PlainText = Field("", max_length=10000)
    status: Annotated[str, OneOf(Activity.Status)] = Activity.Status.PLANNED
    goal_id: Id | None = Field(None, description="One of the participant's goals.")
    employer_id: Id | None = Field(
        None, description="An employer in the participant's organisation."
    )


class ActivityOut(Schema):
    id: int
    participant_id: int
    kind: str
    title: str
    description: str
    due_date: datetime.date
    status: str
    goal_id: int | None
    employer_id: int | None
    created_by_id: int
    created_at: datetime.datetime


@router.post(
    "/{participant_id}/notes",
    response={201: NoteOut, **ERROR_RESPONSES},
    summary="Add a note",
)
def note_create(request: HttpRequest, participant_id: PathId, payload: NoteIn) -> Status[Note]:
    participant = participant_for_write(request, participant_id)
    note = services.note_add(participant=participant, by=request_user(request), **payload.dict())
    return Status(201, note)


@router.post(
    "/{participant_id}/activities",
    response={201: ActivityOut, **ERROR_RESPONSES},
    summary="Add an activity to the plan",
)
def activity_create(
    request: HttpRequest, participant_id: PathId, payload: ActivityIn
) -> Status[Activity]:
    participant = participant_for_write(request, participant_id)
    data = payload.dict()
    goal = employer = None
    # Looked up within the participant's own record and organisation, so that another's id
    # reads exactly like one that does not exist.
    if (goal_id := data.pop("goal_id")) is not None:
        goal = Goal.objects.filter(pk=goal_id, participant=participant).first()
        if goal is None:
            raise ValidationError({"goal_id": _("Choose one of the participant's goals.")})
    if (employer_id := data.pop("employer_id")) is not None:
        employer = Employer.objects.filter(
            pk=employer_id, organisation_id=participant.organisation_id
        ).first()
        if employer is None:
            raise ValidationError({"employer_id": _("Choose an employer in your organisation.")})
    activity = services.activity_add(
        participant=participant, by=request_user(request), goal=goal, employer=employer, **data
    )
    return Status(201, activity)
