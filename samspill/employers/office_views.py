"""Apprenticeship offices (opplæringskontor) on staff pages (issue 22, item 11): the list, a new
office and its edit page (contact person, member employers). Staff who follow participants use
them, as the service says; anybody else gets a 403; another organisation's office is a 404."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from samspill.core.forms import add_service_errors
from samspill.core.http import AuthedRequest
from samspill.employers import apprenticeship
from samspill.employers.apprenticeship_models import ApprenticeshipOffice
from samspill.employers.models import Employer
from samspill.organisations.models import Membership
from samspill.participants.views import require_follower

PAGE_SIZE = 50


class OfficeForm(forms.ModelForm):
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ApprenticeshipOffice
        fields = ["name", "contact_name", "contact_email", "contact_phone", "notes", "members"]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
            "members": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # An edit must say which revision it read, or a colleague's save would be overwritten.
        self.fields["revision"].required = bool(self.instance.pk)
        members: Any = self.fields["members"]
        members.queryset = Employer.objects.filter(organisation_id=organisation_id).order_by(
            "name", "id"
        )
        members.label_from_instance = lambda employer: employer.name
        if self.instance.pk and not self.is_bound:
            self.initial["revision"] = self.instance.revision

    def _post_clean(self) -> None:
        pass  # the service validates

    def service_data(self) -> tuple[int | None, list[int], dict[str, Any]]:
        data = dict(self.cleaned_data)
        revision = data.pop("revision", None)
        member_ids = [employer.pk for employer in data.pop("members")]
        return revision, member_ids, data


def _membership(request: AuthedRequest) -> Membership:
    return require_follower(request)


@login_required
@require_GET
def office_list(request: AuthedRequest) -> HttpResponse:
    membership = _membership(request)
    offices = (
        ApprenticeshipOffice.objects.filter(organisation_id=membership.organisation_id)
        .prefetch_related("members")
        .order_by("name", "id")[:PAGE_SIZE]
    )
    return render(request, "employers/office_list.html", {"offices": offices})


def _form_page(request: AuthedRequest, form: OfficeForm, office: Any) -> HttpResponse:
    return render(
        request,
        "employers/office_form.html",
        {"form": form, "office": office},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def office_create(request: AuthedRequest) -> HttpResponse:
    membership = _membership(request)
    form = OfficeForm(request.POST or None, organisation_id=membership.organisation_id)
    if request.method == "POST" and form.is_valid():
        _revision, member_ids, data = form.service_data()
        try:
            apprenticeship.office_create(
                organisation=membership.organisation,
                by=request.user,
                member_ids=member_ids,
                **data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The apprenticeship office is saved."))
            return redirect("employers:offices")
    return _form_page(request, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def office_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    membership = _membership(request)
    office = get_object_or_404(
        ApprenticeshipOffice.objects.filter(organisation_id=membership.organisation_id), pk=pk
    )
    form = OfficeForm(
        request.POST or None, instance=office, organisation_id=membership.organisation_id
    )
    if request.method == "POST" and form.is_valid():
        revision, member_ids, data = form.service_data()
        try:
            apprenticeship.office_update(
                office=office, by=request.user, revision=revision, member_ids=member_ids, **data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The apprenticeship office is saved."))
            return redirect("employers:offices")
    return _form_page(request, form, office)
