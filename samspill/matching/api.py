"""The matching API: suggested candidates for an open recruitment need, and suggested open
needs for a participant (issue 23).

The doors are the participants API's: staff who follow no participants (administrators) and
employer-side users (portal mentors and contacts, who have no staff membership) get a 403; a
need of an employer outside `Employer.objects.visible_to(user)` or a participant outside
`Participant.objects.visible_to(user)` is a 404. The engine logs each person shown as a read.
"""

from typing import Literal

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from samspill.accounts.auth import request_user
from samspill.employers.models import Employer, RecruitmentNeed
from samspill.matching import engine
from samspill.matching.types import MatchResult
from samspill.participants.api import (
    ERROR_RESPONSES,
    MAX_ID,
    ParamInt,
    PathId,
    api_membership,
    participant_for_write,
)

router = Router(tags=["matching"])


class MatchFactor(Schema):
    key: str = Field(..., description="skills, wishes, industry, place, hours, mentor or history")
    score: float = Field(..., description="How well this factor is met, 0 to 1.")
    weight: float
    explanation: str = Field(..., description="What matched, in plain words.")
    missing: str = Field(..., description="What is missing, in plain words.")


class MatchSuggestion(Schema):
    participant_id: int
    need_id: int
    employer_id: int
    score: float = Field(..., description="The weighted sum of the factors, 0 to 1.")
    factors: list[MatchFactor]
    need_group: str
    waiting_days: int | None = Field(..., description="Days since the follow-up period began.")
    chances: int = Field(..., description="Placements started so far.")


class MatchResultOut(Schema):
    suggestions: list[MatchSuggestion]
    pool_size: int = Field(..., description="How many were considered.")
    pool_need_groups: dict[str, int] = Field(..., description="Need group -> count in the pool.")
    suggested_need_groups: dict[str, int] = Field(
        ..., description="Need group -> count among the suggestions: compare with the pool."
    )
    favour: str


class MatchCandidatesParams(Schema):
    favour: Literal["", "waited_longest", "fewest_chances"] = Field(
        "",
        description="Among those whose score is at least half the best, put first those who "
        "have waited longest or have had the fewest placements.",
    )
    limit: ParamInt = Field(20, ge=1, le=100, description="How many suggestions.")


class MatchNeedsParams(Schema):
    limit: ParamInt = Field(20, ge=1, le=100, description="How many suggestions.")


@router.get(
    "/needs/{need_id}/candidates",
    response={200: MatchResultOut, **ERROR_RESPONSES},
    summary="Suggest candidates for a recruitment need",
    description="Participants you may see, ranked, with an explanation per factor. A person "
    "who has not shared their strengths profile with workplaces is listed, but not ranked on "
    "it. Each person shown is logged as a read.",
)
def match_candidates(
    request: HttpRequest, need_id: PathId, params: Query[MatchCandidatesParams]
) -> MatchResult:
    api_membership(request)
    user = request_user(request)
    if not 1 <= need_id <= MAX_ID:
        raise Http404
    need = RecruitmentNeed.objects.filter(
        pk=need_id, employer__in=Employer.objects.visible_to(user)
    ).first()
    if need is None:
        raise Http404
    return engine.candidates_for_need(user, need, favour=params.favour, limit=params.limit)


@router.get(
    "/participants/{participant_id}/needs",
    response={200: MatchResultOut, **ERROR_RESPONSES},
    summary="Suggest open recruitment needs for a participant",
    description="Open needs of the organisation's employers, ranked, with an explanation per "
    "factor. The read of the person's profile is logged.",
)
def match_needs(
    request: HttpRequest, participant_id: PathId, params: Query[MatchNeedsParams]
) -> MatchResult:
    participant = participant_for_write(request, participant_id)
    return engine.needs_for_participant(request_user(request), participant, limit=params.limit)
