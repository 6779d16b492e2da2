"""The insights API: the latest effects estimate of the caller's organisation (leaders and
administrators)."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from samspill.accounts.auth import request_user
from samspill.insights import queries
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
