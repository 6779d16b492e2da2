"""The counselor's day and belief check-ins (the sparring a lost belief leads to is in
learning/sparring_views.py, which posts from the belief page)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from samspill.accounts.models import User
from samspill.core.forms import add_service_errors
from samspill.core.http import AuthedRequest
from samspill.followup import dashboard as dashboard_queries
from samspill.followup import permissions, queries, services
from samspill.followup import today as today_lists
from samspill.followup.forms import CheckInForm, SparringRequestForm
from samspill.followup.models import BeliefCheckIn
from samspill.organisations.queries import staff_who_follow
from samspill.participants.models import Participant
from samspill.participants.views import (
    participant_for_read,
    participant_for_write,
    require_follower,
)


def _colleagues(request: AuthedRequest, participant: Participant) -> QuerySet[User]:
    """Who can be asked for sparring: staff who follow participants, except the asker."""
    user_ids = staff_who_follow(participant.organisation_id).values("user_id")
    return User.objects.filter(pk__in=user_ids).exclude(pk=request.user.pk).order_by("full_name")


@login_required
@require_GET
def today(request: AuthedRequest) -> HttpResponse:
    membership = require_follower(request)
    sections = today_lists.today_sections(request.user, membership, timezone.localdate())
    return render(
        request,
        "followup/today.html",
        {
            "sections": sections,
            "lists": {shown.section.key: shown.list for shown in sections},
            "total": sum(shown.list.count for shown in sections),
            "empty": [shown for shown in sections if not shown.list.count],
        },
    )


@login_required
@require_GET
def today_section(request: AuthedRequest, section: str) -> HttpResponse:
    """One of the Today page's lists, whole, a page at a time."""
    membership = require_follower(request)
    chosen = today_lists.SECTIONS.get(section)
    if chosen is None:
        raise Http404
    rows = chosen.rows(request.user, membership, timezone.localdate())
    page = Paginator(rows, today_lists.PAGE_SIZE).get_page(request.GET.get("page"))
    items = today_lists.prepare(chosen, list(page.object_list), membership)
    return render(
        request, "followup/today_section.html", {"section": chosen, "page": page, "items": items}
    )


def _belief_page(
    request: AuthedRequest,
    participant: Participant,
    *,
    form: CheckInForm | None = None,
    sparring_form: SparringRequestForm | None = None,
    checkin: BeliefCheckIn | None = None,
    status: int = 200,
) -> HttpResponse:
    """The belief tab; with `checkin`, the sparring prompt for it when its drop calls for one."""
    result = queries.checkin_result(checkin) if checkin is not None else None
    if result is not None and result.suggest_sparring and sparring_form is None:
        sparring_form = SparringRequestForm(
            colleagues=_colleagues(request, participant),
            initial={"checkin": checkin.pk if checkin else None},
        )
    return render(
        request,
        "followup/belief.html",
        {
            "participant": participant,
            "tab": "belief",
            "form": form or CheckInForm(),
            "can_record": permissions.can_record_checkin(request.user, participant),
            "result": result,
            "sparring_form": sparring_form if result is None or result.suggest_sparring else None,
            "trend": queries.belief_trend(participant),
        },
        status=status,
    )


def _own_checkin(participant: Participant, checkin_id: object) -> BeliefCheckIn | None:
    try:
        return BeliefCheckIn.objects.filter(
            pk=int(str(checkin_id)), participant=participant
        ).first()
    except ValueError:
        return None


@login_required
def participant_belief(request: AuthedRequest, pk: int) -> HttpResponse:
    participant = participant_for_write(request, pk)
    if not permissions.can_see_belief(request.user, participant):
        raise PermissionDenied
    if request.method == "POST":
        if not permissions.can_record_checkin(request.user, participant):
            raise PermissionDenied
        form = CheckInForm(request.POST)
        if form.is_valid():
            try:
                result = services.checkin_record(
                    participant=participant, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The check-in was recorded."))
                url = reverse("followup:belief", kwargs={"pk": participant.pk})
                # Post/redirect/get: a reload must not record the check-in twice.
                return redirect(
                    f"{url}?checkin={result.checkin.pk}" if result.suggest_sparring else url
                )
        participant = participant_for_read(request, pk, "page:belief")
        return _belief_page(request, participant, form=form, status=400)
    participant = participant_for_read(request, pk, "page:belief")
    checkin = (
        _own_checkin(participant, request.GET["checkin"]) if "checkin" in request.GET else None
    )
    return _belief_page(request, participant, checkin=checkin)


@login_required
@require_GET
def dashboard(request: AuthedRequest) -> HttpResponse:
    """Leaders: continuity over time, per team and counselor; belief per team, in the job
    seeker and in the labour market side by side."""
    membership = require_follower(request)
    if not membership.is_leader:
        raise PermissionDenied
    day = timezone.localdate()
    year_ago = day - datetime.timedelta(days=365)
    org_id = membership.organisation_id
    breakdown = dashboard_queries.continuity_by_team_and_counselor(org_id, year_ago, day)
    over_time = dashboard_queries.continuity_over_time(org_id, day)
    belief = dashboard_queries.belief_by_team(org_id)
    market_belief = dashboard_queries.belief_by_team(org_id, question="market_belief")
    year, median_months = breakdown["organisation"]
    context = {
        "over_time": over_time,
        "year": year,
        "median_months": median_months,
        "breakdown": breakdown,
        "belief": belief,
        "market_belief": market_belief,
        "year_ago": year_ago,
        "suppressed": year.suppressed
        or any(figures.suppressed for _window, figures in over_time)
        or any(row[1].suppressed for row in breakdown["teams"])
        or any(row[2].suppressed for row in breakdown["counselors"])
        or any(row.suppressed for row in [*belief, *market_belief]),
    }
    return render(request, "followup/dashboard.html", context)
