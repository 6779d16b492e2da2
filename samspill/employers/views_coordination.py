"""Pages for the coordinator's fixed meetings and employer events (issue 22, item 9).

Thin views (STYLE.md 3): the same door as the employer base (`require_follower`: staff who work
with participants, others a 403), objects through `visible_to` (another organisation's a 404),
one service call per write.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samspill.accounts.models import User
from samspill.core.forms import add_service_errors
from samspill.core.http import AuthedRequest, redirect_next
from samspill.employers import queries_coordination as queries
from samspill.employers import services_coordination as services
from samspill.employers.forms_coordination import (
    ActionForm,
    EventForm,
    InvitationForm,
    InviteForm,
    MeetingAddForm,
    MeetingRecordForm,
    SeriesForm,
)
from samspill.employers.ical_coordination import series_ical
from samspill.employers.models import Employer
from samspill.employers.models_coordination import (
    CoordinationMeeting,
    EmployerEvent,
    MeetingSeries,
)
from samspill.organisations.queries import staff_who_follow
from samspill.participants.views import require_follower

PAGE_SIZE = 25


def _staff_users(organisation_id: int) -> Any:
    return User.objects.filter(pk__in=staff_who_follow(organisation_id).values("user_id")).order_by(
        "full_name", "id"
    )


def _series(request: AuthedRequest, pk: int) -> MeetingSeries:
    require_follower(request)
    series = queries.series_detail(request.user, pk)
    if series is None:
        raise Http404
    return series


def _meeting(request: AuthedRequest, pk: int, meeting_pk: int) -> CoordinationMeeting:
    series = _series(request, pk)
    meeting = queries.meeting_detail(series, meeting_pk)
    if meeting is None:
        raise Http404
    meeting.series = series
    return meeting


def _event(request: AuthedRequest, pk: int) -> EmployerEvent:
    require_follower(request)
    event = queries.event_detail(request.user, pk)
    if event is None:
        raise Http404
    return event


# Meeting series.


@login_required
@require_GET
def series_list(request: AuthedRequest) -> HttpResponse:
    require_follower(request)
    page = Paginator(queries.series_list(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "employers/coordination/series_list.html",
        {
            "page": page,
            "my_actions": list(queries.my_actions(request.user)[:10]),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def series_create(request: AuthedRequest) -> HttpResponse:
    membership = require_follower(request)
    staff = _staff_users(membership.organisation_id)
    form = SeriesForm(request.POST or None, staff=staff, initial={"members": [request.user.pk]})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        members = data.pop("members")
        try:
            series = services.series_create(
                organisation=membership.organisation,
                by=request.user,
                member_ids=[m.pk for m in members],
                **data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The meeting series was created."))
            return redirect("coordination:series", pk=series.pk)
    return render(
        request,
        "employers/coordination/series_form.html",
        {"form": form, "creating": True},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def series_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    series = _series(request, pk)
    form = SeriesForm(
        request.POST or None, instance=series, staff=_staff_users(series.organisation_id)
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        members = data.pop("members")
        try:
            services.series_update(
                series=series, by=request.user, member_ids=[m.pk for m in members], **data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("coordination:series", pk=series.pk)
    return render(
        request,
        "employers/coordination/series_form.html",
        {"form": form, "series": series},
        status=400 if form.is_bound else 200,
    )


def _series_page(
    request: AuthedRequest, series: MeetingSeries, *, form: MeetingAddForm | None = None
) -> HttpResponse:
    status = 400 if form is not None else 200
    return render(
        request,
        "employers/coordination/series_detail.html",
        {
            "series": series,
            "members": list(series.members.all()),
            "meetings": list(queries.meetings_of(series)[:50]),
            "open_actions": list(queries.open_actions(series)[:100]),
            "next_dates": services.occurrences(series, after=timezone.localdate(), count=3),
            "form": form or MeetingAddForm(),
            "today": timezone.localdate(),
        },
        status=status,
    )


@login_required
@require_GET
def series_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _series_page(request, _series(request, pk))


@login_required
@require_GET
def series_calendar(request: AuthedRequest, pk: int) -> HttpResponse:
    series = _series(request, pk)
    response = HttpResponse(series_ical(series), content_type="text/calendar; charset=utf-8")
    name = slugify(series.title) or "meeting"
    response["Content-Disposition"] = f'attachment; filename="{name}.ics"'
    return response


@login_required
@require_POST
def meeting_add(request: AuthedRequest, pk: int) -> HttpResponse:
    series = _series(request, pk)
    form = MeetingAddForm(request.POST)
    if form.is_valid():
        try:
            meeting = services.meeting_create(series=series, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("coordination:meeting", pk=series.pk, meeting_pk=meeting.pk)
    return _series_page(request, series, form=form)


def _meeting_page(
    request: AuthedRequest,
    meeting: CoordinationMeeting,
    *,
    form: MeetingRecordForm | None = None,
    action_form: ActionForm | None = None,
) -> HttpResponse:
    series = meeting.series
    members = list(series.members.all())
    if form is None:
        initial: dict[str, Any] = {"minutes": meeting.minutes}
        initial.update({f"member_{k}": v for k, v in queries.attendance_of(meeting).items()})
        form = MeetingRecordForm(initial=initial, members=members, revision=meeting.revision)
    status = 400 if form.is_bound or action_form is not None else 200
    return render(
        request,
        "employers/coordination/meeting_detail.html",
        {
            "series": series,
            "meeting": meeting,
            "form": form,
            "action_form": action_form or _action_form(request, series),
            "carried": queries.carried_actions(meeting),
            "agreed": queries.agreed_at(meeting),
            "today": timezone.localdate(),
        },
        status=status,
    )


def _action_form(request: AuthedRequest, series: MeetingSeries, data: Any = None) -> ActionForm:
    return ActionForm(
        data,
        members=series.members.order_by("full_name", "id"),
        employers=Employer.objects.visible_to(request.user).only("id", "name").order_by("name"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_detail(request: AuthedRequest, pk: int, meeting_pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, meeting_pk)
    if request.method == "GET":
        return _meeting_page(request, meeting)
    form = MeetingRecordForm(request.POST, members=list(meeting.series.members.all()))
    if form.is_valid():
        try:
            services.meeting_record(
                meeting=meeting,
                by=request.user,
                minutes=form.cleaned_data["minutes"],
                attendance=form.attendance(),
                revision=form.cleaned_data["revision"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The minutes were saved."))
            return redirect("coordination:meeting", pk=pk, meeting_pk=meeting.pk)
    return _meeting_page(request, meeting, form=form)


@login_required
@require_POST
def action_add(request: AuthedRequest, pk: int, meeting_pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, meeting_pk)
    form = _action_form(request, meeting.series, request.POST)
    if form.is_valid():
        try:
            services.action_add(meeting=meeting, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The action was added."))
            return redirect("coordination:meeting", pk=pk, meeting_pk=meeting.pk)
    return _meeting_page(request, meeting, action_form=form)


@login_required
@require_POST
def action_done(request: AuthedRequest, pk: int) -> HttpResponse:
    require_follower(request)
    action = queries.action_detail(request.user, pk)
    if action is None:
        raise Http404
    try:
        revision = int(request.POST.get("revision", ""))
    except ValueError:
        revision = None
    try:
        services.action_set_done(
            action=action,
            by=request.user,
            done=request.POST.get("done") == "1",
            revision=revision,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The action was updated."))
    return redirect_next(request, "coordination:series", pk=action.series_id)


@login_required
@require_GET
def my_actions(request: AuthedRequest) -> HttpResponse:
    require_follower(request)
    page = Paginator(queries.my_actions(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "employers/coordination/my_actions.html",
        {"page": page, "today": timezone.localdate()},
    )


# Employer events.


@login_required
@require_GET
def event_list(request: AuthedRequest) -> HttpResponse:
    require_follower(request)
    page = Paginator(queries.event_list(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "employers/coordination/event_list.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request: AuthedRequest) -> HttpResponse:
    membership = require_follower(request)
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(
                organisation=membership.organisation, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The event was created."))
            return redirect("coordination:event", pk=event.pk)
    return render(
        request,
        "employers/coordination/event_form.html",
        {"form": form, "creating": True},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(event=event, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("coordination:event", pk=event.pk)
    return render(
        request,
        "employers/coordination/event_form.html",
        {"form": form, "event": event},
        status=400 if form.is_bound else 200,
    )


def _event_page(
    request: AuthedRequest, event: EmployerEvent, *, invite_form: InviteForm | None = None
) -> HttpResponse:
    outcome = queries.event_outcome(event)
    return render(
        request,
        "employers/coordination/event_detail.html",
        {
            "event": event,
            "outcome": outcome,
            "invite_form": invite_form
            or InviteForm(employers=queries.invitable_employers(request.user, event)),
            "responses": event.invitations.model.Response.choices,
        },
        status=400 if invite_form is not None else 200,
    )


@login_required
@require_GET
def event_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _event_page(request, _event(request, pk))


@login_required
@require_POST
def event_invite(request: AuthedRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    form = InviteForm(request.POST, employers=queries.invitable_employers(request.user, event))
    if form.is_valid():
        try:
            invited = services.event_invite(
                event=event,
                by=request.user,
                employer_ids=[e.pk for e in form.cleaned_data["employers"]],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(n)s employers were invited.") % {"n": len(invited)},
            )
            return redirect("coordination:event", pk=event.pk)
    return _event_page(request, event, invite_form=form)


@login_required
@require_POST
def invitation_record(request: AuthedRequest, pk: int, invitation_pk: int) -> HttpResponse:
    event = _event(request, pk)
    invitation = event.invitations.filter(pk=invitation_pk).first()
    if invitation is None:
        raise Http404
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            services.invitation_record(invitation=invitation, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The answer was saved."))
    else:
        messages.error(request, _("Choose an answer."))
    return redirect("coordination:event", pk=event.pk)
