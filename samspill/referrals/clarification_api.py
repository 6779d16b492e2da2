"""The clarification before practice in the API: record one for a referral, list them."""

import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from samspill.accounts.auth import request_user
from samspill.participants.api import ERROR_RESPONSES, WRITE_RESPONSES, PathId
from samspill.referrals import clarifications
from samspill.referrals.api import referral_for_read, referral_for_write
from samspill.referrals.models import Clarification

router = Router(tags=["referrals"])


class ClarificationIn(Schema):
    first_day: datetime.date
    last_day: datetime.date
    days_attended: int = Field(..., ge=0, le=366)
    attendance_ok: bool
    motivation: Clarification.Motivation
    result: Clarification.Result
    note: str = Field("", max_length=5000)


class ClarificationOut(Schema):
    id: int
    referral_id: int
    first_day: datetime.date
    last_day: datetime.date
    days_attended: int
    attendance_ok: bool
    motivation: str
    result: str
    note: str
    recorded_by_id: int
    recorded_at: datetime.datetime


@router.get(
    "/{referral_id}/clarifications",
    response={200: list[ClarificationOut], **ERROR_RESPONSES},
    summary="The referral's clarifications before practice, newest first",
)
def clarification_list(request: HttpRequest, referral_id: PathId) -> list[Clarification]:
    referral = referral_for_read(request, referral_id, "api:referral-clarifications")
    return list(referral.clarifications.all())


@router.post(
    "/{referral_id}/clarifications",
    response={201: ClarificationOut, **WRITE_RESPONSES},
    summary="Record a clarification before practice",
)
def clarification_create(
    request: HttpRequest, referral_id: PathId, payload: ClarificationIn
) -> Status[Clarification]:
    referral = referral_for_write(request, referral_id)
    clarification = clarifications.clarification_record(
        referral=referral, by=request_user(request), **payload.dict()
    )
    return Status(201, clarification)
