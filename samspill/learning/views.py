"""The learning pages: the methods library, networks, platform mentors, learning goals."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samspill.accounts.models import User
from samspill.core.forms import add_service_errors
from samspill.core.http import AuthedRequest
from samspill.learning import queries, search, services
from samspill.learning.forms import (
    GoalForm,
    JoinForm,
    MentorForm,
    MethodEditForm,
    MethodFileForm,
    MethodForm,
    NetworkForm,
    PublishForm,
    ReviewForm,
    ShareForm,
)
from samspill.learning.models import (
    GoalReview,
    LearningGoal,
    Method,
    MethodFile,
    MethodVersion,
    Network,
    PlatformMentor,
    PracticePlace,
    StaffRecordRead,
)
from samspill.learning.permissions import (
    goals_visible_to,
    is_platform_mentor,
    may_appoint_mentors,
    may_edit_method,
    methods_visible_to,
    staff_membership,
)
from samspill.organisations.models import Membership

View = Callable[..., HttpResponseBase]

# Where in Samspill each practice place is done: a method links there.
PRACTICE_URLS = {
    "belief_check_in": "followup:today",
    "handover": "participants:caseload",
    "expectation_meeting": "employers:list",
    "follow_up": "followup:today",
    "jobbloop": "loops:list",
    "plan": "participants:caseload",
}


def staff_only(view: View) -> View:
    """Active staff of an organisation; portal users and everybody else get 403."""

    @login_required
    @wraps(view)
    def wrapped(request: AuthedRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        membership = staff_membership(request.user)
        if membership is None:
            raise PermissionDenied
        request.membership = membership
        return view(request, *args, **kwargs)

    return wrapped


def _method(request: AuthedRequest, pk: int) -> Method:
    return get_object_or_404(
        methods_visible_to(request.user).select_related("organisation", "published", "shared_with"),
        pk=pk,
    )


def _editable_method(request: AuthedRequest, pk: int) -> Method:
    method = _method(request, pk)
    if not may_edit_method(request.user, method):
        raise PermissionDenied
    return method


# --- Library -------------------------------------------------------------------------------


@staff_only
def library(request: AuthedRequest) -> HttpResponse:
    membership = request.membership
    assert membership is not None
    text = request.GET.get("q", "")[:200]
    scope = request.GET.get("scope", "")
    methods = methods_visible_to(request.user)
    if scope == "own":
        methods = methods.filter(organisation_id=membership.organisation_id)
    elif scope == "network":
        methods = methods.exclude(organisation_id=membership.organisation_id)
    page = search.CappedPaginator(
        search.results(methods, text, membership.organisation.country), 25
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "learning/library.html",
        {
            "page": page,
            "q": text,
            "scope": scope,
            "is_mentor": is_platform_mentor(request.user, membership.organisation_id),
            "section": "library",
        },
    )


@staff_only
def method_create(request: AuthedRequest) -> HttpResponse:
    membership = request.membership
    assert membership is not None
    if not is_platform_mentor(request.user, membership.organisation_id):
        raise PermissionDenied
    form = MethodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            method = services.method_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The draft was saved. Publish it when it is ready."))
            return redirect("learning:method", pk=method.pk)
    return render(
        request,
        "learning/method_form.html",
        {"form": form, "section": "library"},
        status=400 if form.errors else 200,
    )


@staff_only
def method_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    method = _method(request, pk)
    editable = may_edit_method(request.user, method)
    versions = method.versions.only(
        "id", "number", "title", "change_note", "published_at", "method_id"
    ).order_by("-number")
    if not editable:
        versions = versions.filter(published_at__isnull=False)
    chosen = request.GET.get("version", "")
    version: MethodVersion | None
    if chosen.isdigit():
        version = get_object_or_404(
            MethodVersion.objects.prefetch_related("files").filter(pk__in=versions.values("pk")),
            number=int(chosen),
        )
    else:
        version = (
            MethodVersion.objects.prefetch_related("files")
            .filter(method=method, pk=method.published_id or 0)
            .first()
        )
    draft = services.method_draft(method) if editable else None
    if version is None:
        version = draft
    membership = request.membership
    assert membership is not None
    adoptable = (
        method.organisation_id != membership.organisation_id
        and method.published_id is not None
        and is_platform_mentor(request.user, membership.organisation_id)
    )
    return render(
        request,
        "learning/method.html",
        {
            "method": method,
            "version": version,
            "versions": list(versions),
            "draft": draft,
            # Linked only for those who work there: the pages are the follow-up staff's, and
            # an administrator once met four links that all answered 403.
            "places": [
                (label, reverse(PRACTICE_URLS[key]) if membership.follows_participants else None)
                for key, label in PracticePlace.choices
                if version is not None and key in version.practice_places
            ],
            "editable": editable,
            "adoptable": adoptable,
            "publish_form": PublishForm(),
            "share_form": ShareForm(
                networks=Network.objects.filter(organisations=method.organisation_id),
                initial={"network": method.shared_with_id},
            ),
            "file_form": MethodFileForm(),
            "section": "library",
        },
    )


@staff_only
def method_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    method = _editable_method(request, pk)
    draft = services.method_draft(method)
    base = draft or method.published
    initial = {field: getattr(base, field) for field in services.CONTENT_FIELDS} if base else {}
    form = MethodEditForm(
        request.POST or None, initial=initial, revision=draft.revision if draft else 1
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        revision = data.pop("revision", None)
        try:
            services.method_draft_save(
                method=method, by=request.user, revision=revision if draft else None, **data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The draft was saved. Publish it when it is ready."))
            return redirect("learning:method", pk=method.pk)
    return render(
        request,
        "learning/method_form.html",
        {"form": form, "method": method, "section": "library"},
        status=400 if form.errors else 200,
    )


@require_POST
@staff_only
def method_publish(request: AuthedRequest, pk: int) -> HttpResponse:
    method = _editable_method(request, pk)
    form = PublishForm(request.POST)
    form.is_valid()
    try:
        version = services.method_publish(
            method=method, by=request.user, change_note=form.cleaned_data.get("change_note", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Version %(number)s is published.") % {"number": version.number}
        )
    return redirect("learning:method", pk=method.pk)


@require_POST
@staff_only
def method_share(request: AuthedRequest, pk: int) -> HttpResponse:
    method = _editable_method(request, pk)
    form = ShareForm(
        request.POST, networks=Network.objects.filter(organisations=method.organisation_id)
    )
    if not form.is_valid():
        messages.error(request, _("Choose one of your organisation's networks."))
        return redirect("learning:method", pk=method.pk)
    try:
        services.method_share(method=method, network=form.cleaned_data["network"], by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Sharing was saved."))
    return redirect("learning:method", pk=method.pk)


@require_POST
@staff_only
def method_adopt(request: AuthedRequest, pk: int) -> HttpResponse:
    method = _method(request, pk)
    try:
        copy = services.method_adopt(method=method, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("learning:method", pk=method.pk)
    messages.success(request, _("A copy is now a draft in your library: adapt it, then publish."))
    return redirect("learning:method", pk=copy.pk)


@require_POST
@staff_only
def method_file_add(request: AuthedRequest, pk: int) -> HttpResponse:
    method = _editable_method(request, pk)
    form = MethodFileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.method_file_add(method=method, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The file was added to the draft."))
    else:
        messages.error(request, _("Choose a file to add."))
    return redirect("learning:method", pk=method.pk)


@staff_only
def method_file(request: AuthedRequest, pk: int) -> FileResponse:
    item = get_object_or_404(MethodFile.objects.select_related("version"), pk=pk)
    method = _method(request, item.version.method_id)
    if item.version.is_draft and not may_edit_method(request.user, method):
        raise Http404
    return FileResponse(
        item.file.open("rb"), as_attachment=True, filename=item.file.name.rsplit("/", 1)[-1]
    )


# --- Networks and platform mentors ---------------------------------------------------------


@staff_only
def networks(request: AuthedRequest) -> HttpResponse:
    membership = request.membership
    assert membership is not None
    is_admin = membership.role == Membership.Role.ADMIN
    create_form = NetworkForm(prefix="create")
    join_form = JoinForm(prefix="join")
    status = 200
    if request.method == "POST":
        if not is_admin:
            raise PermissionDenied
        action = request.POST.get("action")
        form: NetworkForm | JoinForm = create_form
        try:
            if action == "create":
                form = create_form = NetworkForm(request.POST, prefix="create")
                if form.is_valid():
                    services.network_create(by=request.user, **form.cleaned_data)
                    messages.success(request, _("The network was created."))
                    return redirect("learning:networks")
            elif action == "join":
                form = join_form = JoinForm(request.POST, prefix="join")
                if form.is_valid():
                    network = services.network_join(by=request.user, **form.cleaned_data)
                    messages.success(
                        request, _("You joined %(network)s.") % {"network": network.name}
                    )
                    return redirect("learning:networks")
            elif action == "leave":
                network = get_object_or_404(
                    Network,
                    pk=request.POST.get("network"),
                    organisations=membership.organisation_id,
                )
                services.network_leave(network=network, by=request.user)
                messages.success(request, _("You left %(network)s.") % {"network": network.name})
                return redirect("learning:networks")
        except ValidationError as error:
            add_service_errors(form, error)
        status = 400
    mine = (
        Network.objects.filter(organisations=membership.organisation_id)
        .prefetch_related("organisations")
        .order_by("name", "id")
    )
    return render(
        request,
        "learning/networks.html",
        {
            "networks": mine,
            "is_admin": is_admin,
            "create_form": create_form,
            "join_form": join_form,
            "section": "networks",
        },
        status=status,
    )


@staff_only
def mentors(request: AuthedRequest) -> HttpResponse:
    membership = request.membership
    assert membership is not None
    may_appoint = may_appoint_mentors(membership)
    current = PlatformMentor.objects.filter(
        organisation_id=membership.organisation_id
    ).select_related("user")
    candidates = (
        Membership.objects.filter(organisation_id=membership.organisation_id, is_active=True)
        .exclude(user__platform_mentorships__organisation_id=membership.organisation_id)
        .select_related("user")
        .order_by("user__full_name")
    )
    form = MentorForm(
        request.POST or None,
        candidates=User.objects.filter(pk__in=candidates.values("user_id")).order_by("full_name"),
    )
    status = 200
    if request.method == "POST":
        if not may_appoint:
            raise PermissionDenied
        if request.POST.get("action") == "remove":
            mentor = get_object_or_404(current, pk=request.POST.get("mentor"))
            services.platform_mentor_remove(mentor=mentor, by=request.user)
            messages.success(
                request, _("%(name)s is no longer a platform mentor.") % {"name": mentor.user}
            )
            return redirect("learning:mentors")
        if form.is_valid():
            try:
                services.platform_mentor_appoint(user=form.cleaned_data["user"], by=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The platform mentor was appointed."))
                return redirect("learning:mentors")
        status = 400
    return render(
        request,
        "learning/mentors.html",
        {"mentors": current, "form": form, "may_appoint": may_appoint, "section": "mentors"},
        status=status,
    )


# --- Learning goals ------------------------------------------------------------------------


@staff_only
def goals(request: AuthedRequest) -> HttpResponse:
    form = GoalForm(request.POST or None, methods=methods_visible_to(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.goal_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your learning goal was saved."))
            return redirect("learning:goal", pk=goal.pk)
    page = Paginator(queries.goals_for_owner(request.user), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "learning/goals.html",
        {"page": page, "form": form, "today": timezone.localdate(), "section": "goals"},
        status=400 if form.errors else 200,
    )


@staff_only
def goal_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    goal = get_object_or_404(goals_visible_to(request.user).select_related("owner"), pk=pk)
    membership = request.membership
    assert membership is not None
    own = goal.owner_id == request.user.pk
    if not own:
        StaffRecordRead.objects.create(
            reader=request.user,
            subject_id=goal.owner_id,
            organisation_id=goal.organisation_id,
            what="learning:goal",
        )
    edit_form = (
        GoalForm(
            request.POST if request.POST.get("action") == "edit" else None,
            instance=goal,
            methods=methods_visible_to(request.user),
        )
        if own
        else None
    )
    review_form = (
        ReviewForm(request.POST if request.POST.get("action") == "review" else None)
        if membership.role == Membership.Role.LEADER and not own
        else None
    )
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "edit" and edit_form is not None:
            if edit_form.is_valid():
                data = dict(edit_form.cleaned_data)
                revision = data.pop("revision", None)
                methods = data.pop("methods")
                try:
                    services.goal_update(
                        learning_goal=goal,
                        by=request.user,
                        revision=revision,
                        methods=methods,
                        **data,
                    )
                except ValidationError as error:
                    add_service_errors(edit_form, error)
                else:
                    messages.success(request, _("Your learning goal was saved."))
                    return redirect("learning:goal", pk=goal.pk)
        elif action == "review" and review_form is not None:
            if review_form.is_valid():
                try:
                    services.goal_review_record(
                        goal=goal, by=request.user, **review_form.cleaned_data
                    )
                except ValidationError as error:
                    add_service_errors(review_form, error)
                else:
                    messages.success(request, _("The follow-up conversation was recorded."))
                    return redirect("learning:goal", pk=goal.pk)
        else:
            raise PermissionDenied
    reviews = GoalReview.objects.filter(goal=goal).select_related("leader")
    return render(
        request,
        "learning/goal.html",
        {
            "goal": goal,
            "own": own,
            "methods": goal.methods.only("id", "title"),
            "reviews": reviews,
            "edit_form": edit_form,
            "review_form": review_form,
            "today": timezone.localdate(),
            "section": "goals",
        },
        status=400 if request.method == "POST" else 200,
    )


@staff_only
def team_goals(request: AuthedRequest) -> HttpResponse:
    membership = request.membership
    assert membership is not None
    if membership.role != Membership.Role.LEADER:
        raise PermissionDenied
    goals_qs = goals_visible_to(request.user).exclude(owner=request.user)
    overdue_only = request.GET.get("overdue") == "1"
    listed = goals_qs
    if overdue_only:
        listed = listed.filter(
            status=LearningGoal.Status.ACTIVE, next_review_on__lt=timezone.localdate()
        )
    page = Paginator(queries.team_goals(listed), 50).get_page(request.GET.get("page"))
    # Reading another person's goals is a read of their learning record.
    StaffRecordRead.objects.bulk_create(
        StaffRecordRead(
            reader=request.user,
            subject_id=owner_id,
            organisation_id=membership.organisation_id,
            what="learning:team_goals",
        )
        for owner_id in {goal.owner_id for goal in page}
    )
    return render(
        request,
        "learning/team_goals.html",
        {
            "page": page,
            "counts": queries.goal_counts(goals_qs),
            "overdue_only": overdue_only,
            "today": timezone.localdate(),
            "section": "team",
        },
    )
