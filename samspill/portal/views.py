"""The employer and mentor portal: their placements, what the participant shares, a note, a
concern, and their one person to call. Built for a phone first."""

import datetime
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samspill.accounts.links import user_from_link
from samspill.audit.services import access_log_record
from samspill.core.forms import add_service_errors
from samspill.core.http import AuthedRequest, redirect_next
from samspill.employers.models import EmployerContact
from samspill.employers.views import employer_for
from samspill.participants import outcomes
from samspill.participants import queries as participant_queries
from samspill.participants.forms import OwnStatusForm
from samspill.participants.models import OutcomeSource, Participant
from samspill.participants.views import participant_for_write, require_follower
from samspill.placements import followups as placement_followups
from samspill.placements import queries as placement_queries
from samspill.placements import services as placement_services
from samspill.placements.forms import CertificateReturnForm
from samspill.placements.models import AgreementApproval, Party, Placement, Status
from samspill.placements.views import certificate_response
from samspill.plans.models import Goal
from samspill.portal import permissions
from samspill.portal.proposal_views import presented_proposals
from samspill.portal.services import participant_invite, portal_invite


class NoteForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Note to the counselor"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )


class ConcernForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("What is not going well?"),
        help_text=gettext_lazy("The counselor and the contact person hear of it at once."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )


def require_contact(request: AuthedRequest) -> EmployerContact:
    contact = permissions.portal_contact(request.user)
    if contact is None:
        raise PermissionDenied
    return contact


def _placements(request: AuthedRequest) -> Any:
    return permissions.portal_placements(request.user).select_related(
        "participant", "employer", "mentor"
    )


@login_required
@require_GET
def portal_home(request: AuthedRequest) -> HttpResponse:
    """An employer contact's placements, or a participant's own."""
    if permissions.portal_contact(request.user) is None:
        participant = permissions.portal_participant(request.user)
        if participant is not None:
            return participant_home(request, participant)
    contact = require_contact(request)
    placements = list(
        _placements(request)
        .prefetch_related(
            Prefetch(
                "approvals",
                queryset=AgreementApproval.objects.filter(party=Party.EMPLOYER),
                to_attr="employer_approvals",
            )
        )
        .order_by("start_date", "id")[:100]
    )
    # Candidates the coordinator presented to this contact (never to a mentor): issue 23.
    proposals = [] if contact.is_mentor else presented_proposals(contact)
    shared = permissions.shared_with_workplace(
        [p.participant_id for p in placements] + [p.participant_id for p in proposals]
    )
    return render(
        request,
        "portal/home.html",
        {
            "contact": contact,
            "employer": contact.employer,
            "rows": _home_rows(placements, shared, timezone.localdate()),
            "proposals": [(p, shared[p.participant_id]) for p in proposals],
        },
    )


@dataclass(frozen=True)
class HomeRow:
    """One placement on the portal's list: what tells it apart when the name is not shared."""

    placement: Placement
    shared: permissions.Shared
    status: str
    awaiting_me: bool  # the employer's approval is the one missing

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)

    @property
    def is_over(self) -> bool:
        return self.status in (Status.ENDED, Status.CANCELLED)


# Awaiting the employer first, then what runs or is about to, then drafts, the ended last.
HOME_ORDER: list[str] = [
    Status.AWAITING_APPROVAL,
    Status.RUNNING,
    Status.READY,
    Status.DRAFT,
    Status.ENDED,
]


def _home_rows(
    placements: list[Placement], shared: dict[int, permissions.Shared], today: datetime.date
) -> list[HomeRow]:
    rows = []
    for p in placements:
        status = p.status_on(today)
        awaiting_me = status == Status.AWAITING_APPROVAL and not p.employer_approvals  # type: ignore[attr-defined]
        rows.append(HomeRow(p, shared[p.participant_id], status, awaiting_me))
    return sorted(
        rows,
        key=lambda row: (
            not row.awaiting_me,
            HOME_ORDER.index(row.status) if row.status in HOME_ORDER else len(HOME_ORDER),
        ),
    )


def _placement_for(request: AuthedRequest, pk: int, what: str) -> tuple[EmployerContact, Placement]:
    contact = require_contact(request)
    placement = get_object_or_404(_placements(request), pk=pk)
    access_log_record(
        actor=request.user,
        participant=placement.participant,
        what=what,
        why=permissions.relationship(contact, placement),
    )
    return contact, placement


def _placement_page(
    request: AuthedRequest,
    contact: EmployerContact,
    placement: Placement,
    *,
    note_form: NoteForm | None = None,
    concern_form: ConcernForm | None = None,
    status: int = 200,
) -> HttpResponse:
    shared = permissions.shared_with_workplace([placement.participant_id])[placement.participant_id]
    goals = (
        list(
            Goal.objects.filter(participant_id=placement.participant_id)
            .exclude(status=Goal.Status.DROPPED)
            .order_by("created_at", "id")[:20]
        )
        if shared.plan
        else []
    )
    return render(
        request,
        "portal/placement.html",
        {
            "contact": contact,
            "employer": contact.employer,
            "placement": placement,
            "participant": placement.participant,
            "shared": shared,
            "goals": goals,
            **_agreement_context(placement, hide_accommodations=not shared.accommodations),
            "return_form": CertificateReturnForm(),
            "my_notes": list(
                placement.mentor_notes.filter(author=request.user).order_by("-created_at")[:20]
            ),
            "note_form": note_form or NoteForm(),
            "concern_form": concern_form or ConcernForm(),
        },
        status=status,
    )


@login_required
@require_GET
def placement_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    contact, placement = _placement_for(request, pk, "portal:placement")
    return _placement_page(request, contact, placement)


@login_required
@require_POST
def note_add(request: AuthedRequest, pk: int) -> HttpResponse:
    contact, placement = _placement_for(request, pk, "portal:note")
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            placement_followups.mentor_note_add(
                placement=placement, by=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your note was sent to the counselor."))
            return redirect("portal:placement", pk=placement.pk)
    return _placement_page(request, contact, placement, note_form=form, status=400)


@login_required
@require_POST
def concern_raise(request: AuthedRequest, pk: int) -> HttpResponse:
    contact, placement = _placement_for(request, pk, "portal:concern")
    form = ConcernForm(request.POST)
    if form.is_valid():
        try:
            placement_followups.concern_raise(
                placement=placement, by=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Thank you. The counselor and your contact person have been told."),
            )
            return redirect("portal:placement", pk=placement.pk)
    return _placement_page(request, contact, placement, concern_form=form, status=400)


def _agreement_context(placement: Placement, *, hide_accommodations: bool) -> dict[str, Any]:
    """The agreement as the portal shows it: its content, approvals, follow-up dates and
    certificate. Accommodations only while the participant shares them with the workplace."""
    page = placement_queries.agreement_page(placement)
    rows = placement_services.content_rows(placement)
    if hide_accommodations:
        rows = [row for row in rows if row["name"] != "accommodations"]
    return {
        "page": page,
        "content_rows": rows,
        "status": placement.status,
        "parties": Party,
        "missing": placement.missing_for_approval() if not placement.is_locked else [],
    }


def _done(request: AuthedRequest, error: Exception | None, success: str) -> None:
    if isinstance(error, placement_services.ConflictError):
        messages.error(
            request, _("The agreement changed after you opened it. Read it again, then approve.")
        )
    elif isinstance(error, ValidationError):
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)


def _approve(request: AuthedRequest, placement: Placement, party: str) -> None:
    try:
        revision = int(request.POST.get("revision", ""))
    except ValueError:
        _done(request, ValidationError(_("The approval could not be read; try again.")), "")
        return
    error: Exception | None = None
    try:
        placement_services.agreement_approve(
            placement=placement, by=request.user, party=party, revision=revision
        )
    except (placement_services.ConflictError, ValidationError) as caught:
        error = caught
    _done(request, error, _("Thank you, your approval is recorded."))


@login_required
@require_POST
def approve(request: AuthedRequest, pk: int) -> HttpResponse:
    """The employer contact approves the agreement."""
    _contact, placement = _placement_for(request, pk, "portal:agreement")
    _approve(request, placement, Party.EMPLOYER)
    return redirect("portal:placement", pk=pk)


@login_required
@require_POST
def certificate_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    """The employer contact approves the certificate (it is issued) or sends it back."""
    _contact, placement = _placement_for(request, pk, "portal:certificate")
    certificate = getattr(placement, "certificate", None)
    if certificate is None:
        raise Http404
    error: Exception | None = None
    try:
        if request.POST.get("decision") == "approve":
            placement_followups.certificate_approve(certificate=certificate, by=request.user)
            success = _("The certificate is issued. The participant can download it.")
        else:
            form = CertificateReturnForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Say what should change."))
            placement_followups.certificate_return(
                certificate=certificate, by=request.user, comment=form.cleaned_data["comment"]
            )
            success = _("The certificate was sent back to the counselor.")
    except ValidationError as caught:
        error, success = caught, ""
    _done(request, error, success)
    return redirect("portal:placement", pk=pk)


# The participant's own pages.


def require_participant(request: AuthedRequest) -> Participant:
    participant = permissions.portal_participant(request.user)
    if participant is None:
        raise PermissionDenied
    return participant


def _my_placement(request: AuthedRequest, pk: int, what: str) -> tuple[Participant, Placement]:
    participant = require_participant(request)
    placement = get_object_or_404(
        permissions.own_placements(participant).select_related("participant", "employer", "mentor"),
        pk=pk,
    )
    access_log_record(
        actor=request.user, participant=participant, what=what, why=permissions.Relationship.SELF
    )
    return participant, placement


def participant_home(request: AuthedRequest, participant: Participant) -> HttpResponse:
    status_due = participant_queries.own_status_due(participant.pk, timezone.localdate())
    placements = list(
        permissions.own_placements(participant)
        .select_related("employer")
        .order_by("-start_date", "-id")[:50]
    )
    access_log_record(
        actor=request.user,
        participant=participant,
        what="portal:my_placements",
        why=permissions.Relationship.SELF,
    )
    return render(
        request,
        "portal/me_home.html",
        {"participant": participant, "placements": placements, "status_due": status_due},
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_status(request: AuthedRequest) -> HttpResponse:
    """ "Where are you now?": the participant answers their own status after follow-up."""
    participant = require_participant(request)
    today = timezone.localdate()
    row = participant_queries.own_status_due(participant.pk, today)
    if row is None:
        raise Http404
    access_log_record(
        actor=request.user,
        participant=participant,
        what="portal:my_status",
        why=permissions.Relationship.SELF,
    )
    form = OwnStatusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            outcomes.status_record(
                status=row,
                by=request.user,
                outcome=form.cleaned_data["outcome"],
                as_of=today,
                hours_per_week=form.cleaned_data["hours_per_week"],
                revision=row.revision,
                source=OutcomeSource.PARTICIPANT,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you for telling us."))
            return redirect("portal:home")
    return render(
        request,
        "portal/me_status.html",
        {"participant": participant, "row": row, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def my_placement(request: AuthedRequest, pk: int) -> HttpResponse:
    participant, placement = _my_placement(request, pk, "portal:my_placement")
    return render(
        request,
        "portal/me_placement.html",
        {
            "participant": participant,
            "placement": placement,
            **_agreement_context(placement, hide_accommodations=False),
        },
    )


@login_required
@require_POST
def my_approve(request: AuthedRequest, pk: int) -> HttpResponse:
    _participant, placement = _my_placement(request, pk, "portal:my_agreement")
    _approve(request, placement, Party.PARTICIPANT)
    return redirect("portal:my_placement", pk=pk)


@login_required
@require_GET
def my_certificate(request: AuthedRequest, pk: int) -> FileResponse:
    _participant, placement = _my_placement(request, pk, "portal:my_certificate")
    certificate = getattr(placement, "certificate", None)
    if certificate is None or not certificate.is_issued:
        raise Http404
    return certificate_response(certificate)


@login_required
@require_POST
def invite_participant(request: AuthedRequest, participant_pk: int) -> HttpResponse:
    """Staff: give a participant their own login, to approve agreements and follow along."""
    require_follower(request)
    participant = participant_for_write(request, participant_pk)
    try:
        participant_invite(participant=participant, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("An invitation was sent to %(email)s.") % {"email": participant.email}
        )
    return redirect_next(request, "participants:detail", pk=participant.pk)


@require_http_methods(["GET", "POST"])
def invitation(request: AuthedRequest, uidb64: str, token: str) -> HttpResponse:
    """Set a password from the invitation link, then go straight to the portal."""
    user = user_from_link(uidb64, token)
    if not (
        user is not None
        and (
            EmployerContact.objects.filter(user=user, is_active=True).exists()
            or Participant.objects.filter(portal_user=user).exists()
        )
    ):
        return render(request, "accounts/invitation.html", status=404)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to Samspill."))
        return redirect("portal:home")
    return render(
        request, "accounts/invitation.html", {"valid": True, "form": form, "user_email": user.email}
    )


@login_required
@require_POST
def invite(request: AuthedRequest, employer_pk: int, contact_pk: int) -> HttpResponse:
    """Staff: send (or send again) a contact's portal invitation."""
    employer = employer_for(request, employer_pk)
    contact = get_object_or_404(employer.contacts, pk=contact_pk)
    try:
        portal_invite(contact=contact, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("An invitation was sent to %(email)s.") % {"email": contact.email}
        )
    return redirect_next(request, "employers:contact", pk=employer.pk, contact_pk=contact.pk)
