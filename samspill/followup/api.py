"""The follow-up API: belief check-ins and the counselor history, through the services.

The door is the participants API's (`participant_for_write`: 403 for staff who follow nobody,
404 outside `visible_to`), and on top of it the follow-up rules: belief answers only for the
counselor and leaders, recorded only by the counselor (permissions.py), and a handover note
only for the current counselor and leaders.
"""

import datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import field_validator

from samspill.accounts.auth import request_user
from samspill.accounts.models import User
from samspill.audit.services import access_log_record
from samspill.followup import continuity, permissions, services
from samspill.followup.models import Belief, BeliefCheckIn
from samspill.participants import services as participant_services
from samspill.participants.api import (
    ERROR_RESPONSES,
    Date,
    Id,
    JsonInt,
    OneOf,
    PathId,
    PlainText,
    participant_for_read,
    participant_for_write,
)
from samspill.participants.models import CounselorAssignment
from samspill.participants.permissions import Relationship, can_assign_counselor, relationship_to

router = Router(tags=["follow-up"])


class CheckInIn(Schema):
    belief: Annotated[Belief, JsonInt] = Field(
        ...,
        description="Will the participant be in work or education within a year? 1 (no) to 5.",
    )
    asked_on: Date = Field(..., description="The day of the check-in; not in the future.")
    strengthen: PlainText = Field(
        "", max_length=10000, description="What would strengthen the belief."
    )
    self_belief: Annotated[Belief, JsonInt] | None = Field(
        None, description="The participant's own belief in managing a job, 1 to 5, when asked."
    )
    market_belief: Annotated[Belief, JsonInt] | None = Field(
        None,
        description="Optional: does the labour market have room for the participant? 1 to 5.",
    )


class CheckInOut(Schema):
    id: int
    period_id: int
    asked_on: datetime.date
    belief: int
    belief_label: str
    self_belief: int | None
    market_belief: int | None
    strengthen: str
    counselor_name: str

    @staticmethod
    def resolve_belief_label(obj: BeliefCheckIn) -> str:
        return str(obj.get_belief_display())

    @staticmethod
    def resolve_counselor_name(obj: BeliefCheckIn) -> str:
        return obj.counselor.full_name


class CheckInCreated(Schema):
    checkin: CheckInOut
    suggest_sparring: bool = Field(
        ..., description="The belief was lost: consider asking a colleague for sparring."
    )
    previous_belief: int | None = Field(
        ..., description="The belief at the check-in before, in the same period."
    )


class AssignmentIn(Schema):
    counselor_id: Id = Field(..., description="A counselor in the participant's organisation.")
    reason: Annotated[str, OneOf(CounselorAssignment.Reason)] = Field(
        ..., description="Why the counselor changes; anything but `initial`."
    )
    reason_text: PlainText = Field(
        "", max_length=300, description="The reason in words; required for `other`."
    )
    handover_note: PlainText = Field(
        "", max_length=10000, description="What the new counselor should know first."
    )

    @field_validator("reason")
    @classmethod
    def _not_initial(cls, reason: str) -> str:
        if reason == CounselorAssignment.Reason.INITIAL:
            message = _("“initial” is only for the first counselor in a period: give the reason.")
            raise ValueError(message)
        return reason


class AssignmentOut(Schema):
    id: int
    period_id: int
    counselor_id: int
    counselor_name: str
    started_at: datetime.datetime
    ended_at: datetime.datetime | None
    assigned_by_name: str
    reason: str
    reason_text: str
    handover_note: str | None = Field(
        ..., description="Only for the current counselor and leaders; null for others."
    )

    @staticmethod
    def resolve_counselor_name(obj: CounselorAssignment) -> str:
        return obj.counselor.full_name

    @staticmethod
    def resolve_assigned_by_name(obj: CounselorAssignment) -> str:
        return obj.assigned_by.full_name

    @staticmethod
    def resolve_handover_note(obj: CounselorAssignment, context: dict[str, Any]) -> str | None:
        # Written for the one taking over; the rest of the team sees only that there was a change.
        why = relationship_to(request_user(context["request"]), obj.participant)
        return obj.handover_note if why in (Relationship.COUNSELOR, Relationship.LEADER) else None


class AssignmentCreated(Schema):
    assignment: AssignmentOut
    changes_in_period: int = Field(
        ..., description="Changes of counselor in the open period, this one included."
    )


@router.get(
    "/{participant_id}/checkins",
    response={200: list[CheckInOut], **ERROR_RESPONSES},
    summary="List belief check-ins",
    description="Every belief check-in, oldest first. Only for the counselor and leaders; "
    "the read is access-logged.",
)
def checkin_list(request: HttpRequest, participant_id: PathId) -> list[BeliefCheckIn]:
    participant = participant_for_write(request, participant_id)
    user = request_user(request)
    if not permissions.can_see_belief(user, participant):
        raise HttpError(403, _("Only the counselor and leaders see belief check-ins."))
    # Logged only once allowed, with the relationship that allowed it (as participant_for_read).
    why = relationship_to(user, participant)
    assert why is not None
    access_log_record(actor=user, participant=participant, what="api:checkins", why=why)
    return list(participant.belief_checkins.select_related("counselor").order_by("asked_on", "id"))


@router.post(
    "/{participant_id}/checkins",
    response={201: CheckInCreated, **ERROR_RESPONSES},
    summary="Record a belief check-in",
    description="Only the participant's counselor answers the belief question.",
)
def checkin_create(
    request: HttpRequest, participant_id: PathId, payload: CheckInIn
) -> Status[dict]:
    participant = participant_for_write(request, participant_id)
    user = request_user(request)
    if not permissions.can_record_checkin(user, participant):
        raise HttpError(403, _("Only the participant's counselor records belief check-ins."))
    result = services.checkin_record(participant=participant, by=user, **payload.dict())
    return Status(
        201,
        {
            "checkin": result.checkin,
            "suggest_sparring": result.suggest_sparring,
            "previous_belief": result.previous.belief if result.previous else None,
        },
    )


@router.get(
    "/{participant_id}/assignments",
    response={200: list[AssignmentOut], **ERROR_RESPONSES},
    summary="List the counselor history",
    description="Every counselor the participant has had, in every period, oldest first. "
    "The read is access-logged.",
)
def assignment_list(request: HttpRequest, participant_id: PathId) -> list[CounselorAssignment]:
    participant = participant_for_read(request, participant_id, "api:assignments")
    return list(
        participant.assignments.select_related("counselor", "assigned_by").order_by(
            "started_at", "id"
        )
    )


@router.post(
    "/{participant_id}/assignments",
    response={201: AssignmentCreated, **ERROR_RESPONSES},
    summary="Change the counselor",
    description="Ends the current assignment in the open period and starts a new one. "
    "Each change lowers the participant's chance of a job: give the reason and a handover note.",
)
def assignment_create(
    request: HttpRequest, participant_id: PathId, payload: AssignmentIn
) -> Status[dict]:
    participant = participant_for_write(request, participant_id)
    user = request_user(request)
    if not can_assign_counselor(user, participant):
        raise HttpError(403, _("You cannot change this participant's counselor."))
    data = payload.dict()
    # Looked up within the participant's organisation, so that another organisation's user
    # reads exactly like one that does not exist.
    counselor = User.objects.filter(
        pk=data.pop("counselor_id"),
        memberships__organisation_id=participant.organisation_id,
        memberships__is_active=True,
    ).first()
    if counselor is None:
        raise ValidationError({"counselor_id": _("Choose a counselor in your organisation.")})
    try:
        assignment = participant_services.counselor_assign(
            participant=participant, counselor=counselor, by=user, **data
        )
    except ValidationError as error:
        # The service names the field `counselor`; the caller sent `counselor_id`.
        if hasattr(error, "error_dict") and "counselor" in error.error_dict:
            error.error_dict["counselor_id"] = error.error_dict.pop("counselor")
        raise
    return Status(
        201,
        {
            "assignment": assignment,
            "changes_in_period": continuity.changes_in_period(assignment.period),
        },
    )
