"""Employer pages for staff: the base, one employer, the pipeline board.

Thin views (STYLE.md 3): fetch through the one door (`Employer.objects.visible_to`), call one
service, redirect or render. A form with errors renders the employer page again with status 400.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samspill.core.forms import add_service_errors
from samspill.core.http import AuthedRequest, redirect_next
from samspill.employers import queries, services
from samspill.employers import queries_coordination as coordination_queries
from samspill.employers.forms import (
    AgreementForm,
    ContactForm,
    ContactPersonForm,
    EmployerCreateForm,
    EmployerFilterForm,
    EmployerForm,
    MentorSupportForm,
    NeedForm,
    OutreachForm,
    StageForm,
)
from samspill.employers.models import Employer, EmployerContact, IntentionAgreement
from samspill.organisations.queries import staff_who_follow
from samspill.participants.models import Participant
from samspill.participants.views import require_follower
from samspill.placements import queries as placement_queries
from samspill.placements import services as placement_services
from samspill.placements.forms import PlacementStartForm, mentors_at

PAGE_SIZE = 25


def employer_for(request: AuthedRequest, pk: int) -> Employer:
    require_follower(request)
    employer = queries.employer_detail(request.user, pk)
    if employer is None:
        raise Http404
    return employer


@login_required
@require_GET
def employer_list(request: AuthedRequest) -> HttpResponse:
    require_follower(request)
    form = EmployerFilterForm(request.GET or None)
    flt = queries.EmployerFilter()
    if form.is_bound and form.is_valid():
        flt = queries.EmployerFilter(**form.cleaned_data)
    page = Paginator(queries.employer_list(request.user, flt), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    template = "employers/_employer_rows.html" if request.htmx else "employers/employer_list.html"
    return render(request, template, {"form": form, "page": page, "query": query.urlencode()})


@login_required
@require_GET
def pipeline_board(request: AuthedRequest) -> HttpResponse:
    require_follower(request)
    return render(
        request,
        "employers/board.html",
        {
            "columns": queries.board(request.user),
            "limit": queries.BOARD_COLUMN_LIMIT,
            "stages": Employer.Stage.choices,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def employer_create(request: AuthedRequest) -> HttpResponse:
    membership = require_follower(request)
    memberships = staff_who_follow(membership.organisation_id)
    form = EmployerCreateForm(
        request.POST or None,
        memberships=memberships,
        initial={"contact_person": memberships.filter(user=request.user).first()},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        contact = data.pop("contact_person").user
        try:
            employer = services.employer_create(
                organisation=membership.organisation,
                by=request.user,
                contact_person=contact,
                **data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": employer.name})
            return redirect("employers:detail", pk=employer.pk)
    status = 400 if form.is_bound else 200
    return render(
        request, "employers/employer_form.html", {"form": form, "creating": True}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def employer_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    employer = employer_for(request, pk)
    form = EmployerForm(request.POST or None, instance=employer)
    if request.method == "POST" and form.is_valid():
        try:
            services.employer_update(employer=employer, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("employers:detail", pk=employer.pk)
    status = 400 if form.is_bound else 200
    return render(
        request,
        "employers/employer_form.html",
        {"form": form, "employer": employer},
        status=status,
    )


def _detail(
    request: AuthedRequest, employer: Employer, status: int = 200, **forms: Any
) -> HttpResponse:
    placement_form = forms.get("placement_form") or _placement_form(request, employer)
    context = {
        "employer": employer,
        "needs": queries.needs_for(employer),
        "agreements": queries.agreements_for(employer),
        "contacts": queries.contacts_for(employer),
        "outreach": list(queries.outreach_for(employer)[:20]),
        "stage_form": forms.get("stage_form")
        or StageForm(
            initial={
                "stage": employer.stage,
                "next_step": employer.next_step,
                "next_step_on": employer.next_step_on,
            },
            revision=employer.revision,
        ),
        "outreach_form": forms.get("outreach_form") or OutreachForm(),
        "need_form": forms.get("need_form") or NeedForm(),
        "agreement_form": forms.get("agreement_form") or AgreementForm(),
        "contact_form": forms.get("contact_form") or ContactForm(),
        "placement_form": placement_form,
        "can_place": _placeable(request).exists(),
        "placements": placement_queries.placements_at_employer(request.user, employer),
        "challenges": placement_queries.challenges_at_employer(employer),
        "is_contact_person": employer.contact_person_id == request.user.pk,
        "coordination_actions": coordination_queries.actions_for_employer(request.user, employer),
        "event_invitations": coordination_queries.invitations_for_employer(request.user, employer),
    }
    return render(request, "employers/employer_detail.html", context, status=status)


def _placement_form(
    request: AuthedRequest, employer: Employer, data: Any = None
) -> PlacementStartForm:
    return PlacementStartForm(
        data,
        participants=_placeable(request),
        mentors=mentors_at(employer.pk),
        country=employer.organisation.country,
    )


def _placeable(request: AuthedRequest) -> QuerySet[Participant]:
    """Only the user's own active participants can be placed from here."""
    return (
        Participant.objects.visible_to(request.user)
        .filter(counselor_id=request.user.pk, active_period__isnull=False)
        .order_by("family_name", "given_name", "id")
    )


@login_required
@require_POST
def placement_add(request: AuthedRequest, pk: int) -> HttpResponse:
    employer = employer_for(request, pk)
    form = _placement_form(request, employer, request.POST)
    if form.is_valid():
        try:
            placement = placement_services.placement_create(
                employer=employer, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The placement is drafted. Fill in the agreement step by step.")
            )
            return redirect("placements:step", pk=placement.pk, step="parties")
    return _detail(request, employer, status=400, placement_form=form)


@login_required
@require_GET
def employer_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _detail(request, employer_for(request, pk))


def _post(
    request: AuthedRequest, pk: int, form_class: Any, form_name: str, write: Any, done: str
) -> HttpResponse:
    """The shared shape of the employer page's small forms: validate, call the service, say so."""
    employer = employer_for(request, pk)
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            write(employer, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect_next(request, "employers:detail", pk=employer.pk)
    return _detail(request, employer, status=400, **{form_name: form})


@login_required
@require_POST
def employer_stage(request: AuthedRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        StageForm,
        "stage_form",
        lambda employer, data: services.employer_set_stage(
            employer=employer, by=request.user, **data
        ),
        _("The pipeline was updated."),
    )


@login_required
@require_POST
def outreach_add(request: AuthedRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        OutreachForm,
        "outreach_form",
        lambda employer, data: services.outreach_add(employer=employer, by=request.user, **data),
        _("The activity was recorded."),
    )


@login_required
@require_POST
def need_add(request: AuthedRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        NeedForm,
        "need_form",
        lambda employer, data: services.need_add(employer=employer, by=request.user, **data),
        _("The recruitment need was added."),
    )


@login_required
@require_POST
def need_close(request: AuthedRequest, pk: int, need_pk: int) -> HttpResponse:
    employer = employer_for(request, pk)
    need = get_object_or_404(employer.needs, pk=need_pk)
    services.need_update(need=need, by=request.user, is_open=not need.is_open)
    messages.success(request, _("The recruitment need was updated."))
    return redirect("employers:detail", pk=employer.pk)


@login_required
@require_POST
def agreement_add(request: AuthedRequest, pk: int) -> HttpResponse:
    def write(employer: Employer, data: dict[str, Any]) -> None:
        document = data.pop("document") or None
        services.agreement_create(employer=employer, by=request.user, document=document, **data)

    return _post(
        request, pk, AgreementForm, "agreement_form", write, _("The intention agreement was saved.")
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request: AuthedRequest, pk: int, agreement_pk: int) -> HttpResponse:
    employer = employer_for(request, pk)
    agreement = get_object_or_404(employer.agreements, pk=agreement_pk)
    form = AgreementForm(request.POST or None, request.FILES or None, instance=agreement)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        document = data.pop("document")
        try:
            services.agreement_update(
                agreement=agreement,
                by=request.user,
                # An unchanged file input gives back the stored file, not an upload.
                document=document if document and document != agreement.document else None,
                **data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The intention agreement was saved."))
            return redirect("employers:detail", pk=employer.pk)
    return render(
        request,
        "employers/agreement_form.html",
        {"form": form, "employer": employer, "agreement": agreement},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_GET
def agreement_document(request: AuthedRequest, pk: int, agreement_pk: int) -> FileResponse:
    """The signed document, to staff who may see the employer; never a public media URL."""
    employer = employer_for(request, pk)
    agreement: IntentionAgreement = get_object_or_404(employer.agreements, pk=agreement_pk)
    if not agreement.document:
        raise Http404
    return FileResponse(
        agreement.document.open("rb"),
        as_attachment=True,
        filename=f"intensjonsavtale-{employer.org_number}-{agreement.pk}.pdf",
        content_type="application/pdf",
    )


@login_required
@require_POST
def contact_add(request: AuthedRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        ContactForm,
        "contact_form",
        lambda employer, data: services.contact_add(employer=employer, by=request.user, **data),
        _("The contact was added."),
    )


def _contact_page(
    request: AuthedRequest,
    employer: Employer,
    contact: EmployerContact,
    *,
    form: ContactForm | None = None,
    support_form: MentorSupportForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "employers/contact_detail.html",
        {
            "employer": employer,
            "contact": contact,
            "form": form or ContactForm(instance=contact),
            "support_form": support_form or MentorSupportForm(),
            "support_log": list(queries.support_log_for(contact)[:50]),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_detail(request: AuthedRequest, pk: int, contact_pk: int) -> HttpResponse:
    employer = employer_for(request, pk)
    contact = get_object_or_404(employer.contacts, pk=contact_pk)
    if request.method == "GET":
        return _contact_page(request, employer, contact)
    form = ContactForm(request.POST, instance=EmployerContact.objects.get(pk=contact.pk))
    if form.is_valid():
        try:
            services.contact_update(contact=contact, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("employers:contact", pk=employer.pk, contact_pk=contact.pk)
    return _contact_page(request, employer, contact, form=form, status=400)


@login_required
@require_POST
def mentor_support_add(request: AuthedRequest, pk: int, contact_pk: int) -> HttpResponse:
    employer = employer_for(request, pk)
    contact = get_object_or_404(employer.contacts, pk=contact_pk)
    form = MentorSupportForm(request.POST)
    if form.is_valid():
        try:
            services.mentor_support_add(mentor=contact, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The contact with the mentor was logged."))
            return redirect("employers:contact", pk=employer.pk, contact_pk=contact.pk)
    return _contact_page(request, employer, contact, support_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def contact_person_change(request: AuthedRequest, pk: int) -> HttpResponse:
    employer = employer_for(request, pk)
    memberships = staff_who_follow(employer.organisation_id)
    if employer.contact_person_id is not None:
        memberships = memberships.exclude(user_id=employer.contact_person_id)
    form = ContactPersonForm(
        request.POST or None, memberships=memberships, revision=employer.revision
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.contact_person_change(
                employer=employer,
                by=request.user,
                contact_person=data.pop("contact_person").user,
                **data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The contact person was changed."))
            return redirect("employers:detail", pk=employer.pk)
    return render(
        request,
        "employers/contact_person_form.html",
        {"employer": employer, "form": form, "history": queries.contact_history(employer)},
        status=400 if form.is_bound else 200,
    )
