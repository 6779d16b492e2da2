"""Matching pages for staff: candidates for a need, suggestions for a person, hit rates.

Thin views (STYLE.md 3): the need comes through the employer door, the person through the
participant door; the engine ranks only people and needs the user may see and logs each read
of a profile. A decision on a suggestion is taken on the suggestion the engine gives now (never
on scores sent by the browser): a pair no longer suggested is a 404.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samspill.core.http import AuthedRequest
from samspill.employers.models import Employer, EmployerContact, RecruitmentNeed
from samspill.matching import queries, services
from samspill.matching.engine import candidates_for_need, needs_for_participant
from samspill.matching.forms import DecisionForm, FavourForm, OutcomeForm, PresentForm
from samspill.matching.models import Proposal
from samspill.matching.types import MatchResult, Suggestion
from samspill.participants.models import Participant
from samspill.participants.views import participant_for_read, require_follower

LIMIT = 20


def _need_for(request: AuthedRequest, pk: int) -> RecruitmentNeed:
    require_follower(request)
    return get_object_or_404(
        RecruitmentNeed.objects.select_related("employer").filter(
            employer__in=Employer.objects.visible_to(request.user)
        ),
        pk=pk,
    )


def _rows(result: MatchResult, decided: dict[tuple[int, int], str]) -> list[dict[str, Any]]:
    labels = queries.factor_labels()
    return [
        {
            "s": s,
            "percent": round(s.score * 100),
            "factors": [{"f": f, "label": labels[f.key]} for f in s.factors],
            "decided": dict(Proposal.Action.choices).get(
                decided.get((s.participant_id, s.need_id), "")
            ),
        }
        for s in result.suggestions
    ]


def _pick(result: MatchResult, participant_id: int, need_id: int) -> Suggestion:
    for s in result.suggestions:
        if s.participant_id == participant_id and s.need_id == need_id:
            return s
    raise Http404


def _decide(
    request: AuthedRequest,
    form: DecisionForm,
    participant: Participant,
    need: RecruitmentNeed,
    suggestion: Suggestion,
) -> Proposal | None:
    """The decision, or None when the service refused it (its message is on the form)."""
    action = form.cleaned_data["action"]
    args: dict[str, Any] = {
        "by": request.user,
        "participant": participant,
        "need": need,
        "suggestion": suggestion,
    }
    try:
        if action == "propose":
            proposal = services.suggestion_propose(**args)
            messages.success(request, _("Proposed. The coordinator takes it to the employer."))
        elif action == "draft":
            proposal = services.suggestion_start_draft(**args)
            messages.success(
                request, _("The placement is drafted. Fill in the agreement step by step.")
            )
        else:
            proposal = services.suggestion_pass(**args, reason=form.cleaned_data["reason"])
            messages.success(request, _("Passed over; the reason is recorded."))
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return None
    return proposal


@login_required
@require_http_methods(["GET", "POST"])
def need_candidates(request: AuthedRequest, pk: int) -> HttpResponse:
    need = _need_for(request, pk)
    favour_form = FavourForm(request.GET or None)
    favour = favour_form.cleaned_data["favour"] if favour_form.is_valid() else ""
    result = candidates_for_need(request.user, need, favour=favour, limit=LIMIT)
    form = DecisionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid() and form.cleaned_data["action"] != "draft":
            participant = get_object_or_404(
                Participant.objects.visible_to(request.user), pk=form.cleaned_data["other"]
            )
            suggestion = _pick(result, participant.pk, need.pk)
            if _decide(request, form, participant, need, suggestion) is not None:
                return redirect(request.get_full_path())
        status = 400
    names = {
        p.pk: p.full_name
        for p in Participant.objects.filter(
            pk__in=[s.participant_id for s in result.suggestions]
        ).only("given_name", "family_name")
    }
    rows = _rows(result, queries.decided(need_id=need.pk))
    for row in rows:
        row["name"] = names.get(row["s"].participant_id, "")
    membership = request.membership
    context = {
        "need": need,
        "result": result,
        "rows": rows,
        "fairness": queries.fairness(result),
        "proposals": [
            {"p": p, "form": OutcomeForm(initial={"outcome": p.outcome, "revision": p.revision})}
            for p in Proposal.objects.filter(
                need=need, participant__in=Participant.objects.visible_to(request.user)
            )
            .exclude(action=Proposal.Action.PASSED)
            .select_related("participant", "by", "presented_to")
        ],
        "contacts": queries.presentable_contacts({need.employer_id})[need.employer_id],
        "can_present": membership is not None and membership.role in services.PRESENTERS,
        "favour_form": favour_form,
        "form": form,
    }
    return render(request, "matching/need_candidates.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def participant_suggestions(request: AuthedRequest, pk: int) -> HttpResponse:
    participant = participant_for_read(request, pk, what="matching")
    result = needs_for_participant(request.user, participant, limit=LIMIT)
    form = DecisionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            need = _need_for(request, form.cleaned_data["other"])
            suggestion = _pick(result, participant.pk, need.pk)
            proposal = _decide(request, form, participant, need, suggestion)
            if proposal is not None and proposal.placement_id:
                return redirect("placements:step", pk=proposal.placement_id, step="parties")
            if proposal is not None:
                return redirect(request.get_full_path())
        status = 400
    needs = RecruitmentNeed.objects.select_related("employer").in_bulk(
        [s.need_id for s in result.suggestions]
    )
    rows = _rows(result, queries.decided(participant_id=participant.pk))
    for row in rows:
        row["need"] = needs.get(row["s"].need_id)
    context = {
        "participant": participant,
        "tab": "matching",
        "result": result,
        "rows": rows,
        "fairness": queries.fairness(result),
        "form": form,
    }
    return render(request, "matching/participant_suggestions.html", context, status=status)


@login_required
@require_GET
def hit_rates(request: AuthedRequest) -> HttpResponse:
    membership = require_follower(request)
    rows, total = queries.hit_rates(membership.organisation_id)
    return render(request, "matching/hit_rates.html", {"rows": rows, "total": total})


@login_required
@require_POST
def proposal_outcome(request: AuthedRequest, pk: int) -> HttpResponse:
    require_follower(request)
    proposal = get_object_or_404(
        Proposal.objects.filter(
            participant__in=Participant.objects.visible_to(request.user)
        ).exclude(action=Proposal.Action.PASSED),
        pk=pk,
    )
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            services.proposal_outcome_record(
                proposal=proposal,
                by=request.user,
                outcome=form.cleaned_data["outcome"],
                revision=form.cleaned_data["revision"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Choose what it led to."))
    return redirect("matching:need", pk=proposal.need_id)


@login_required
@require_POST
def proposal_present(request: AuthedRequest, pk: int) -> HttpResponse:
    """The coordinator presents a proposed person to an employer contact of the need."""
    if require_follower(request).role not in services.PRESENTERS:
        raise PermissionDenied
    proposal = get_object_or_404(
        Proposal.objects.filter(
            participant__in=Participant.objects.visible_to(request.user),
            employer__in=Employer.objects.visible_to(request.user),
        ).exclude(action=Proposal.Action.PASSED),
        pk=pk,
    )
    form = PresentForm(request.POST)
    contact = None
    if form.is_valid():
        contact = EmployerContact.objects.filter(
            pk=form.cleaned_data["contact"], employer_id=proposal.employer_id
        ).first()
    if contact is None:
        messages.error(request, _("Choose the contact to present the candidate to."))
        return redirect("matching:need", pk=proposal.need_id)
    try:
        services.proposal_present(
            proposal=proposal,
            by=request.user,
            contact=contact,
            revision=form.cleaned_data["revision"],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("Presented to %(name)s, who is told by e-mail.") % {"name": contact.name}
        )
    return redirect("matching:need", pk=proposal.need_id)
