"""The participant's own copy of their data, and the record of processing for
administrators."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samspill.audit.services import access_log_record
from samspill.core.forms import add_service_errors
from samspill.core.http import AuthedRequest
from samspill.organisations.models import Membership
from samspill.organisations.permissions import admin_membership
from samspill.participants.models import Participant
from samspill.portal.permissions import Relationship, portal_participant
from samspill.privacy import exporting, retention, services
from samspill.privacy.forms import LegalHoldForm, LegalHoldLiftForm, RetentionRuleForm
from samspill.privacy.models import LegalHold, RetentionRule
from samspill.privacy.processing import as_csv, record_for
from samspill.privacy.queries import open_legal_holds

FORMATS = {"json": "application/json", "pdf": "application/pdf"}


@login_required
@require_http_methods(["GET", "POST"])
def my_data(request: AuthedRequest) -> HttpResponse:
    """A participant downloads everything Samspill holds about them (their own record only:
    anyone else gets a 404)."""
    participant = portal_participant(request.user)
    if participant is None:
        raise Http404
    error = ""
    if request.method == "POST":
        kind = request.POST.get("format", "")
        if kind in FORMATS:
            access_log_record(
                actor=request.user,
                participant=participant,
                what="privacy:my_data",
                why=Relationship.SELF,
            )
            document = services.participant_export(participant=participant, by=request.user)
            body = exporting.as_pdf(document) if kind == "pdf" else exporting.as_json(document)
            response = HttpResponse(body, content_type=FORMATS[kind])
            response["Content-Disposition"] = f'attachment; filename="samspill-my-data.{kind}"'
            return response
        error = _("Choose JSON or PDF.")
    return render(
        request,
        "privacy/my_data.html",
        {"participant": participant, "error": error},
        status=400 if error else 200,
    )


@login_required
@require_GET
def processing(request: AuthedRequest) -> HttpResponse:
    """The record of processing of the administrator's organisation, as a page or CSV."""
    membership = admin_membership(request.user)
    if membership is None:
        raise PermissionDenied
    activities = record_for(membership.organisation)
    if request.GET.get("format") == "csv":
        response = HttpResponse(as_csv(activities), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="record-of-processing.csv"'
        return response
    return render(
        request,
        "privacy/processing.html",
        {"organisation": membership.organisation, "activities": activities},
    )


def _admin(request: AuthedRequest) -> Membership:
    membership = admin_membership(request.user)
    if membership is None:
        raise PermissionDenied
    return membership


def _retention_page(
    request: AuthedRequest,
    membership: Membership,
    *,
    posted: RetentionRuleForm | None = None,
    hold_form: LegalHoldForm | None = None,
    lift: tuple[int, LegalHoldLiftForm] | None = None,
) -> HttpResponse:
    """The retention rules and the legal holds of the administrator's organisation; a form
    posted with errors is shown again with them (status 400)."""
    organisation = membership.organisation
    rules = {r.category: r for r in RetentionRule.objects.filter(organisation=organisation)}
    forms = []
    for category in RetentionRule.Category:
        rule = rules.get(category.value)
        if posted is not None and posted.data.get("category") == category.value:
            form = posted
        else:
            initial: dict[str, object] = {"category": category.value}
            if rule is not None:
                initial |= {"months": rule.months, "revision": rule.revision}
            form = RetentionRuleForm(initial=initial, auto_id=f"id_{category.value}_%s")
        forms.append((category.label, form))
    holds = [
        (
            hold,
            lift[1]
            if lift is not None and lift[0] == hold.pk
            else LegalHoldLiftForm(auto_id=f"id_lift{hold.pk}_%s"),
        )
        for hold in open_legal_holds(organisation.pk)
    ]
    failed = posted is not None or hold_form is not None or lift is not None
    return render(
        request,
        "privacy/retention.html",
        {
            "forms": forms,
            "tab": "retention",
            "holds": holds,
            "hold_form": hold_form or LegalHoldForm(auto_id="id_hold_%s"),
        },
        status=400 if failed else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def retention_rules(request: AuthedRequest) -> HttpResponse:
    """How long each category of data is kept in the administrator's organisation, and the
    legal holds that stop it."""
    membership = _admin(request)
    if request.method == "GET":
        return _retention_page(request, membership)
    # Three forms on the page: each field's id names its category.
    auto_id = f"id_{request.POST.get('category', '')}_%s"
    posted = RetentionRuleForm(request.POST, auto_id=auto_id)
    if posted.is_valid():
        try:
            retention.retention_rule_set(
                organisation=membership.organisation,
                by=request.user,
                **posted.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(posted, error)
        else:
            messages.success(request, _("The retention rule was saved."))
            return redirect("privacy:retention")
    return _retention_page(request, membership, posted=posted)


@login_required
@require_POST
def legal_hold_place(request: AuthedRequest) -> HttpResponse:
    """An administrator places a legal hold on a record of their own organisation."""
    membership = _admin(request)
    form = LegalHoldForm(request.POST, auto_id="id_hold_%s")
    if form.is_valid():
        participant = Participant.objects.filter(
            organisation_id=membership.organisation_id, pk=form.cleaned_data["participant"]
        ).first()
        if participant is None:
            form.add_error(
                "participant", _("Your organisation has no participant with this number.")
            )
        else:
            try:
                services.legal_hold_place(
                    participant=participant, reason=form.cleaned_data["reason"], by=request.user
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The legal hold was placed."))
                return redirect(f"{reverse('privacy:retention')}#legal-holds")
    return _retention_page(request, membership, hold_form=form)


@login_required
@require_POST
def legal_hold_lift(request: AuthedRequest, pk: int) -> HttpResponse:
    """An administrator lifts a hold of their own organisation (another's is a 404)."""
    membership = _admin(request)
    hold = get_object_or_404(LegalHold, pk=pk, organisation_id=membership.organisation_id)
    form = LegalHoldLiftForm(request.POST, auto_id=f"id_lift{hold.pk}_%s")
    if form.is_valid():
        try:
            services.legal_hold_lift(hold=hold, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            # Lifted meanwhile (another tab, the command line): nothing left to do here.
            messages.info(request, " ".join(error.messages))
            return redirect(f"{reverse('privacy:retention')}#legal-holds")
        messages.success(request, _("The legal hold was lifted."))
        return redirect(f"{reverse('privacy:retention')}#legal-holds")
    return _retention_page(request, membership, lift=(hold.pk, form))
