"""The participant's own copy of their data, and the record of processing for
administrators."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from samspill.audit.services import access_log_record
from samspill.core.forms import add_service_errors
from samspill.core.http import AuthedRequest
from samspill.organisations.permissions import admin_membership
from samspill.portal.permissions import Relationship, portal_participant
from samspill.privacy import exporting, retention, services
from samspill.privacy.forms import RetentionRuleForm
from samspill.privacy.models import RetentionRule
from samspill.privacy.processing import as_csv, record_for

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


@login_required
@require_http_methods(["GET", "POST"])
def retention_rules(request: AuthedRequest) -> HttpResponse:
    """How long each category of data is kept in the administrator's organisation."""
    membership = admin_membership(request.user)
    if membership is None:
        raise PermissionDenied
    organisation = membership.organisation
    rules = {r.category: r for r in RetentionRule.objects.filter(organisation=organisation)}
    posted = None
    if request.method == "POST":
        # Three forms on the page: each field's id names its category.
        auto_id = f"id_{request.POST.get('category', '')}_%s"
        posted = RetentionRuleForm(request.POST, auto_id=auto_id)
    if posted is not None and posted.is_valid():
        try:
            retention.retention_rule_set(
                organisation=organisation,
                by=request.user,
                **posted.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(posted, error)
        else:
            messages.success(request, _("The retention rule was saved."))
            return redirect("privacy:retention")
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
    return render(
        request,
        "privacy/retention.html",
        {"forms": forms, "tab": "retention"},
        status=400 if posted is not None else 200,
    )
