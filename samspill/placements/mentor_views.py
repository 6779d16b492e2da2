"""The counselor's mentor page for a placement (seed 002): record how the mentor was chosen
with the employer, the time and compensation set aside and the leader who backs the mentor,
and the hours the mentor spent each month. Through the placements door (`views._placement`):
another organisation's or counselor's placement is a 404."""

import contextlib
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from samspill.core.forms import DateInput, add_service_errors
from samspill.core.http import AuthedRequest
from samspill.employers.models import EmployerContact
from samspill.placements import mentoring
from samspill.placements.models import MentorArrangement, MentorMonth, Placement
from samspill.placements.views import _placement


class MentorMonthForm(forms.Form):
    month = forms.DateField(
        label=gettext_lazy("Month"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    hours = forms.DecimalField(
        label=gettext_lazy("Hours spent"), min_value=0, max_value=200, decimal_places=1
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    revision = forms.IntegerField(required=False, widget=forms.HiddenInput)


def month_initial(placement: Placement, month: str | None) -> dict[str, Any]:
    """The chosen month's record to change (`?month=2026-04`), else this month's, if any."""
    day = timezone.localdate().replace(day=1)
    if month:
        with contextlib.suppress(ValidationError):
            day = MentorMonthForm.base_fields["month"].clean(month)
    record = MentorMonth.objects.filter(placement=placement, month=day).first()
    if record is None:
        return {"month": day}
    return {"month": day, "hours": record.hours, "note": record.note, "revision": record.revision}


class MentorArrangementForm(forms.ModelForm):
    revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = MentorArrangement
        fields = [
            "chosen_with_employer",
            "chosen_on",
            "why",
            "hours_per_week",
            "compensation",
            "rate",
            "paid_by",
            "leader",
        ]
        widgets = {"chosen_on": DateInput(), "why": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, placement: Placement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        leader = self.fields["leader"]
        assert isinstance(leader, forms.ModelChoiceField)
        leader.queryset = EmployerContact.objects.filter(employer_id=placement.employer_id)
        self.fields["chosen_with_employer"].required = False
        if self.instance.pk:
            self.initial["revision"] = self.instance.revision
        if placement.is_locked:
            # The arrangement is part of the approved agreement: a change makes a new version.
            self.fields["reason"] = forms.CharField(
                label=gettext_lazy("Why it changes (for the agreement's new version)"),
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def _post_clean(self) -> None:
        pass  # the service validates


def _save(request: AuthedRequest, placement: Placement, form: Any, which: str) -> bool:
    if not form.is_valid():
        return False
    try:
        if which == "arrangement":
            mentoring.mentor_arrangement_save(
                placement=placement, by=request.user, **form.cleaned_data
            )
        else:
            mentoring.mentor_month_record(placement=placement, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def mentor_page(request: AuthedRequest, pk: int) -> HttpResponse:
    placement = _placement(request, pk, "placement mentor")
    summary = mentoring.mentor_summary(placement)
    arrangement = summary["arrangement"]
    which = request.POST.get("which") if request.method == "POST" else None
    arrangement_form = MentorArrangementForm(
        request.POST if which == "arrangement" else None,
        instance=arrangement,
        placement=placement,
        prefix="arrangement",
    )
    month_form = MentorMonthForm(
        request.POST if which == "month" else None,
        initial=month_initial(placement, request.GET.get("month")),
    )
    if which in ("arrangement", "month"):
        form = arrangement_form if which == "arrangement" else month_form
        if _save(request, placement, form, which):
            messages.success(request, _("The mentor arrangement is saved."))
            return redirect("placements:mentor", pk=placement.pk)
    return render(
        request,
        "placements/mentor.html",
        {
            "placement": placement,
            "arrangement_form": arrangement_form,
            "month_form": month_form,
            **summary,
        },
        status=400 if request.method == "POST" else 200,
    )
