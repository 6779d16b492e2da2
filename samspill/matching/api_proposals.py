"""The matching API, decisions: propose a suggested candidate for a need, or pass the
suggestion over with a reason (issue 23). The same doors as `matching.api`; the decision is
taken on the suggestion the engine gives now, never on scores sent by the client."""

from typing import Any, Literal

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from samspill.accounts.auth import request_user
from samspill.employers.models import Employer, RecruitmentNeed
from samspill.matching import engine, services
from samspill.matching.models import Proposal
from samspill.participants.api import ERROR_RESPONSES, MAX_ID, api_membership
from samspill.participants.models import Participant

router = Router(tags=["matching"])


class MatchProposalIn(Schema):
    participant_id: int = Field(..., ge=1, le=MAX_ID)
    need_id: int = Field(..., ge=1, le=MAX_ID)
    action: Literal["propose", "pass"]
    reason: str = Field("", max_length=500, description="Required when passing over.")


class MatchProposalOut(Schema):
    id: int
    action: str
    score: float
    factors: dict[str, float] = Field(..., description="Factor -> score at the time.")


@router.post(
    "/proposals",
    response={201: MatchProposalOut, **ERROR_RESPONSES},
    summary="Propose a suggested candidate, or pass the suggestion over",
)
def match_proposal_create(request: HttpRequest, payload: MatchProposalIn) -> Status[Proposal]:
    api_membership(request)
    user = request_user(request)
    need = RecruitmentNeed.objects.filter(
        pk=payload.need_id, employer__in=Employer.objects.visible_to(user)
    ).first()
    participant = Participant.objects.visible_to(user).filter(pk=payload.participant_id).first()
    if need is None or participant is None:
        raise Http404
    result = engine.candidates_for_need(user, need, limit=100)
    suggestion = next((s for s in result.suggestions if s.participant_id == participant.pk), None)
    if suggestion is None:
        raise Http404
    args: dict[str, Any] = {
        "by": user,
        "participant": participant,
        "need": need,
        "suggestion": suggestion,
    }
    if payload.action == "propose":
        return Status(201, services.suggestion_propose(**args))
    return Status(201, services.suggestion_pass(**args, reason=payload.reason))


__all__ = ["router"]
