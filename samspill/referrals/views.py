"""Pages for referral intake: the list, create, edit, outcome, "make participant" and the
statistics. Thin: permission door, one service, redirect or render (STYLE.md 3)."""

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from samspill.core import smallcells
from samspill.core.db import replica_reads
from samspill.core.forms import add_service_errors
from samspill.core.http import AuthedRequest
from samspill.organisations.models import Membership
from samspill.participants.models import Participant
from samspill.referrals import clarifications, permissions, queries, services
from samspill.referrals.forms import (
    ClarificationForm,
    OutcomeForm,
    PeriodForm,
    ReferralFilterForm,
    ReferralForm,
)
from samspill.referrals.models import Referral

PAGE_SIZE = 25


def require_referral_access(request: AuthedRequest) -> Membership:
    membership = request.membership
    if not permissions.uses_referrals(membership):
        raise PermissionDenied
    assert membership is not None
    return membership


def referral_for_write(request: AuthedRequest, pk: int) -> Referral:
    """Fetch through the one door, or 404. No role check comes first: an administrator, like
    anyone else outside the door, gets a 404 for a referral (STYLE.md 4)."""
    return get_object_or_404(
        Referral.objects.visible_to(request.user).select_related(
            "organisation", "taken_by", "participant"
        ),
        pk=pk,
    )


def referral_for_read(request: AuthedRequest, pk: int, what: str) -> Referral:
    """As for a write, and log the read with the relationship that allowed it."""
    referral = referral_for_write(request, pk)
    why = permissions.relationship_to(request.user, referral)
    assert why is not None  # visible_to and relationship_to encode the same rules
    services.referral_access_log_record(actor=request.user, referral=referral, what=what, why=why)
    return referral


def _visible(request: AuthedRequest, referral: Referral) -> bool:
    return Referral.objects.visible_to(request.user).filter(pk=referral.pk).exists()


@login_required
@require_GET
def referral_list(request: AuthedRequest) -> HttpResponse:
    membership = require_referral_access(request)
    form = ReferralFilterForm(request.GET or None)
    flt = queries.ReferralFilter()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        flt = queries.ReferralFilter(
            q=data["q"].strip(),
            source=data["source"],
            outcome=data["outcome"],
            mine=data["taken"] == "mine",
            received_from=data["received_from"],
            received_to=data["received_to"],
        )
    page = Paginator(queries.referral_list(request.user, flt), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "referrals/list.html",
        {
            "form": form,
            "flt": flt,
            "page": page,
            "sees_statistics": permissions.sees_statistics(membership),
        },
    )


@login_required
def referral_create(request: AuthedRequest) -> HttpResponse:
    membership = require_referral_access(request)
    form = ReferralForm(request.POST or None, organisation_id=membership.organisation_id)
    if request.method == "POST":
        if form.is_valid():
            try:
                referral = services.referral_create(
                    organisation=membership.organisation, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The referral of %(name)s was recorded.") % {"name": referral.full_name},
                )
                if not _visible(request, referral):
                    return redirect("referrals:list")
                return redirect("referrals:detail", pk=referral.pk)
        return render(request, "referrals/form.html", {"form": form, "creating": True}, status=400)
    return render(request, "referrals/form.html", {"form": form, "creating": True})


def _detail_page(
    request: AuthedRequest, referral: Referral, *, outcome_form: OutcomeForm | None = None
) -> HttpResponse:
    initial = {
        "outcome": referral.outcome,
        "outcome_on": referral.outcome_on or timezone.localdate(),
    }
    return render(
        request,
        "referrals/detail.html",
        {
            "referral": referral,
            "outcome_form": outcome_form
            or OutcomeForm(initial=initial, revision=referral.revision),
            "participant_visible": referral.participant_id is not None
            and Participant.objects.visible_to(request.user)
            .filter(pk=referral.participant_id)
            .exists(),
        },
        status=400 if outcome_form is not None else 200,
    )


@login_required
@require_GET
def referral_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _detail_page(request, referral_for_read(request, pk, "page:referral"))


@login_required
def referral_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    referral = referral_for_read(request, pk, "page:referral-edit")
    form = ReferralForm(
        request.POST or None, instance=referral, organisation_id=referral.organisation_id
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                referral = services.referral_update(
                    referral=referral, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The referral was saved."))
                if not _visible(request, referral):
                    return redirect("referrals:list")
                return redirect("referrals:detail", pk=referral.pk)
        status = 400
    else:
        status = 200
    return render(
        request, "referrals/form.html", {"form": form, "referral": referral}, status=status
    )


@login_required
@require_POST
def referral_outcome(request: AuthedRequest, pk: int) -> HttpResponse:
    referral = referral_for_write(request, pk)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            services.referral_set_outcome(referral=referral, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The outcome was saved."))
            return redirect("referrals:detail", pk=referral.pk)
    return _detail_page(request, referral_for_read(request, pk, "page:referral"), outcome_form=form)


@login_required
@require_POST
def referral_make_participant(request: AuthedRequest, pk: int) -> HttpResponse:
    referral = referral_for_write(request, pk)
    try:
        participant = services.referral_make_participant(referral=referral, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("referrals:detail", pk=referral.pk)
    messages.success(request, _("%(name)s is now a participant.") % {"name": participant.full_name})
    if Participant.objects.visible_to(request.user).filter(pk=participant.pk).exists():
        return redirect("participants:detail", pk=participant.pk)
    return redirect("referrals:detail", pk=referral.pk)


def _period(request: AuthedRequest) -> tuple[PeriodForm, queries.ReferralStatistics | None]:
    """The chosen period (this calendar year unless told) and its statistics; None when the
    period is not valid."""
    start, end = queries.this_year(timezone.localdate())
    form = PeriodForm(request.GET or None, initial={"start": start, "end": end})
    if form.is_bound:
        if not form.is_valid():
            return form, None
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    return form, queries.referral_statistics(request.user, start=start, end=end)


def require_statistics(request: AuthedRequest) -> Membership:
    membership = request.membership
    if not permissions.sees_statistics(membership):
        raise PermissionDenied
    assert membership is not None
    return membership


@login_required
@require_GET
@replica_reads()
def referral_statistics(request: AuthedRequest) -> HttpResponse:
    require_statistics(request)
    form, stats = _period(request)
    return render(
        request,
        "referrals/statistics.html",
        {"form": form, "stats": stats},
        status=200 if stats is not None else 400,
    )


@login_required
@require_GET
@replica_reads()
def referral_statistics_csv(request: AuthedRequest) -> HttpResponse:
    """The statistics table as CSV for Excel: UTF-8 with a byte order mark (so æøå survive),
    a header row, a row per source and a row of totals."""
    require_statistics(request)
    form, stats = _period(request)
    if stats is None:
        errors = [str(e) for field in form for e in field.errors]
        return HttpResponse("\n".join(errors), status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="referrals-{stats.start.isoformat()}-{stats.end.isoformat()}.csv"'
    )
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(_csv_header(stats))
    cell = smallcells.csv_value
    for row in stats.rows:
        writer.writerow([row.label, *map(cell, row.counts), cell(row.total)])
    writer.writerow([_("Total"), *map(cell, stats.totals), cell(stats.total)])
    return response


def _csv_header(stats: queries.ReferralStatistics) -> list[Any]:
    return [_("Source"), *(label for _value, label in stats.columns), _("Total")]


@login_required
def referral_clarification(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record the clarification before practice; the page lists the earlier ones."""
    referral = referral_for_read(request, pk, "page:referral-clarification")
    form = ClarificationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                clarifications.clarification_record(
                    referral=referral, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The clarification was recorded."))
                return redirect("referrals:clarification", pk=referral.pk)
        status = 400
    history = referral.clarifications.select_related("recorded_by")
    return render(
        request,
        "referrals/clarification.html",
        {"form": form, "referral": referral, "history": history},
        status=status,
    )
