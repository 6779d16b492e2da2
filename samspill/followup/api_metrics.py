"""The follow-up metrics API for leaders: continuity and belief per team (aggregates only)."""

import datetime

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from pydantic import model_validator

from samspill.followup import dashboard
from samspill.participants.api import ERROR_RESPONSES, Date, api_membership

router = Router(tags=["follow-up metrics"])


class Window(Schema):
    start: Date | None = Field(None, description="First day; default a year before the end.")
    end: Date | None = Field(None, description="Last day; default today.")

    @model_validator(mode="after")
    def start_before_end(self) -> "Window":
        if self.start and self.end and self.start > self.end:
            raise ValueError(_("The start must be on or before the end."))
        return self


SUPPRESSED = (
    "True when a figure here is null because it is, or rests on, a count of 1-4 (fewer than 5) "
    "participants or periods, or because a total would let such a count be worked out "
    "(core/smallcells.py)."
)


class ContinuityOut(Schema):
    periods: int | None
    without_change: int | None
    changes: int | None
    participant_years: float | None
    share_without_change: float | None
    changes_per_100_years: float | None
    suppressed: bool = Field(..., description=SUPPRESSED)


class TeamContinuity(Schema):
    team: str
    figures: ContinuityOut
    median_months_with_same_counselor: float | None


class CounselorContinuity(Schema):
    counselor: str
    team: str
    figures: ContinuityOut
    median_months_with_same_counselor: float | None


class ContinuityReport(Schema):
    start: datetime.date
    end: datetime.date
    organisation: ContinuityOut
    median_months_with_same_counselor: float | None
    teams: list[TeamContinuity]
    counselors: list[CounselorContinuity]


class BeliefTeam(Schema):
    team: str
    participants: int | None
    counts: dict[int, int | None] = Field(
        ..., description="Latest belief (1-5) -> participants; null: hidden."
    )
    suppressed: bool = Field(..., description=SUPPRESSED)


def _leader_org(request: HttpRequest) -> int:
    membership = api_membership(request)
    if not membership.is_leader:
        raise HttpError(403, _("Only leaders see the follow-up metrics."))
    return membership.organisation_id


def _figures(c: dashboard.Figures) -> dict[str, object]:
    return {
        "periods": c.periods,
        "without_change": c.without_change,
        "changes": c.changes,
        "participant_years": (
            round(c.participant_years, 3) if c.participant_years is not None else None
        ),
        "share_without_change": c.share_without_change,
        "changes_per_100_years": c.changes_per_100_years,
        "suppressed": c.suppressed,
    }


@router.get(
    "/continuity",
    response={200: ContinuityReport, **ERROR_RESPONSES},
    summary="Counselor continuity",
    description="Continuity for the leader's organisation in a window, with teams and counselors "
    "(by name, not ranked).",
)
def continuity_report(request: HttpRequest, window: Query[Window]) -> dict[str, object]:
    org_id = _leader_org(request)
    end = window.end or timezone.localdate()
    start = window.start or end - datetime.timedelta(days=365)
    breakdown = dashboard.continuity_by_team_and_counselor(org_id, start, end)
    organisation, median = breakdown["organisation"]
    return {
        "start": start,
        "end": end,
        "organisation": _figures(organisation),
        "median_months_with_same_counselor": median,
        "teams": [
            {"team": team, "figures": _figures(c), "median_months_with_same_counselor": median}
            for team, c, median in breakdown["teams"]
        ],
        "counselors": [
            {
                "counselor": name,
                "team": team,
                "figures": _figures(c),
                "median_months_with_same_counselor": median,
            }
            for name, team, c, median in breakdown["counselors"]
        ],
    }


@router.get(
    "/belief-by-team",
    response={200: list[BeliefTeam], **ERROR_RESPONSES},
    summary="Belief per team",
    description="The latest belief check-in for each participant in follow-up, counted per team.",
)
def belief_by_team(request: HttpRequest) -> list[dict[str, object]]:
    org_id = _leader_org(request)
    return [
        {
            "team": row.team,
            "participants": row.total,
            "counts": row.counts,
            "suppressed": row.suppressed,
        }
        for row in dashboard.belief_by_team(org_id)
    ]


@router.get(
    "/market-belief-by-team",
    response={200: list[BeliefTeam], **ERROR_RESPONSES},
    summary="Belief in the labour market per team",
    description="The latest answer to the optional question whether the labour market has room "
    "for the participant, for each participant in follow-up, counted per team.",
)
def market_belief_by_team(request: HttpRequest) -> list[dict[str, object]]:
    org_id = _leader_org(request)
    return [
        {
            "team": row.team,
            "participants": row.total,
            "counts": row.counts,
            "suppressed": row.suppressed,
        }
        for row in dashboard.belief_by_team(org_id, question="market_belief")
    ]
