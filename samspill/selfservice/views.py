"""The participant's own pages (their plan, the dialog with their counselor, their consents and
who has read their record) and the counselor's side of the dialog. A phone first.

Every page is for the participant's own login only (`require_participant`: anyone else gets
403) and shows only their own record; an activity or consent of someone else is a 404.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samspill.audit.services import access_log_record
from samspill.core.forms import add_service_errors
from samspill.core.http import AuthedRequest
from samspill.loops import evaluation as loop_evaluation
from samspill.loops.models import CalendarFeed
from samspill.participants.models import ConsentRecord, Participant
from samspill.participants.views import (
    participant_for_read,
    participant_for_write,
    require_follower,
)
from samspill.plans.models import Activity
from samspill.portal import permissions as portal_permissions
from samspill.selfservice import cv as cv_pdf
from samspill.selfservice import queries, schedule, services
from samspill.selfservice.forms import (
    CommentForm,
    CVForm,
    FeedbackForm,
    MessageForm,
    PortalSettingsForm,
    ProposeForm,
    StrengthsForm,
)
from samspill.selfservice.models import Feedback, PortalSettings

# Where another part of Samspill lets a participant ask for a copy of their data.
MY_DATA_PATH = "/privacy/my-data/"


def my_data_url() -> str | None:
    """The page to request a copy of one's data, when this installation has it."""
    try:
        resolve(MY_DATA_PATH)
    except Resolver404:
        return None
    return MY_DATA_PATH


def require_participant(request: AuthedRequest, what: str) -> Participant:
    """The participant whose own login this is (else 403); logs the read of their record."""
    participant = portal_permissions.portal_participant(request.user)
    if participant is None:
        raise PermissionDenied
    access_log_record(
        actor=request.user,
        participant=participant,
        what=what,
        why=portal_permissions.Relationship.SELF,
    )
    return participant


def _page(
    request: AuthedRequest,
    participant: Participant,
    template: str,
    context: dict[str, Any],
    *,
    tab: str,
    status: int = 200,
) -> HttpResponse:
    """A page of the participant's own: with how to reach their counselor and the person to
    call at each workplace, and how many messages they have not read."""
    if "unread" not in context:
        context["unread"] = queries.unread_count(participant, from_participant=False)
    return render(
        request,
        template,
        {
            "participant": participant,
            "counselor": participant.counselor,
            "workplaces": queries.workplaces(participant),
            "my_tab": tab,
            **context,
        },
        status=status,
    )


def _plan_page(
    request: AuthedRequest,
    participant: Participant,
    *,
    propose_form: ProposeForm | None = None,
    comment_form: CommentForm | None = None,
    comment_on: int | None = None,
    status: int = 200,
) -> HttpResponse:
    return _page(
        request,
        participant,
        "selfservice/my_plan.html",
        {
            "plan": queries.plan_for(participant),
            "open_statuses": Activity.OPEN_STATUSES,
            "today": timezone.localdate(),
            "propose_form": propose_form or ProposeForm(),
            "comment_form": comment_form,
            "comment_on": comment_on,
        },
        tab="plan",
        status=status,
    )


@login_required
@require_GET
def my_plan(request: AuthedRequest) -> HttpResponse:
    participant = require_participant(request, "portal:my_plan")
    return _plan_page(request, participant)


def _my_activity(participant: Participant, pk: int) -> Activity:
    return get_object_or_404(Activity, pk=pk, participant=participant)


@login_required
@require_POST
def my_activity_done(request: AuthedRequest, pk: int) -> HttpResponse:
    participant = require_participant(request, "portal:my_plan")
    activity = _my_activity(participant, pk)
    try:
        revision = int(request.POST.get("revision", ""))
        services.activity_done(
            participant=participant, activity=activity, by=request.user, revision=revision
        )
    except ValueError:
        messages.error(request, _("The change could not be read; try again."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Well done! Your counselor can see it."))
        return redirect("selfservice:my_plan")
    return _plan_page(request, participant, status=400)


@login_required
@require_POST
def my_activity_comment(request: AuthedRequest, pk: int) -> HttpResponse:
    participant = require_participant(request, "portal:my_plan")
    activity = _my_activity(participant, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.activity_comment(
                participant=participant,
                activity=activity,
                by=request.user,
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your comment was sent to your counselor."))
            return redirect("selfservice:my_plan")
    return _plan_page(request, participant, comment_form=form, comment_on=activity.pk, status=400)


@login_required
@require_POST
def my_activity_propose(request: AuthedRequest) -> HttpResponse:
    participant = require_participant(request, "portal:my_plan")
    form = ProposeForm(request.POST)
    if form.is_valid():
        try:
            services.activity_propose(participant=participant, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The activity is in your plan. Your counselor can see it."))
            return redirect("selfservice:my_plan")
    return _plan_page(request, participant, propose_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def my_dialog(request: AuthedRequest) -> HttpResponse:
    participant = require_participant(request, "portal:my_dialog")
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.message_send(
                participant=participant, by=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your message was sent."))
            return redirect("selfservice:my_dialog")
    # Reading the thread reads the counselor's messages: the unread count is taken after.
    services.thread_read(participant=participant, by=request.user, from_participant=False)
    return _page(
        request,
        participant,
        "selfservice/my_dialog.html",
        {"thread": queries.thread(participant), "form": form, "unread": 0},
        tab="dialog",
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def my_consents(request: AuthedRequest) -> HttpResponse:
    participant = require_participant(request, "portal:my_consents")
    return _page(
        request,
        participant,
        "selfservice/my_consents.html",
        {"consents": queries.consents(participant), "my_data_url": my_data_url()},
        tab="consents",
    )


@login_required
@require_POST
def my_consent_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    participant = require_participant(request, "portal:my_consents")
    consent = get_object_or_404(ConsentRecord, pk=pk, participant=participant)
    try:
        services.own_consent_withdraw(participant=participant, consent=consent, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The consent is withdrawn. It no longer applies."))
    return redirect("selfservice:my_consents")


@login_required
@require_GET
def my_access_log(request: AuthedRequest) -> HttpResponse:
    participant = require_participant(request, "portal:my_access_log")
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    reads, more = queries.reads_of(participant, page=page)
    return _page(
        request,
        participant,
        "selfservice/my_access_log.html",
        {"reads": reads, "more": more, "page": page, "my_data_url": my_data_url()},
        tab="access_log",
    )


def _profile_page(
    request: AuthedRequest,
    participant: Participant,
    *,
    strengths_form: StrengthsForm | None = None,
    cv_form: CVForm | None = None,
    status: int = 200,
) -> HttpResponse:
    cv = queries.cv_of(participant)
    return _page(
        request,
        participant,
        "selfservice/my_profile.html",
        {
            "strengths_form": strengths_form
            or StrengthsForm(instance=participant, initial={"revision": participant.revision}),
            "cv_form": cv_form or CVForm(instance=cv, initial={"revision": cv.revision}),
            "cv": cv,
        },
        tab="profile",
        status=status,
    )


@login_required
@require_GET
def my_profile(request: AuthedRequest) -> HttpResponse:
    participant = require_participant(request, "portal:my_profile")
    return _profile_page(request, participant)


def _profile_save(
    request: AuthedRequest,
    participant: Participant,
    form: StrengthsForm | CVForm,
    *,
    save: Callable[..., object],
    fields: tuple[str, ...],
    saved: str,
) -> HttpResponse:
    """Saves one of the two forms of the profile page through `save` (a service taking the
    participant, who, the form's revision and `fields`); on errors the page again, with both
    forms and the failed one's errors."""
    if form.is_valid():
        try:
            save(
                participant=participant,
                by=request.user,
                revision=form.cleaned_data["revision"],
                **{name: form.cleaned_data[name] for name in fields},
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, saved)
            return redirect("selfservice:my_profile")
    if isinstance(form, StrengthsForm):
        # The bound form changed the instance; the CV form beside it shows what is saved.
        participant.refresh_from_db()
        return _profile_page(request, participant, strengths_form=form, status=400)
    return _profile_page(request, participant, cv_form=form, status=400)


@login_required
@require_POST
def my_strengths(request: AuthedRequest) -> HttpResponse:
    participant = require_participant(request, "portal:my_profile")
    form = StrengthsForm(request.POST, instance=participant)
    return _profile_save(
        request,
        participant,
        form,
        save=services.strengths_save,
        fields=services.STRENGTHS_FIELDS,
        saved=_("Your strengths profile is saved."),
    )


@login_required
@require_POST
def my_cv(request: AuthedRequest) -> HttpResponse:
    participant = require_participant(request, "portal:my_cv")
    form = CVForm(request.POST, instance=queries.cv_of(participant))
    return _profile_save(
        request,
        participant,
        form,
        save=services.cv_save,
        fields=services.CV_FIELDS,
        saved=_("Your CV is saved."),
    )


@login_required
@require_GET
def my_cv_pdf(request: AuthedRequest) -> HttpResponse:
    participant = require_participant(request, "portal:my_cv")
    response = HttpResponse(
        cv_pdf.as_bytes(participant, queries.cv_of(participant)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{cv_pdf.filename(participant)}"'
    return response


@login_required
@require_GET
def my_schedule(request: AuthedRequest) -> HttpResponse:
    """What is coming: the same events as the participant's own calendar feed."""
    participant = require_participant(request, "portal:my_schedule")
    feed = CalendarFeed(
        kind=CalendarFeed.Kind.PERSON,
        owner=request.user,
        organisation_id=participant.organisation_id,
    )
    return _page(
        request,
        participant,
        "selfservice/my_schedule.html",
        {"days": schedule.schedule_for(participant, feed=feed)},
        tab="schedule",
    )


@login_required
@require_GET
def my_documents(request: AuthedRequest) -> HttpResponse:
    """Agreements to read and approve, evaluations and certificates, by placement."""
    participant = require_participant(request, "portal:my_documents")
    return _page(
        request,
        participant,
        "selfservice/my_documents.html",
        {"documents": queries.documents_of(participant)},
        tab="documents",
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_feedback(request: AuthedRequest) -> HttpResponse:
    """This half-year's short questionnaire about the follow-up: optional, once a round."""
    participant = require_participant(request, "portal:my_feedback")
    round_ = services.feedback_round(timezone.localdate())
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_give(participant=participant, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you! Your answers help us do better."))
            return redirect("selfservice:my_feedback")
    return _page(
        request,
        participant,
        "selfservice/my_feedback.html",
        {
            "form": form,
            "answered": queries.feedback_answered(participant, round_),
            # The evaluations of the loops they sat in (issue 22, item 3), answered there.
            "loop_evaluations": loop_evaluation.participant_evaluations(participant),
        },
        tab="feedback",
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def feedback_summary(request: AuthedRequest) -> HttpResponse:
    """Leaders: what participants say about the follow-up, in counts only (small ones hidden)."""
    membership = request.membership
    if not membership or not membership.is_leader:
        raise PermissionDenied
    return render(
        request,
        "selfservice/feedback_summary.html",
        {
            "rounds": queries.feedback_summary(membership.organisation_id),
            "answers": Feedback.Answer,
        },
    )


# The counselor's side.


@login_required
@require_http_methods(["GET", "POST"])
def participant_dialog(request: AuthedRequest, pk: int) -> HttpResponse:
    """The dialog tab of a participant's record: read the thread, answer. Opening it marks the
    participant's messages read only for their own counselor (a colleague's look does not
    clear the counselor's Today)."""
    require_follower(request)
    form = MessageForm(request.POST or None)
    if request.method == "POST":
        participant = participant_for_write(request, pk)
        if form.is_valid():
            try:
                services.message_send(
                    participant=participant, by=request.user, text=form.cleaned_data["text"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Your answer was sent."))
                return redirect("selfservice:participant_dialog", pk=participant.pk)
    participant = participant_for_read(request, pk, "page:dialog")
    if participant.counselor_id == request.user.pk:
        services.thread_read(participant=participant, by=request.user, from_participant=True)
    return render(
        request,
        "selfservice/participant_dialog.html",
        {
            "participant": participant,
            "tab": "dialog",
            "thread": queries.thread(participant),
            "form": form,
            "unanswered": queries.unread_count(participant, from_participant=False),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def portal_settings(request: AuthedRequest) -> HttpResponse:
    """An organisation's administrator chooses whether staff names show in the access log
    participants read."""
    membership = request.membership
    if not membership or not membership.is_admin:
        raise PermissionDenied
    current, _created = PortalSettings.objects.get_or_create(
        organisation_id=membership.organisation_id
    )
    form = PortalSettingsForm(
        request.POST or None,
        initial={"hide_staff_names": current.hide_staff_names, "revision": current.revision},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.portal_settings_set(
                organisation_id=membership.organisation_id, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("selfservice:settings")
    return render(
        request,
        "selfservice/settings.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )
