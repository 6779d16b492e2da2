"""The workshop pages: the list, one workshop (roster, sessions, enrolling), a session's
attendance, and one participant's strengths profile and CV (with its PDF)."""

from collections.abc import Iterable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samspill.audit.models import AccessLog
from samspill.audit.services import access_log_record
from samspill.core.forms import add_service_errors
from samspill.core.http import AuthedRequest
from samspill.organisations.queries import membership_for_user
from samspill.participants.models import Participant
from samspill.selfservice import cv as cv_pdf
from samspill.selfservice.queries import cv_of
from samspill.workshops import permissions, services
from samspill.workshops.forms import (
    CVForm,
    EnrolForm,
    SessionForm,
    WorkshopForm,
    WorkshopStrengthsForm,
)
from samspill.workshops.models import Enrolment, Workshop, WorkshopSession


def _workshops(request: AuthedRequest) -> QuerySet[Workshop]:
    found = permissions.workshops_for(request.user)
    if found is None:
        raise PermissionDenied
    return found


def _workshop(request: AuthedRequest, pk: int) -> Workshop:
    return get_object_or_404(_workshops(request).select_related("facilitator"), pk=pk)


def _enrolment(request: AuthedRequest, pk: int, what: str) -> Enrolment:
    """An enrolment the user may write the profile of (404 otherwise); the read is logged."""
    enrolment = get_object_or_404(
        Enrolment.objects.filter(workshop__in=_workshops(request)).select_related(
            "participant", "workshop"
        ),
        pk=pk,
    )
    if not permissions.may_write_profile(request.user, enrolment):
        raise Http404
    why = "facilitator" if permissions.runs(request.user, enrolment.workshop) else "counselor"
    access_log_record(actor=request.user, participant=enrolment.participant, what=what, why=why)
    return enrolment


def _log_reads(request: AuthedRequest, roster: Iterable[Enrolment], what: str, why: str) -> None:
    """Log the read of every participant on a roster, in one query."""
    AccessLog.objects.bulk_create(
        AccessLog(
            actor=request.user,
            participant_id=enrolment.participant_id,
            organisation_id=enrolment.participant.organisation_id,
            what=what,
            why=why,
        )
        for enrolment in roster
    )


@login_required
@require_GET
def workshop_list(request: AuthedRequest) -> HttpResponse:
    workshops = (
        _workshops(request)
        .select_related("facilitator")
        .annotate(
            enrolled=Count("enrolments", distinct=True),
            sessions_count=Count("sessions", distinct=True),
        )
    )
    return render(request, "workshops/list.html", {"workshops": workshops})


def _workshop_form_page(
    request: AuthedRequest, form: WorkshopForm, workshop: Workshop | None
) -> HttpResponse:
    return render(
        request,
        "workshops/form.html",
        {"form": form, "workshop": workshop},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def workshop_create(request: AuthedRequest) -> HttpResponse:
    """Staff who follow participants start a workshop in their organisation."""
    _workshops(request)  # 403 for anybody else
    membership = membership_for_user(request.user)
    assert membership is not None
    form = WorkshopForm(
        request.POST or None,
        organisation_id=membership.organisation_id,
        initial={"facilitator": request.user.pk},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("revision", None)
        try:
            workshop = services.workshop_create(
                organisation=membership.organisation, by=request.user, **data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The workshop is created."))
            return redirect("workshops:detail", pk=workshop.pk)
    return _workshop_form_page(request, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def workshop_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Whoever runs the workshop (the facilitator or a leader) changes it."""
    workshop = _workshop(request, pk)
    if not permissions.runs(request.user, workshop):
        raise PermissionDenied
    form = WorkshopForm(
        request.POST or None, instance=workshop, organisation_id=workshop.organisation_id
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        revision = data.pop("revision", None)
        try:
            services.workshop_update(workshop=workshop, by=request.user, revision=revision, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The workshop is saved."))
            return redirect("workshops:detail", pk=workshop.pk)
    return _workshop_form_page(request, form, workshop)


def _detail(
    request: AuthedRequest,
    workshop: Workshop,
    *,
    status: int = 200,
    enrol_form: EnrolForm | None = None,
    session_form: SessionForm | None = None,
) -> HttpResponse:
    roster = permissions.roster(request.user, workshop).annotate(
        attended=Count("attendances", filter=Q(attendances__present=True))
    )
    _log_reads(request, roster, "page:workshop", "workshop")
    choices = (
        Participant.objects.visible_to(request.user)
        .filter(organisation_id=workshop.organisation_id)
        .exclude(workshop_enrolments__workshop=workshop)
        .order_by("family_name", "given_name")
    )
    return render(
        request,
        "workshops/detail.html",
        {
            "workshop": workshop,
            "roster": roster,
            "runs": permissions.runs(request.user, workshop),
            "sessions": workshop.sessions.select_related("facilitator"),
            "enrol_form": enrol_form or EnrolForm(choices=choices),
            "session_form": session_form or SessionForm(),
        },
        status=status,
    )


@login_required
@require_GET
def workshop_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _detail(request, _workshop(request, pk))


@login_required
@require_POST
def workshop_enrol(request: AuthedRequest, pk: int) -> HttpResponse:
    workshop = _workshop(request, pk)
    choices = Participant.objects.visible_to(request.user).filter(
        organisation_id=workshop.organisation_id
    )
    form = EnrolForm(request.POST, choices=choices)
    if form.is_valid():
        try:
            services.enrol(workshop=workshop, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The participant is enrolled."))
            return redirect("workshops:detail", pk=workshop.pk)
    return _detail(request, workshop, status=400, enrol_form=form)


@login_required
@require_POST
def session_add(request: AuthedRequest, pk: int) -> HttpResponse:
    workshop = _workshop(request, pk)
    if not permissions.runs(request.user, workshop):
        raise PermissionDenied
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            session = services.session_add(workshop=workshop, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The session is added."))
            return redirect("workshops:session", pk=session.pk)
    return _detail(request, workshop, status=400, session_form=form)


@login_required
def session_attendance(request: AuthedRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(
        WorkshopSession.objects.filter(workshop__in=_workshops(request)).select_related(
            "workshop", "facilitator"
        ),
        pk=pk,
    )
    if not permissions.runs(request.user, session.workshop):
        raise PermissionDenied
    roster = list(permissions.roster(request.user, session.workshop))
    status = 200
    if request.method == "POST":
        try:
            present = {int(value) for value in request.POST.getlist("present")}
            services.attendance_record(session=session, by=request.user, present=present)
        except (ValueError, ValidationError):
            messages.error(request, _("Only the workshop's participants can be marked present."))
            status = 400
        else:
            messages.success(request, _("The attendance is recorded."))
            return redirect("workshops:detail", pk=session.workshop_id)
    present_ids = set(
        session.attendances.filter(present=True).values_list("enrolment_id", flat=True)
    )
    _log_reads(request, roster, "page:workshop-session", "facilitator")
    return render(
        request,
        "workshops/session.html",
        {"session": session, "roster": roster, "present_ids": present_ids},
        status=status,
    )


@login_required
def enrolment_profile(request: AuthedRequest, pk: int) -> HttpResponse:
    """The strengths profile and the CV the workshop ends in, for one participant."""
    enrolment = _enrolment(request, pk, "page:workshop-profile")
    participant = enrolment.participant
    cv = cv_of(participant)
    strengths = WorkshopStrengthsForm(
        request.POST if "strengths" in request.POST else None,
        instance=participant,
        prefix="strengths",
        initial={"revision": participant.revision},
    )
    cv_form = CVForm(
        request.POST if "cv" in request.POST else None,
        instance=cv,
        prefix="cv",
        initial={"revision": cv.revision if cv.pk else None},
    )
    cv_form.fields["revision"].required = False
    if request.method == "POST":
        form, save = (
            (strengths, services.strengths_save)
            if "strengths" in request.POST
            else (cv_form, services.cv_save)
        )
        if form.is_valid():
            data = dict(form.cleaned_data)
            revision = data.pop("revision", None)
            try:
                save(enrolment=enrolment, by=request.user, revision=revision, **data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("workshops:profile", pk=enrolment.pk)
    return render(
        request,
        "workshops/profile.html",
        {
            "enrolment": enrolment,
            "participant": participant,
            "strengths": strengths,
            "cv_form": cv_form,
            "cv": cv,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def enrolment_cv_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    enrolment = _enrolment(request, pk, "page:workshop-cv-pdf")
    participant = enrolment.participant
    response = HttpResponse(
        cv_pdf.as_bytes(participant, cv_of(participant)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{cv_pdf.filename(participant)}"'
    return response
