"""The plan page and the note and activity writes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samspill.core.forms import add_service_errors
from samspill.core.http import AuthedRequest
from samspill.core.revisions import StaleRevision
from samspill.participants.views import participant_for_read, participant_for_write
from samspill.plans import queries, services
from samspill.plans.forms import ActivityForm, GoalForm, NoteForm, StatusForm
from samspill.plans.models import Activity, Goal


@login_required
def participant_plan(request: AuthedRequest, pk: int) -> HttpResponse:
    participant = participant_for_read(request, pk, "page:plan")
    goals = queries.goals_for(participant)
    goal_rows = list(goals)  # the list on the page and the activity form's choices
    goal_form = GoalForm(prefix="goal")
    activity_form = ActivityForm(prefix="activity", goals=goals, goal_rows=goal_rows)
    status = 200
    if request.method == "POST":
        if request.POST.get("action") == "goal":
            goal_form = GoalForm(request.POST, prefix="goal")
            form = goal_form
        else:
            activity_form = ActivityForm(
                request.POST, prefix="activity", goals=goals, goal_rows=goal_rows
            )
            form = activity_form  # type: ignore[assignment]
        if form.is_valid():
            try:
                if form is goal_form:
                    data = dict(goal_form.cleaned_data)
                    data.pop("confirm_past")
                    services.goal_add(participant=participant, by=request.user, **data)
                    messages.success(request, _("The goal was added."))
                else:
                    services.activity_add(
                        participant=participant, by=request.user, **activity_form.cleaned_data
                    )
                    messages.success(request, _("The activity was added."))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("participants:plan", pk=participant.pk)
        status = 400
    activities = Paginator(queries.activities_for(participant), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "plans/plan.html",
        {
            "participant": participant,
            "tab": "plan",
            "goals": goal_rows,
            "activities": activities,
            "goal_form": goal_form,
            "activity_form": activity_form,
            "goal_statuses": Goal.Status.choices,
            "activity_statuses": Activity.Status.choices,
        },
        status=status,
    )


def _status_refused(error: ValidationError) -> str:
    if isinstance(error, StaleRevision):
        current = error.current
        return _(
            "Someone else changed “%(title)s” while you had the page open: its status is now "
            "%(status)s. Nothing was saved; change it again if you still want to."
        ) % {"title": current.title, "status": current.get_status_display()}
    return " ".join(error.messages)


@login_required
@require_POST
def activity_status(request: AuthedRequest, pk: int, activity_pk: int) -> HttpResponse:
    participant = participant_for_write(request, pk)
    activity = get_object_or_404(
        Activity.objects.select_related("participant"), pk=activity_pk, participant=participant
    )
    form = StatusForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose a valid status."))
        services.activity_set_status(activity=activity, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, _status_refused(error))
    else:
        messages.success(request, _("The status was changed."))
    return redirect("participants:plan", pk=participant.pk)


@login_required
@require_POST
def goal_status(request: AuthedRequest, pk: int, goal_pk: int) -> HttpResponse:
    participant = participant_for_write(request, pk)
    goal = get_object_or_404(
        Goal.objects.select_related("participant"), pk=goal_pk, participant=participant
    )
    form = StatusForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose a valid status."))
        services.goal_set_status(goal=goal, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, _status_refused(error))
    else:
        messages.success(request, _("The status was changed."))
    return redirect("participants:plan", pk=participant.pk)


@login_required
@require_POST
def note_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Add a note. With htmx, answer with the note form and the updated timeline."""
    participant = participant_for_write(request, pk)
    form = NoteForm(request.POST)
    saved = False
    if form.is_valid():
        try:
            services.note_add(participant=participant, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            saved = True
    if not request.htmx:
        if saved:
            messages.success(request, _("The note was saved."))
        else:
            messages.error(
                request,
                _("The note was not saved: %(errors)s")
                % {"errors": " ".join(str(m) for errors in form.errors.values() for m in errors)},
            )
        return redirect("participants:detail", pk=participant.pk)
    participant = participant_for_read(request, pk, "htmx:timeline")
    return render(
        request,
        "plans/_notes_and_timeline.html",
        {
            "participant": participant,
            "note_form": NoteForm() if saved else form,
            "note_saved": saved,
            "timeline": queries.timeline_for(participant),
            "timeline_limit": 20,
        },
        status=200 if saved else 400,
    )
