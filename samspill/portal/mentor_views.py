"""The mentor's page in the portal (seed 002): how the mentor was chosen, the time and
compensation set aside, the leader who backs the mentor, and the hours spent each month. Every
contact who sees the placement reads it; only the placement's own mentor records a month
(another contact's write is a 403, from the service)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samspill.core.forms import add_service_errors
from samspill.core.http import AuthedRequest
from samspill.placements import mentoring
from samspill.placements.mentor_views import MentorMonthForm, month_initial
from samspill.portal.views import _placement_for


@login_required
@require_http_methods(["GET", "POST"])
def mentor_page(request: AuthedRequest, pk: int) -> HttpResponse:
    contact, placement = _placement_for(request, pk, "portal:mentor")
    is_mentor = mentoring.may_record_month(request.user, placement)
    status = 200
    if request.method == "POST":
        form = MentorMonthForm(request.POST)
        if form.is_valid():
            try:
                mentoring.mentor_month_record(
                    placement=placement, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The month's hours are recorded."))
                return redirect("portal:mentor", pk=placement.pk)
        status = 400
    else:
        form = MentorMonthForm(initial=month_initial(placement, request.GET.get("month")))
    return render(
        request,
        "portal/mentor.html",
        {
            "contact": contact,
            "placement": placement,
            "is_mentor": is_mentor,
            "form": form,
            **mentoring.mentor_summary(placement),
        },
        status=status,
    )
