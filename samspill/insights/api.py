"""The insights API: the outcome report and the latest effects estimate of the caller's
organisation (leaders and administrators)."""

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from samspill.accounts.auth import request_user
from samspill.core.db import replica_reads
from samspill.insights import outcomes, queries
from samspill.insights.models import Analysis
from samspill.insights.permissions import insights_membership
from samspill.participants.api import ERROR_RESPONSES

router = Router(tags=["insights"])


class Ratio(Schema):
    hazard_ratio: float
    ci_low: float
    ci_high: float


class EffectsOut(Schema):
    status: str
    computed_at: Any = None
    reason: str = ""
    belief: Ratio | None = None
    counselor_change: Ratio | None = None
    n_participants: int | None = None
    n_events: int | None = None


@router.get("/effects", response={200: EffectsOut, **ERROR_RESPONSES})
def effects(request: HttpRequest) -> dict[str, Any]:
    """The latest finished effects analysis (computed in the background; request a new one on
    the insights page)."""
    membership = insights_membership(request_user(request))
    if membership is None:
        raise HttpError(403, _("Insights are for leaders and administrators."))
    with replica_reads():
        analysis = queries.latest_finished(membership.organisation_id, Analysis.Kind.EFFECTS)
    if analysis is None:
        return {"status": "none", "reason": _("No analysis yet.")}
    return {
        "status": analysis.status,
        "computed_at": analysis.finished_at,
        "reason": analysis.reason,
        **{
            key: analysis.result.get(key)
            for key in ("belief", "counselor_change", "n_participants", "n_events")
        },
    }


class OutcomesParams(Schema):
    start: datetime.date | None = None
    end: datetime.date | None = None


class OutcomesOut(Schema):
    start: datetime.date
    end: datetime.date
    today: datetime.date
    followed: int | None
    groups: dict[str, dict[str, Any]]


@router.get(
    "/outcomes",
    response={200: OutcomesOut, **ERROR_RESPONSES},
    summary="The outcome report",
    description=(
        "Where the participants of the follow-up periods that ended between start and end "
        "(the last 12 months by default) went: at the end and 6 and 12 months after, for the "
        "organisation and per team, counselor, need group, referral source, placement kind, "
        "loop and age band (docs/outcomes.md). Counts of 1-4 people, and counts that would "
        "give one away, are null with suppressed: true on their group."
    ),
)
def outcome_report(request: HttpRequest, params: Query[OutcomesParams]) -> dict[str, Any]:
    membership = insights_membership(request_user(request))
    if membership is None:
        raise HttpError(403, _("Insights are for leaders and administrators."))
    end = params.end or timezone.localdate()
    start = params.start or end - datetime.timedelta(days=365)
    if start > end:
        raise HttpError(400, _("The start must be on or before the end."))
    with replica_reads():
        return outcomes.compute(membership.organisation, start, end, timezone.localdate())
