"""The insights pages: for leaders and administrators; counts and estimates, never a person."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from samspill.core.http import AuthedRequest
from samspill.insights import effects, queries, services
from samspill.insights.models import Analysis
from samspill.insights.permissions import insights_membership
from samspill.insights.tasks import run_analysis
from samspill.organisations.models import Membership


def _require(request: AuthedRequest) -> Membership:
    membership = insights_membership(request.user)
    if membership is None:
        raise PermissionDenied
    return membership


@login_required
@require_GET
def effects_page(request: AuthedRequest) -> HttpResponse:
    membership = _require(request)
    finished = queries.latest_finished(membership.organisation_id, Analysis.Kind.EFFECTS)
    latest = queries.latest(membership.organisation_id, Analysis.Kind.EFFECTS)
    done = finished is not None and finished.status == Analysis.Status.DONE
    return render(
        request,
        "insights/effects.html",
        {
            "analysis": finished,
            "pending": latest is not None and latest.finished_at is None,
            "reading": effects.reading(finished.result) if done and finished else [],
            "caveats": effects.caveats(),
        },
    )


@login_required
@require_POST
def effects_run(request: AuthedRequest) -> HttpResponse:
    membership = _require(request)
    analysis = services.analysis_request(
        organisation_id=membership.organisation_id, kind=Analysis.Kind.EFFECTS, by=request.user
    )
    transaction.on_commit(lambda: run_analysis.enqueue(analysis.pk))
    messages.success(request, _("The analysis is being computed; it takes up to a minute."))
    return redirect("insights:effects")
