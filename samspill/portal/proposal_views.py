"""The employer side of matching: a candidate the coordinator presented to this employer contact,
shown with only what the person shares with workplaces, and the contact's answer.

The door is `matching.queries.presented_to(contact)`: a proposal presented to another contact,
of this employer or another, is a 404; a mentor (who follows placements, not recruitment) gets a
403. What is shown of the person follows the portal's one sharing rule
(`permissions.shared_with_workplace`), read at every request: the name and contact details, the
strengths profile, goals and accommodations each only while consented. Never the health field
`needs`, the need group, notes, or the matching scores. Every view is logged as a read.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samspill.audit.services import access_log_record
from samspill.core.forms import add_service_errors
from samspill.core.http import AuthedRequest
from samspill.employers.models import EmployerContact
from samspill.matching import queries as matching_queries
from samspill.matching import services as matching_services
from samspill.matching.forms import ResponseForm
from samspill.matching.models import Proposal
from samspill.plans.models import Goal
from samspill.portal import permissions


def require_recruiting_contact(request: AuthedRequest) -> EmployerContact:
    """An employer contact who is not (only) a mentor: mentors follow placements."""
    contact = permissions.portal_contact(request.user)
    if contact is None or contact.is_mentor:
        raise PermissionDenied
    return contact


def presented_proposals(contact: EmployerContact) -> list[Proposal]:
    """The candidates presented to this contact, newest first, for the portal's home page."""
    return list(
        matching_queries.presented_to(contact)
        .select_related("participant", "need")
        .order_by("-presented_at", "-id")[:50]
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    contact = require_recruiting_contact(request)
    proposal = get_object_or_404(
        matching_queries.presented_to(contact).select_related("participant", "need"), pk=pk
    )
    participant = proposal.participant
    access_log_record(
        actor=request.user,
        participant=participant,
        what="portal:proposal",
        why=permissions.Relationship.EMPLOYER_CONTACT,
    )
    form = ResponseForm(
        request.POST or None,
        initial={
            "response": proposal.response or None,
            "reason": proposal.response_reason,
            "revision": proposal.revision,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            matching_services.proposal_respond(
                proposal=proposal,
                by=request.user,
                response=form.cleaned_data["response"],
                reason=form.cleaned_data["reason"],
                revision=form.cleaned_data["revision"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you. Your answer is sent to the coordinator."))
            return redirect("portal:proposal", pk=proposal.pk)
    shared = permissions.shared_with_workplace([participant.pk])[participant.pk]
    goals = (
        list(
            Goal.objects.filter(participant_id=participant.pk)
            .exclude(status=Goal.Status.DROPPED)
            .order_by("created_at", "id")[:20]
        )
        if shared.plan
        else []
    )
    return render(
        request,
        "portal/proposal.html",
        {
            "contact": contact,
            "employer": contact.employer,
            "proposal": proposal,
            "need": proposal.need,
            "participant": participant,
            "shared": shared,
            "goals": goals,
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )
