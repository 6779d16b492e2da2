"""A loop's network meetings (meetings.py): the list and the form to record one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samspill.core.forms import add_service_errors
from samspill.core.http import AuthedRequest
from samspill.loops import drivers, meetings
from samspill.loops.forms_meetings import NetworkMeetingForm


@login_required
@require_http_methods(["GET", "POST"])
def network_meetings(request: AuthedRequest, pk: int) -> HttpResponse:
    loop = meetings.meeting_loop(request.user, pk)
    contacts = meetings.loop_contacts(loop)
    form = NetworkMeetingForm(request.POST or None, contacts=contacts)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                meetings.network_meeting_record(
                    loop=loop,
                    by=request.user,
                    held_on=data["held_on"],
                    attendee_ids=[c.pk for c in data["attendees"]],
                    minutes=data["minutes"],
                    learned=data["learned"],
                    will_change=data["will_change"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The meeting was recorded."))
                return redirect("loop_meetings:list", pk=loop.pk)
        status = 400
    partner = drivers.loop_partner(request.user)
    return render(
        request,
        "loops/network_meetings.html",
        {
            "loop": loop,
            "meetings": list(meetings.loop_meetings(loop)),
            "form": form,
            "partner": partner,
        },
        status=status,
    )
