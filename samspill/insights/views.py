"""The insights pages: for leaders and administrators; counts and estimates, never a person.
They read from the read replica when there is one (samspill/core/db.py)."""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from samspill.core.db import replica_reads
from samspill.core.http import AuthedRequest
from samspill.insights import charts, creaming, effects, fidelity, outcomes, queries, services
from samspill.insights.models import Analysis
from samspill.insights.permissions import insights_membership
from samspill.organisations.models import Membership
from samspill.participants.models import NeedGroup


def _require(request: AuthedRequest) -> Membership:
    membership = insights_membership(request.user)
    if membership is None:
        raise PermissionDenied
    return membership


@login_required
@require_GET
@replica_reads()
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
    services.analysis_request(
        organisation_id=membership.organisation_id, kind=Analysis.Kind.EFFECTS, by=request.user
    )
    messages.success(request, _("The analysis is being computed; it takes up to a minute."))
    return redirect("insights:effects")


def _date_param(request: AuthedRequest, name: str, default: datetime.date) -> datetime.date:
    value = request.GET.get(name, "")
    if not value:
        return default
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise BadDate(name) from None


class BadDate(Exception):
    pass


def _window(
    request: AuthedRequest, template: str
) -> tuple[datetime.date, datetime.date] | HttpResponse:
    """?start=&end= (the last 12 months by default), or the page with a clear message (400)."""
    try:
        end = _date_param(request, "end", timezone.localdate())
        start = _date_param(request, "start", end - datetime.timedelta(days=365))
    except BadDate:
        error = _("Give the dates as YYYY-MM-DD.")
    else:
        if start <= end:
            return start, end
        error = _("The start must be on or before the end.")
    return render(request, template, {"error": error}, status=400)


@login_required
@require_GET
@replica_reads()
def fidelity_page(request: AuthedRequest) -> HttpResponse:
    """Fidelity to the IPS principles on a date: caseloads, time to the first employer contact,
    follow-along after a job starts."""
    membership = _require(request)
    try:
        on = _date_param(request, "date", timezone.localdate())
    except BadDate:
        return render(
            request,
            "insights/fidelity.html",
            {"error": _("Give the date as YYYY-MM-DD."), "on": timezone.localdate()},
            status=400,
        )
    result = fidelity.compute(membership.organisation, on)
    # The fidelity keys (external key, else user:<id>) back to people's names, in one query.
    keys = {
        key or f"user:{user_id}": name
        for key, user_id, name in Membership.objects.filter(
            organisation_id=membership.organisation_id
        ).values_list("external_key", "user_id", "user__full_name")
    }
    counselors = [(keys.get(key, key), row) for key, row in result["counselors"].items()]
    return render(
        request,
        "insights/fidelity.html",
        {
            "on": on,
            "result": result,
            "counselors": sorted(counselors, key=lambda item: item[0]),
            "ips_caseload": fidelity.IPS_CASELOAD,
            "suppressed": result["organisation"]["suppressed"]
            or any(row["suppressed"] for row in result["counselors"].values()),
        },
    )


@login_required
@require_GET
@replica_reads()
def creaming_page(request: AuthedRequest) -> HttpResponse:
    """Need groups of those referred against those placed, in a period."""
    membership = _require(request)
    window = _window(request, "insights/creaming.html")
    if isinstance(window, HttpResponse):
        return window
    start, end = window
    result = creaming.compute(membership.organisation, start, end)
    rows = [
        (
            label,
            result["referred"]["distribution"][group],
            result["placed"]["distribution"][group],
        )
        for group, label in NeedGroup.choices
    ]
    return render(
        request,
        "insights/creaming.html",
        {"result": result, "rows": rows, "start": start, "end": end},
    )


@login_required
@require_GET
@replica_reads()
def outcomes_page(request: AuthedRequest) -> HttpResponse:
    """Where participants went, at the end of follow-up and 6 and 12 months after; CSV with
    ?format=csv."""
    membership = _require(request)
    window = _window(request, "insights/outcomes.html")
    if isinstance(window, HttpResponse):
        return window
    start, end = window
    result = outcomes.compute(membership.organisation, start, end, timezone.localdate())
    if request.GET.get("format") == "csv":
        response = HttpResponse(outcomes.as_csv(result), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="outcomes-{start}-{end}.csv"'
        return response
    return render(
        request,
        "insights/outcomes.html",
        {"result": result, "start": start, "end": end, **_outcome_page(result)},
    )


def _outcome_page(result: dict[str, Any]) -> dict[str, Any]:
    """The organisation's chart and table, and per dimension a chart of the share to work or
    education and a table of the same numbers."""
    groups = result["groups"]
    names = outcomes.outcome_labels()
    points = outcomes.point_labels()
    hidden = _("hidden")
    not_due = _("not yet due")
    whole = next(iter(groups["organisation"].values()), None)
    overview = None
    if whole is not None:
        keys = [*outcomes.VOCABULARY, outcomes.NONE, outcomes.NOT_RECORDED]
        due = {point: whole["points"][point]["counted"] != 0 for point in points}
        overview = {
            "chart": charts.stacked(
                ident="chart-overview",
                title=_("Where participants went"),
                description=_(
                    "One bar for each point in time, divided by outcome; the table below gives "
                    "the numbers."
                ),
                bars=[
                    (
                        label,
                        [
                            (key, names[key], cell["n"], cell["share"])
                            for key, cell in whole["points"][point]["outcomes"].items()
                        ],
                    )
                    for point, label in points.items()
                ],
            ),
            "legend": [(key, names[key]) for key in keys],
            # A point nothing is due at yet shows "–" rather than a row of zeros.
            "rows": [
                (
                    names[key],
                    [
                        whole["points"][point]["outcomes"].get(key) if due[point] else None
                        for point in points
                    ],
                )
                for key in keys
            ],
            "woe": [
                whole["points"][point][outcomes.WOE] if due[point] else None for point in points
            ],
            "counted": [whole["points"][point]["counted"] for point in points],
            "not_yet_due": [whole["points"][point][outcomes.NOT_YET_DUE] for point in points],
        }
    titles = {
        "team": _("By team"),
        "counselor": _("By counselor"),
        "need_group": _("By need group"),
        "referral_source": _("By referral source"),
        "placement_kind": _("By placement kind"),
        "loop": _("By jobbLOOP"),
        "age_band": _("By age at the start"),
    }
    sections = []
    for dimension, title in titles.items():
        named = [
            (outcomes.group_label(dimension, name), group)
            for name, group in groups[dimension].items()
        ]
        if not named:
            continue
        sections.append(
            {
                "key": dimension,
                "title": title,
                "groups": named,
                "chart": charts.shares(
                    ident=charts.ident("shares", dimension),
                    title=_("%(what)s: share to work or education") % {"what": title},
                    description=_(
                        "For each group, the share to work or education at the end, 6 and 12 "
                        "months after; the table below gives the numbers."
                    ),
                    series=list(points.values()),
                    rows=[
                        (
                            label,
                            [
                                group["points"][point][outcomes.WOE]["share"]
                                if group["points"][point]["counted"] != 0
                                else not_due
                                for point in points
                            ],
                        )
                        for label, group in named
                    ],
                    hidden=hidden,
                ),
            }
        )
    return {
        "overview": overview,
        "points": list(points.values()),
        "sections": sections,
        "series": list(zip(charts.SERIES, points.values(), strict=False)),
        "suppressed": any(
            group["suppressed"] for named in groups.values() for group in named.values()
        ),
    }
