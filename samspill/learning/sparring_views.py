"""Sparring pages: cases (a lost belief is one kind), peer feedback, supervision groups, and
"Does sparring help?". The doors are in sparring_queries; writes in sparring_services."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Min, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from samspill.accounts.models import User
from samspill.audit.services import access_log_record
from samspill.core.forms import add_service_errors
from samspill.core.http import AuthedRequest, redirect_next
from samspill.followup import permissions as followup_permissions
from samspill.followup.forms import SparringRequestForm
from samspill.followup.models import BeliefCheckIn
from samspill.followup.views import _belief_page, _colleagues
from samspill.learning import sparring_queries as queries
from samspill.learning import sparring_services as services
from samspill.learning.models import (
    PeerFeedback,
    PlatformMentor,
    SparringCase,
    SupervisionGroup,
    SupervisionSession,
)
from samspill.learning.permissions import is_platform_mentor, staff_membership
from samspill.learning.sparring_forms import (
    AnswerForm,
    CaseAskForm,
    CaseEditForm,
    CloseForm,
    FeedbackForm,
    GroupForm,
    NotesForm,
    PlanForm,
)
from samspill.learning.sparring_stats import sparring_effect as effect_figures
from samspill.learning.views import staff_only
from samspill.organisations.models import Membership
from samspill.participants.models import Participant
from samspill.participants.permissions import relationship_to
from samspill.participants.views import participant_for_read, participant_for_write

PAGE = 25


def _membership(request: AuthedRequest) -> Membership:
    membership = request.membership
    assert membership is not None  # staff_only set it
    if membership.role == Membership.Role.ADMIN:
        raise PermissionDenied  # administrators keep settings, not practice
    return membership


def _colleagues_of(request: AuthedRequest) -> QuerySet[User]:
    membership = _membership(request)
    staff = Membership.objects.filter(
        organisation_id=membership.organisation_id, is_active=True
    ).exclude(role=Membership.Role.ADMIN)
    return (
        User.objects.filter(pk__in=staff.values("user_id"))
        .exclude(pk=request.user.pk)
        .order_by("full_name", "id")
    )


def _case(request: AuthedRequest, pk: int) -> SparringCase:
    """Through the door, or 404; a portal user or an administrator gets 403."""
    membership = staff_membership(request.user)
    if membership is None or membership.role == Membership.Role.ADMIN:
        raise PermissionDenied
    return get_object_or_404(
        queries.with_names(queries.cases_visible_to(request.user), request.user).select_related(
            "asked_by", "asked", "group", "participant", "checkin"
        ),
        pk=pk,
    )


# --- Cases ------------------------------------------------------------------------------------


@login_required
@require_GET
@staff_only
def sparring(request: AuthedRequest) -> HttpResponse:
    membership = _membership(request)
    cases = (
        queries.with_names(queries.cases_visible_to(request.user), request.user)
        .select_related("asked_by", "asked", "group", "participant")
        .order_by("-created_at", "-id")
    )
    page = Paginator(cases, PAGE).get_page(request.GET.get("page"))
    queries.log_reads(
        request.user.pk,
        (case.asked_by_id for case in page.object_list),
        membership.organisation_id,
        "learning:sparring",
    )
    return render(
        request,
        "learning/sparring.html",
        {
            "page": page,
            "section": "sparring",
            "sees_effect": _sees_effect(request, membership),
        },
    )


def _ask_form(request: AuthedRequest, data: Any = None, initial: Any = None) -> CaseAskForm:
    mentors = set(
        PlatformMentor.objects.filter(
            organisation_id=_membership(request).organisation_id
        ).values_list("user_id", flat=True)
    )
    form = CaseAskForm(
        data,
        initial=initial,
        colleagues=_colleagues_of(request),
        groups=queries.groups_visible_to(request.user).filter(
            pk__in=queries.my_group_ids(request.user)
        ),
        participants=Participant.objects.visible_to(request.user).order_by(
            "family_name", "given_name", "id"
        ),
    )
    form.fields["asked"].label_from_instance = lambda user: (  # type: ignore[attr-defined]
        _("%(name)s (platform mentor)") % {"name": user.full_name}
        if user.pk in mentors
        else user.full_name
    )
    return form


@staff_only
def sparring_new(request: AuthedRequest) -> HttpResponse:
    _membership(request)
    if request.method == "POST":
        form = _ask_form(request, request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            checkin_id = data.pop("checkin")
            participant = data.get("participant")
            checkin = (
                BeliefCheckIn.objects.filter(pk=checkin_id, participant=participant).first()
                if checkin_id and participant
                else None
            )
            try:
                case = services.sparring_case_ask(by=request.user, checkin=checkin, **data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Your request for sparring was sent."))
                return redirect("learning:sparring_case", pk=case.pk)
        status = 400
    else:
        # From the belief page's prompt: the participant, the check-in and the kind.
        initial = {
            key: request.GET[key]
            for key in ("participant", "checkin")
            if request.GET.get(key, "").isdigit()
        }
        if request.GET.get("kind") in SparringCase.Kind.values:
            initial["kind"] = request.GET["kind"]
        form = _ask_form(request, initial=initial)
        status = 200
    return render(
        request, "learning/sparring_new.html", {"form": form, "section": "sparring"}, status=status
    )


@staff_only
def sparring_case(request: AuthedRequest, pk: int) -> HttpResponse:
    membership = _membership(request)
    case = _case(request, pk)
    own = case.asked_by_id == request.user.pk
    action = request.POST.get("action") if request.method == "POST" else None
    edit_form = (
        CaseEditForm(
            request.POST if action == "edit" else None,
            initial={
                field: getattr(case, field)
                for field in ("situation", "tried", "belief_drop", "next_steps")
            },
            revision=case.revision,
        )
        if own and case.status != SparringCase.Status.CLOSED
        else None
    )
    answer_form = (
        AnswerForm(request.POST if action == "answer" else None)
        if services.may_answer(request.user, case)
        else None
    )
    if request.method == "POST":
        if action == "edit" and edit_form is not None:
            if edit_form.is_valid():
                data = dict(edit_form.cleaned_data)
                try:
                    services.sparring_case_update(case=case, by=request.user, **data)
                except ValidationError as error:
                    add_service_errors(edit_form, error)
                else:
                    messages.success(request, _("The case was saved."))
                    return redirect("learning:sparring_case", pk=case.pk)
        elif action == "answer" and answer_form is not None:
            if answer_form.is_valid():
                try:
                    services.sparring_case_answer(
                        case=case, by=request.user, text=answer_form.cleaned_data["text"]
                    )
                except ValidationError as error:
                    add_service_errors(answer_form, error)
                else:
                    messages.success(request, _("Your answer was saved."))
                    return redirect("learning:sparring_case", pk=case.pk)
        else:
            raise PermissionDenied
    if not own:
        queries.log_reads(
            request.user.pk,
            [case.asked_by_id],
            membership.organisation_id,
            "learning:sparring_case",
        )
    if case.shows_participant:  # type: ignore[attr-defined]
        assert case.participant is not None
        why = relationship_to(request.user, case.participant)
        assert why is not None  # shows_participant came through the same door
        access_log_record(
            actor=request.user, participant=case.participant, what="page:sparring-case", why=why
        )
    return render(
        request,
        "learning/sparring_case.html",
        {
            "case": case,
            "own": own,
            "responses": case.responses.select_related("author"),
            "edit_form": edit_form,
            "answer_form": answer_form,
            "close_form": CloseForm() if services.may_close(request.user, case) else None,
            "section": "sparring",
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def sparring_accept(request: AuthedRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    try:
        services.sparring_case_accept(case=case, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You accepted the sparring request."))
    return redirect_next(request, "learning:sparring_case", pk=case.pk)


@login_required
@require_POST
def sparring_close(request: AuthedRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    form = CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The note is too long."))
        return redirect_next(request, "learning:sparring_case", pk=case.pk)
    try:
        services.sparring_case_close(case=case, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The sparring was closed."))
    return redirect_next(request, "learning:sparring_case", pk=case.pk)


@login_required
@require_POST
def sparring_lost_belief(request: AuthedRequest, pk: int) -> HttpResponse:
    """The belief page's quick request: a lost-belief case to a colleague."""
    participant = participant_for_write(request, pk)
    if not followup_permissions.can_record_checkin(request.user, participant):
        raise PermissionDenied
    form = SparringRequestForm(request.POST, colleagues=_colleagues(request, participant))
    checkin_id = request.POST.get("checkin") or ""
    checkin = (
        BeliefCheckIn.objects.filter(pk=int(checkin_id), participant=participant).first()
        if checkin_id.isdigit()
        else None
    )
    if form.is_valid():
        try:
            services.sparring_case_ask(
                by=request.user,
                kind=SparringCase.Kind.LOST_BELIEF,
                audience=SparringCase.Audience.COLLEAGUE,
                asked=form.cleaned_data["colleague"],
                situation=form.cleaned_data["why"],
                participant=participant,
                checkin=checkin,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s has been asked for sparring.")
                % {"name": form.cleaned_data["colleague"].full_name},
            )
            return redirect("followup:belief", pk=participant.pk)
    participant = participant_for_read(request, pk, "page:belief")
    return _belief_page(request, participant, sparring_form=form, checkin=checkin, status=400)


# --- Peer feedback ----------------------------------------------------------------------------


@staff_only
def feedback(request: AuthedRequest) -> HttpResponse:
    membership = _membership(request)
    form = FeedbackForm(request.POST or None, colleagues=_colleagues_of(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.peer_feedback_give(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Your feedback was given to %(name)s.")
                % {"name": form.cleaned_data["observed"].full_name},
            )
            return redirect("learning:feedback")
    rows = (
        queries.feedback_visible_to(request.user)
        .select_related("observed", "observer")
        .order_by("-observed_on", "-id")
    )
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    queries.log_reads(
        request.user.pk,
        (item.observed_id for item in page.object_list),
        membership.organisation_id,
        "learning:feedback",
    )
    return render(
        request,
        "learning/feedback.html",
        {"page": page, "form": form, "section": "feedback"},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
@staff_only
def feedback_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    membership = _membership(request)
    item: PeerFeedback = get_object_or_404(
        queries.feedback_visible_to(request.user).select_related("observed", "observer"), pk=pk
    )
    if item.observed_id == request.user.pk:
        services.peer_feedback_seen(feedback=item, by=request.user)
    else:
        queries.log_reads(
            request.user.pk, [item.observed_id], membership.organisation_id, "learning:feedback"
        )
    return render(request, "learning/feedback_detail.html", {"item": item, "section": "feedback"})


# --- Supervision groups -----------------------------------------------------------------------


@staff_only
def groups(request: AuthedRequest) -> HttpResponse:
    membership = _membership(request)
    may_make = services.may_make_groups(request.user, membership)
    form = GroupForm(request.POST or None, colleagues=_colleagues_of(request)) if may_make else None
    if form is not None:
        form.fields["facilitator"].queryset = _colleagues_of(request) | User.objects.filter(  # type: ignore[attr-defined]
            pk=request.user.pk
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                group = services.supervision_group_create(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The supervision group was made."))
                return redirect("learning:group", pk=group.pk)
    now = timezone.now()
    rows = queries.groups_visible_to(request.user).order_by("name", "id")
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    nexts = {
        row["group_id"]: row["next"]
        for row in SupervisionSession.objects.filter(
            group__in=list(page.object_list), starts_at__gte=now
        )
        .values("group_id")
        .annotate(next=Min("starts_at"))
        .order_by()
    }
    for group in page.object_list:
        group.next_session = nexts.get(group.pk)
    return render(
        request,
        "learning/groups.html",
        {"page": page, "form": form, "section": "groups"},
        status=400 if form is not None and form.errors else 200,
    )


@staff_only
def group_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    _membership(request)
    group: SupervisionGroup = get_object_or_404(
        queries.groups_visible_to(request.user).select_related("facilitator"), pk=pk
    )
    member = services.is_group_member(request.user, group)
    runs = services.may_run_group(request.user, group)
    plan_form = PlanForm(request.POST or None) if runs else None
    if request.method == "POST":
        if plan_form is None:
            raise PermissionDenied
        if plan_form.is_valid():
            try:
                services.supervision_sessions_plan(
                    group=group, by=request.user, **plan_form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(plan_form, error)
            else:
                messages.success(request, _("The sessions were planned."))
                return redirect("learning:group", pk=group.pk)
    sessions = list(group.sessions.select_related("notes_by"))
    for session in sessions:
        session.notes_form = (  # type: ignore[attr-defined]
            NotesForm(
                initial={"notes": session.notes}, revision=session.revision, prefix=f"s{session.pk}"
            )
            if member
            else None
        )
    return render(
        request,
        "learning/group.html",
        {
            "group": group,
            "members": group.members.order_by("full_name", "id"),
            "member": member,
            "sessions": sessions,
            "plan_form": plan_form,
            "now": timezone.now(),
            "section": "groups",
        },
        status=400 if plan_form is not None and plan_form.errors else 200,
    )


@login_required
@require_POST
@staff_only
def session_notes(request: AuthedRequest, pk: int) -> HttpResponse:
    _membership(request)
    session = get_object_or_404(
        SupervisionSession.objects.filter(group__in=queries.groups_visible_to(request.user)),
        pk=pk,
    )
    if not services.is_group_member(request.user, session.group):
        raise PermissionDenied
    form = NotesForm(request.POST, prefix=f"s{session.pk}", revision=session.revision)
    if form.is_valid():
        try:
            services.supervision_notes_save(
                session=session,
                by=request.user,
                notes=form.cleaned_data["notes"],
                revision=form.cleaned_data["revision"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The notes were saved."))
    else:
        messages.error(request, _("The notes could not be saved. Nothing was changed."))
    return redirect("learning:group", pk=session.group_id)


# --- Does sparring help? ----------------------------------------------------------------------


def _sees_effect(request: AuthedRequest, membership: Membership) -> bool:
    return membership.role == Membership.Role.LEADER or is_platform_mentor(
        request.user, membership.organisation_id
    )


@login_required
@require_GET
@staff_only
def sparring_effect(request: AuthedRequest) -> HttpResponse:
    membership = _membership(request)
    if not _sees_effect(request, membership):
        raise PermissionDenied
    return render(
        request,
        "learning/sparring_effect.html",
        {"effect": effect_figures(membership.organisation_id), "section": "sparring"},
    )
