"""The learning programme's pages: programmes with modules and sessions, enrolment, attendance,
reflections after each session, material, and iCal (a session's file and one's own feed)."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from samspill.accounts.models import User
from samspill.core.forms import add_service_errors
from samspill.core.http import AuthedRequest
from samspill.learning import programme_services as services
from samspill.learning.forms import ShareForm
from samspill.learning.models import (
    Network,
    ProgrammeEnrolment,
    ProgrammeModule,
    ProgrammeSession,
    Reflection,
    SessionAttendance,
    SessionCalendar,
    SessionMaterial,
)
from samspill.learning.permissions import is_platform_mentor, methods_visible_to
from samspill.learning.programme_forms import (
    EnrolForm,
    LookBackForm,
    MaterialForm,
    ModuleForm,
    ProgrammeForm,
    ReflectionForm,
    SessionForm,
)
from samspill.learning.programme_ical import sessions_ical
from samspill.learning.programme_permissions import (
    enrolled_users,
    log_reads,
    may_manage_session,
    may_run_programmes,
    my_sessions,
    programmes_visible_to,
    reflections_visible_to,
    sessions_visible_to,
)
from samspill.learning.views import staff_only
from samspill.organisations.models import Membership, Team


def _membership(request: AuthedRequest) -> Membership:
    membership = request.membership
    assert membership is not None  # staff_only
    return membership


def _staff(organisation_id: int) -> QuerySet[User]:
    return User.objects.filter(
        memberships__organisation_id=organisation_id, memberships__is_active=True
    ).order_by("full_name", "pk")


def _sessions(qs: QuerySet[ProgrammeSession]) -> QuerySet[ProgrammeSession]:
    return qs.select_related("module__programme", "facilitator")


def _session(request: AuthedRequest, pk: int) -> ProgrammeSession:
    return get_object_or_404(_sessions(sessions_visible_to(request.user)), pk=pk)


def _session_form(request: AuthedRequest, data: Any, **kwargs: Any) -> SessionForm:
    organisation_id = _membership(request).organisation_id
    return SessionForm(
        data,
        methods=methods_visible_to(request.user).order_by("title", "id"),
        staff=_staff(organisation_id),
        **kwargs,
    )


# --- Programmes ----------------------------------------------------------------------------


@staff_only
@require_http_methods(["GET", "POST"])
def programmes(request: AuthedRequest) -> HttpResponse:
    """My sessions (coming and past, with my reflection) and the programmes I see; those who
    run programmes create them here."""
    membership = _membership(request)
    runs = may_run_programmes(request.user, membership)
    form = ProgrammeForm(request.POST or None) if runs else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                programme = services.programme_create(
                    by=request.user,
                    title=form.cleaned_data["title"],
                    description=form.cleaned_data["description"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The programme was created. Add its modules."))
                return redirect("learning:programme", pk=programme.pk)
    now = timezone.now()
    mine = _sessions(my_sessions(request.user)).prefetch_related(
        Prefetch(
            "reflections",
            queryset=Reflection.objects.filter(author=request.user),
            to_attr="my_reflections",
        ),
        Prefetch(
            "attendance",
            queryset=SessionAttendance.objects.filter(user=request.user),
            to_attr="my_attendance",
        ),
    )
    coming = list(mine.filter(ends_at__gte=now).order_by("starts_at", "id")[:20])
    past = list(mine.filter(ends_at__lt=now).order_by("-starts_at", "-id")[:20])
    listed = (
        programmes_visible_to(request.user)
        .annotate(session_count=Count("modules__sessions", distinct=True))
        .order_by("title", "id")
    )
    return render(
        request,
        "learning/programmes.html",
        {
            "coming": coming,
            "past": past,
            "programmes": listed,
            "form": form,
            "runs": runs,
            "calendar": SessionCalendar.objects.filter(
                owner=request.user, revoked_at__isnull=True
            ).first(),
            "section": "programme",
        },
        status=400 if form is not None and form.errors else 200,
    )


@staff_only
@require_http_methods(["GET", "POST"])
def programme_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    membership = _membership(request)
    programme = get_object_or_404(programmes_visible_to(request.user), pk=pk)
    runs = may_run_programmes(request.user, membership)
    action = request.POST.get("action", "")
    posted = request.POST if request.method == "POST" else None
    edit_form = ProgrammeForm(posted if action == "edit" else None, instance=programme)
    module_form = ModuleForm(posted if action == "module" else None)
    teams = Team.objects.filter(organisation_id=programme.organisation_id).order_by("name")
    enrol_form = EnrolForm(
        posted if action == "enrol" else None,
        teams=teams,
        staff=_staff(programme.organisation_id),
    )
    if request.method == "POST":
        if not runs:
            raise PermissionDenied
        try:
            if action == "edit" and edit_form.is_valid():
                data = dict(edit_form.cleaned_data)
                services.programme_update(
                    programme=programme, by=request.user, revision=data.pop("revision"), **data
                )
                messages.success(request, _("The programme was saved."))
                return redirect("learning:programme", pk=pk)
            if action == "module" and module_form.is_valid():
                services.module_add(
                    programme=programme, by=request.user, **module_form.cleaned_data
                )
                messages.success(request, _("The module was added."))
                return redirect("learning:programme", pk=pk)
            if action == "enrol" and enrol_form.is_valid():
                count = services.enrolment_add(
                    programme=programme, by=request.user, **enrol_form.cleaned_data
                )
                messages.success(request, _("Enrolments added: %(n)d.") % {"n": count})
                return redirect("learning:programme", pk=pk)
            if action == "unenrol":
                chosen = request.POST.get("enrolment", "")
                enrolment = get_object_or_404(
                    ProgrammeEnrolment,
                    programme=programme,
                    pk=int(chosen) if chosen.isdigit() else 0,
                )
                services.enrolment_remove(enrolment=enrolment, by=request.user)
                messages.success(request, _("The enrolment was removed."))
                return redirect("learning:programme", pk=pk)
            if action not in {"edit", "module", "enrol"}:
                raise PermissionDenied
        except ValidationError as error:
            form = {"edit": edit_form, "module": module_form, "enrol": enrol_form}[action]
            add_service_errors(form, error)
    modules = ProgrammeModule.objects.filter(programme=programme).prefetch_related(
        Prefetch(
            "sessions",
            queryset=ProgrammeSession.objects.select_related("facilitator").order_by(
                "starts_at", "id"
            ),
        )
    )
    enrolments = (
        list(ProgrammeEnrolment.objects.filter(programme=programme).select_related("team", "user"))
        if runs
        else []
    )
    # The people enrolled one by one are named: a read of their learning record.
    log_reads(
        reader=request.user,
        organisation_id=membership.organisation_id,
        subjects=[e.user_id for e in enrolments if e.user_id is not None],
        what="learning:programme_enrolments",
    )
    return render(
        request,
        "learning/programme.html",
        {
            "programme": programme,
            "modules": modules,
            "runs": runs,
            "enrolments": enrolments,
            "enrolled_count": enrolled_users(programme).count() if runs else None,
            "edit_form": edit_form,
            "module_form": module_form,
            "enrol_form": enrol_form,
            "share_form": ShareForm(
                networks=Network.objects.filter(organisations=programme.organisation_id),
                initial={"network": programme.shared_with_id},
            )
            if is_platform_mentor(request.user, programme.organisation_id)
            else None,
            "now": timezone.now(),
            "section": "programme",
        },
        status=400 if request.method == "POST" else 200,
    )


@staff_only
@require_http_methods(["GET", "POST"])
def session_add(request: AuthedRequest, pk: int) -> HttpResponse:
    membership = _membership(request)
    if not may_run_programmes(request.user, membership):
        raise PermissionDenied
    module = get_object_or_404(
        ProgrammeModule.objects.select_related("programme").filter(
            programme__in=programmes_visible_to(request.user)
        ),
        pk=pk,
    )
    form = _session_form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_add(module=module, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The session was added."))
            return redirect("learning:session", pk=session.pk)
    return render(
        request,
        "learning/session_form.html",
        {"form": form, "module": module, "section": "programme"},
        status=400 if form.errors else 200,
    )


@staff_only
@require_http_methods(["GET", "POST"])
def session_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    membership = _membership(request)
    if not may_run_programmes(request.user, membership):
        raise PermissionDenied
    session = _session(request, pk)
    form = _session_form(
        request,
        request.POST or None,
        instance=session,
        initial={"methods": list(session.methods.values_list("pk", flat=True))},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        revision = data.pop("revision")
        try:
            services.session_update(session=session, by=request.user, revision=revision, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The session was saved."))
            return redirect("learning:session", pk=session.pk)
    return render(
        request,
        "learning/session_form.html",
        {"form": form, "module": session.module, "session": session, "section": "programme"},
        status=400 if form.errors else 200,
    )


@staff_only
@require_http_methods(["GET", "POST"])
def session_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """The session; for its facilitator (and those who run programmes) the attendance and
    material; for an attendee their own reflection; the facilitator reads reflections shared
    with them (each read logged)."""
    membership = _membership(request)
    session = _session(request, pk)
    manages = may_manage_session(request.user, session, membership)
    action = request.POST.get("action", "")
    posted = request.POST if request.method == "POST" else None
    attendance = {a.user_id: a for a in SessionAttendance.objects.filter(session=session)}
    mine = Reflection.objects.filter(session=session, author=request.user).first()
    present = bool(attendance.get(request.user.pk) and attendance[request.user.pk].present)
    reflection_form = ReflectionForm(posted if action == "reflection" else None, instance=mine)
    look_back_form = LookBackForm(posted if action == "look_back" else None)
    material_form = MaterialForm(
        posted if action == "material" else None,
        request.FILES if action == "material" else None,
    )
    error = ""
    if request.method == "POST":
        try:
            if action == "attendance":
                if not manages:
                    raise PermissionDenied
                ids = [int(v) for v in request.POST.getlist("present") if v.isdigit()]
                services.attendance_record(session=session, by=request.user, present=ids)
                messages.success(request, _("The attendance was saved."))
                return redirect("learning:session", pk=pk)
            if action == "material":
                if not manages:
                    raise PermissionDenied
                if material_form.is_valid():
                    services.material_add(
                        session=session, by=request.user, **material_form.cleaned_data
                    )
                    messages.success(request, _("The material was added."))
                    return redirect("learning:session", pk=pk)
            elif action == "reflection":
                if reflection_form.is_valid():
                    data = dict(reflection_form.cleaned_data)
                    services.reflection_write(session=session, by=request.user, **data)
                    messages.success(request, _("Your reflection was saved."))
                    return redirect("learning:session", pk=pk)
            elif action == "look_back":
                if mine is None:
                    raise Http404
                if look_back_form.is_valid():
                    services.reflection_look_back(
                        reflection=mine, by=request.user, note=look_back_form.cleaned_data["note"]
                    )
                    messages.success(request, _("Your look-back was saved."))
                    return redirect("learning:session", pk=pk)
            else:
                raise PermissionDenied
        except ValidationError as problem:
            form = {"reflection": reflection_form, "material": material_form}.get(action)
            if form is not None:
                add_service_errors(form, problem)
            else:
                error = " ".join(problem.messages)
    enrolled: list[User] = []
    shared: list[Reflection] = []
    if manages:
        enrolled = list(enrolled_users(session.module.programme).only("id", "full_name"))
        log_reads(
            reader=request.user,
            organisation_id=membership.organisation_id,
            subjects=[u.pk for u in enrolled if u.pk in attendance],
            what="learning:session_attendance",
        )
    if session.facilitator_id == request.user.pk:
        shared = list(
            reflections_visible_to(request.user)
            .filter(session=session, shared_with_facilitator=True)
            .exclude(author=request.user)
            .select_related("author")
            .order_by("author__full_name", "id")
        )
        log_reads(
            reader=request.user,
            organisation_id=membership.organisation_id,
            subjects=[r.author_id for r in shared],
            what="learning:session_reflections",
        )
    return render(
        request,
        "learning/session.html",
        {
            "session": session,
            "methods": session.methods.only("id", "title").order_by("title"),
            "materials": SessionMaterial.objects.filter(session=session),
            "manages": manages,
            "runs": may_run_programmes(request.user, membership),
            "started": session.starts_at <= timezone.now(),
            "enrolled": [(u, attendance.get(u.pk)) for u in enrolled],
            "present": present,
            "mine": mine,
            "reflection_form": reflection_form,
            "look_back_form": look_back_form,
            "material_form": material_form,
            "shared": shared,
            "error": error,
            "today": timezone.localdate(),
            "section": "programme",
        },
        status=400 if request.method == "POST" else 200,
    )


@staff_only
@require_GET
def material_file(request: AuthedRequest, pk: int) -> FileResponse:
    item = get_object_or_404(SessionMaterial, pk=pk)
    _session(request, item.session_id)
    return FileResponse(
        item.file.open("rb"), as_attachment=True, filename=item.file.name.rsplit("/", 1)[-1]
    )


@staff_only
@require_GET
def session_ics(request: AuthedRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    body = sessions_ical([session], name=session.title, site_url=settings.SITE_URL)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="session-{session.pk}.ics"'
    return response


# --- Reflections shared with me ------------------------------------------------------------


@staff_only
@require_GET
def reflections(request: AuthedRequest) -> HttpResponse:
    """My own reflections, and those others shared with me (as facilitator or leader)."""
    membership = _membership(request)
    visible = reflections_visible_to(request.user).select_related(
        "session__module__programme", "author"
    )
    own = list(visible.filter(author=request.user).order_by("-session__starts_at", "-id")[:50])
    others = list(
        visible.exclude(author=request.user)
        .filter(
            Q(session__facilitator=request.user, shared_with_facilitator=True)
            | Q(shared_with_leader=True)
        )
        .order_by("-session__starts_at", "author__full_name", "-id")[:50]
    )
    log_reads(
        reader=request.user,
        organisation_id=membership.organisation_id,
        subjects=[r.author_id for r in others],
        what="learning:shared_reflections",
    )
    return render(
        request,
        "learning/reflections.html",
        {
            "own": own,
            "others": others,
            "today": timezone.localdate(),
            "section": "reflections",
        },
    )


# --- My session calendar -------------------------------------------------------------------


@staff_only
@require_http_methods(["POST"])
def session_calendar(request: AuthedRequest) -> HttpResponse:
    """Make a new secret address (the old one stops working) or revoke it."""
    for old in SessionCalendar.objects.filter(owner=request.user, revoked_at__isnull=True):
        services.session_calendar_revoke(calendar=old, by=request.user)
    if request.POST.get("action") == "revoke":
        messages.success(request, _("The calendar address no longer works."))
    else:
        services.session_calendar_create(by=request.user)
        messages.success(request, _("A new calendar address is ready."))
    return redirect("learning:programmes")


@require_GET
def session_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The owner's sessions at the secret address; no login (phones cannot log in). 404 when
    revoked or when the owner no longer works in the organisation."""
    calendar = (
        SessionCalendar.objects.filter(token=token, revoked_at__isnull=True)
        .select_related("owner")
        .first()
    )
    if (
        calendar is None
        or not Membership.objects.filter(
            user=calendar.owner, organisation_id=calendar.organisation_id, is_active=True
        ).exists()
    ):
        raise Http404
    sessions = _sessions(my_sessions(calendar.owner)).order_by("starts_at", "id")
    body = sessions_ical(
        sessions,
        name=_("Learning programme: %(name)s") % {"name": calendar.owner.full_name},
        site_url=settings.SITE_URL,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
