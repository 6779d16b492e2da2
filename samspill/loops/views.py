"""jobbLOOP pages: loops and their grid, the driver's view, the annual wheel, and calendar feeds
(the wheel's events at a secret address). Gatherings and the formation are in
views_gatherings.py.

Who: staff who follow participants in the organisation (counselors, coordinators, leaders);
administrators and portal users get a 403, another organisation's loop a 404. A loop is shared
work: every such member sees its employers, mentors and the names of its seated participants
with their periods. Anything from a case record (a placement's page, concerns, outcomes per
person, the waiting list) goes through the participant door (`visible_to`), and so does every
action on a seated participant: making one leave whom the user may not open is a 404 that
changes nothing (`services._may_open`). The calendar page
is also for mentors and participants with their own login (their own feed).
"""

from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samspill.core.forms import add_service_errors
from samspill.core.http import AuthedRequest
from samspill.employers.models import Employer, EmployerContact
from samspill.loops import ical, queries, services
from samspill.loops.forms import (
    FillSeatForm,
    LeaveSeatForm,
    LoopCreateForm,
    MentorForm,
    ReplaceEmployerForm,
)
from samspill.loops.models import CalendarFeed, Gathering, Loop, LoopEmployer, LoopSeat
from samspill.loops.queries import Period
from samspill.loops.wheel import (
    COLOURS,
    KIND_LABELS,
    TODAY_COLOUR,
    legend,
    loop_wheel,
    wheel_svg,
)
from samspill.organisations.models import Membership, Organisation
from samspill.organisations.queries import staff_who_follow
from samspill.participants.views import require_follower
from samspill.placements.models import Placement
from samspill.portal.permissions import portal_contact, portal_participant


def _loop(request: AuthedRequest, pk: int) -> tuple[Membership, Loop]:
    membership = require_follower(request)
    return membership, get_object_or_404(queries.loops_in(membership.organisation_id), pk=pk)


def _employers(membership: Membership) -> Any:
    return Employer.objects.filter(organisation_id=membership.organisation_id).order_by("name")


def _mentors(employer_ids: Any) -> Any:
    return (
        EmployerContact.objects.filter(employer_id__in=employer_ids, is_mentor=True, is_active=True)
        .select_related("employer")
        .order_by("employer__name", "name")
    )


# Loops


@login_required
@require_GET
def loop_list(request: AuthedRequest) -> HttpResponse:
    membership = require_follower(request)
    loops = list(queries.loops_in(membership.organisation_id))
    gatherings = list(queries.gatherings_in(membership.organisation_id)[:20])
    return render(
        request,
        "loops/loop_list.html",
        {
            "loops": loops,
            "gatherings": gatherings,
            "outcomes": queries.outcomes_across(loops),
            "staying": queries.employers_staying_on(loops),
        },
    )


@login_required
@require_GET
def driver(request: AuthedRequest) -> HttpResponse:
    """The driver's view: the loops they drive, their employers and mentors, and counts."""
    membership = require_follower(request)
    loops = list(queries.loops_in(membership.organisation_id).filter(driver=request.user))
    members = (
        LoopEmployer.objects.filter(loop__in=loops, replaced_at__isnull=True)
        .select_related("employer", "mentor", "loop")
        .order_by("employer__name", "loop__start_date")
    )
    return render(
        request,
        "loops/driver.html",
        {
            "loops": loops,
            "members": members,
            "outcomes": queries.outcomes_across(loops),
            "staying": queries.employers_staying_on(loops),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def loop_create(request: AuthedRequest) -> HttpResponse:
    membership = require_follower(request)
    memberships = staff_who_follow(membership.organisation_id)
    employers = _employers(membership)
    mine = memberships.filter(user=request.user).first()
    form = LoopCreateForm(
        request.POST or None,
        memberships=memberships,
        employers=employers,
        mentors=_mentors(employers.values("pk")),
        initial={"driver": mine, "counselor": mine},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            loop = services.loop_create(
                organisation=membership.organisation,
                by=request.user,
                name=data["name"],
                driver=data["driver"].user,
                counselor=data["counselor"].user,
                start_date=data["start_date"],
                period_months=data["period_months"],
                employers=list(data["employers"]),
                mentors=list(data["mentors"]),
                min_age=data["min_age"],
                max_age=data["max_age"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s was created.") % {"name": loop.name})
            return redirect("loops:detail", pk=loop.pk)
    return render(
        request, "loops/loop_form.html", {"form": form}, status=400 if form.is_bound else 200
    )


def _loop_page(
    request: AuthedRequest, membership: Membership, loop: Loop, status: int = 200, **forms: Any
) -> HttpResponse:
    if status != 200:
        loop.refresh_from_db()  # a refused change shows the loop as it is now
    grid = queries.loop_grid(loop)
    cells = queries.loop_cells(loop)
    seated = [row.seat.participant_id for row in grid.rows if row.seat.participant_id]
    visible = queries.visible_participant_ids(request.user, seated)
    outcomes = queries.participant_outcomes(loop, seated)
    rows = []
    for row in grid.rows:
        participant_id = row.seat.participant_id
        rows.append(
            {
                "seat": row.seat,
                "visible": participant_id in visible,
                "outcome": Placement.Outcome(outcomes[participant_id]).label
                if participant_id in visible and participant_id in outcomes
                else "",
                "cells": [
                    {"member": member, "placement": cells.get((row.seat.row, period))}
                    for period, member in enumerate(row.visits)
                ],
            }
        )
    members = sorted(
        {m.pk: m for row in grid.rows for m in row.visits}.values(), key=lambda m: m.column
    )
    empty = [(r.seat.row, str(r.seat.row + 1)) for r in grid.rows if not r.seat.participant_id]
    # Only a participant the user may open can be made to leave (the service checks it too).
    taken = [
        (r.seat.row, str(r.seat.row + 1)) for r in grid.rows if r.seat.participant_id in visible
    ]
    current = Employer.objects.filter(pk__in=[m.employer_id for m in members])
    context = {
        "loop": loop,
        "grid": grid,
        "periods": _periods_with_gatherings(loop, grid.periods),
        "rows": rows,
        "members": members,
        "concerns": queries.loop_concerns(loop, visible),
        "fill_form": forms.get("fill_form")
        or FillSeatForm(
            rows=empty,
            candidates=queries.waiting_list(loop, request.user),
            revision=loop.revision,
        ),
        "leave_form": forms.get("leave_form") or LeaveSeatForm(rows=taken, revision=loop.revision),
        "replace_form": forms.get("replace_form")
        or ReplaceEmployerForm(
            current=current,
            employers=_employers(membership).exclude(pk__in=current),
            revision=loop.revision,
        ),
        "mentor_forms": _mentor_forms(loop, members, forms.get("mentor_form")),
        "has_empty": bool(empty),
        "has_taken": bool(taken),
    }
    return render(request, "loops/loop_detail.html", context, status=status)


def _mentor_forms(
    loop: Loop, members: list[LoopEmployer], sent: MentorForm | None
) -> list[tuple[LoopEmployer, MentorForm, list[EmployerContact]]]:
    """One form per employer of the loop, each offering that employer's mentors; the one sent
    (refused) keeps its input and errors. One query."""
    mentors = list(_mentors([m.employer_id for m in members]))
    forms = []
    for member in members:
        own = [m for m in mentors if m.employer_id == member.employer_id]
        if sent is not None and sent.data.get("employer") == str(member.employer_id):
            form = sent
        else:
            form = MentorForm(
                mentors=_mentors([member.employer_id]),
                revision=loop.revision,
                initial={"mentor": member.mentor_id},
            )
        forms.append((member, form.for_employer(member.employer, own), own))
    return forms


def _periods_with_gatherings(loop: Loop, periods: Sequence[Period]) -> list[dict[str, Any]]:
    """Each period with the gathering that opens it, where one is recorded: the loop's
    kick-off for the first, the rotation change on its first day for the others. One query."""
    gatherings = Gathering.objects.filter(
        loop=loop, kind__in=[Gathering.Kind.KICK_OFF, Gathering.Kind.ROTATION]
    ).order_by("date", "id")
    kick_off = next((g for g in gatherings if g.kind == Gathering.Kind.KICK_OFF), None)
    rotations = {g.date: g for g in gatherings if g.kind == Gathering.Kind.ROTATION}
    return [
        {
            "start": period.start,
            "end": period.end,
            "gathering": kick_off if number == 0 else rotations.get(period.start),
        }
        for number, period in enumerate(periods)
    ]


@login_required
@require_GET
def loop_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    membership, loop = _loop(request, pk)
    return _loop_page(request, membership, loop)


def _rows_of(loop: Loop, *, taken: bool) -> list[tuple[int, str]]:
    seats = LoopSeat.objects.filter(
        loop=loop, left_at__isnull=True, participant__isnull=not taken
    ).order_by("row")
    return [(seat.row, str(seat.row + 1)) for seat in seats]


@login_required
@require_POST
def seat_fill(request: AuthedRequest, pk: int) -> HttpResponse:
    membership, loop = _loop(request, pk)
    form = FillSeatForm(
        request.POST,
        rows=_rows_of(loop, taken=False),
        candidates=queries.waiting_list(loop, request.user),
    )
    if form.is_valid():
        try:
            services.loop_seat_fill(
                loop=loop,
                row=form.cleaned_data["row"],
                participant=form.cleaned_data["participant"],
                by=request.user,
                revision=form.cleaned_data["revision"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The seat is filled; its placements are drafted."))
            return redirect("loops:detail", pk=loop.pk)
    return _loop_page(request, membership, loop, 400, fill_form=form)


@login_required
@require_POST
def seat_leave(request: AuthedRequest, pk: int) -> HttpResponse:
    membership, loop = _loop(request, pk)
    form = LeaveSeatForm(request.POST, rows=_rows_of(loop, taken=True))
    if form.is_valid():
        try:
            services.loop_seat_leave(
                loop=loop,
                row=form.cleaned_data["row"],
                by=request.user,
                reason=form.cleaned_data["reason"],
                revision=form.cleaned_data["revision"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The seat is empty and can be filled from the waiting list.")
            )
            return redirect("loops:detail", pk=loop.pk)
    return _loop_page(request, membership, loop, 400, leave_form=form)


@login_required
@require_POST
def employer_replace(request: AuthedRequest, pk: int) -> HttpResponse:
    membership, loop = _loop(request, pk)
    current = Employer.objects.filter(loops__loop=loop, loops__replaced_at__isnull=True)
    form = ReplaceEmployerForm(
        request.POST, current=current, employers=_employers(membership).exclude(pk__in=current)
    )
    if form.is_valid():
        try:
            services.loop_employer_replace(
                loop=loop,
                old=form.cleaned_data["old"],
                new=form.cleaned_data["new"],
                by=request.user,
                revision=form.cleaned_data["revision"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The new employer takes over the column."))
            return redirect("loops:detail", pk=loop.pk)
    return _loop_page(request, membership, loop, 400, replace_form=form)


@login_required
@require_POST
def mentor_set(request: AuthedRequest, pk: int) -> HttpResponse:
    membership, loop = _loop(request, pk)
    current = LoopEmployer.objects.filter(loop=loop, replaced_at__isnull=True).values("employer_id")
    form = MentorForm(request.POST, mentors=_mentors(current))
    if form.is_valid():
        mentor = form.cleaned_data["mentor"]
        try:
            services.loop_employer_set_mentor(
                loop=loop,
                employer=mentor.employer,
                by=request.user,
                mentor=mentor,
                revision=form.cleaned_data["revision"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The mentor is set."))
            return redirect("loops:detail", pk=loop.pk)
    return _loop_page(request, membership, loop, 400, mentor_form=form)


@login_required
@require_GET
def wheel(request: AuthedRequest, pk: int) -> HttpResponse:
    _membership, loop = _loop(request, pk)
    the_wheel = loop_wheel(loop)
    # A follow-up names its participant only for those who may see the participant.
    named = queries.visible_participant_ids(
        request.user, [e.participant_id for e in the_wheel.events if e.participant_id]
    )
    today = timezone.localdate()
    events: list[dict[str, Any]] = [
        {
            "date": e.date,
            "kind": e.kind,
            "colour": COLOURS[e.kind],
            "kind_label": KIND_LABELS[e.kind],
            "title": e.title_for(name_visible=e.participant_id in named),
            "place": e.place,
        }
        for e in the_wheel.events
    ]
    # Today as a row of its own where it falls, so the table also says where the loop stands.
    at = next((i for i, e in enumerate(events) if e["date"] > today), len(events))
    events.insert(at, {"date": today, "kind": "today", "colour": TODAY_COLOUR})
    return render(
        request,
        "loops/wheel.html",
        {
            "loop": loop,
            "wheel": the_wheel,
            "events": events,
            "legend": legend(the_wheel),
            # Built from our own strings, each escaped in wheel_svg.
            "svg": mark_safe(wheel_svg(the_wheel, named=named, today=today)),
            "feeds": CalendarFeed.objects.filter(loop=loop, revoked_at__isnull=True),
        },
    )


# Calendar feeds


def _feed_owner_kind(request: AuthedRequest) -> str | None:
    """Who may have a personal feed: staff who follow participants, a mentor or contact with a
    declaration, or a participant with their own login."""
    membership = request.membership
    if membership:
        return "staff" if membership.follows_participants else None
    contact = portal_contact(request.user)
    if contact is not None:
        return "mentor" if contact.has_declaration else None
    return "participant" if portal_participant(request.user) is not None else None


def _feed_organisation_id(request: AuthedRequest) -> int:
    if request.membership:
        return request.membership.organisation_id
    contact = portal_contact(request.user)
    if contact is not None:
        return contact.employer.organisation_id
    participant = portal_participant(request.user)
    assert participant is not None
    return participant.organisation_id


@login_required
@require_http_methods(["GET", "POST"])
def calendar(request: AuthedRequest) -> HttpResponse:
    """Your calendar addresses: your own feed, and (staff) the loops' feeds you made."""
    if _feed_owner_kind(request) is None:
        raise PermissionDenied
    organisation_id = _feed_organisation_id(request)
    if request.method == "POST":
        loop = None
        if request.POST.get("loop"):
            if not request.membership:
                raise PermissionDenied
            loop = get_object_or_404(queries.loops_in(organisation_id), pk=request.POST["loop"])
        services.calendar_feed_create(
            organisation=Organisation.objects.get(pk=organisation_id), by=request.user, loop=loop
        )
        messages.success(request, _("A new calendar address is ready."))
        if loop is not None:
            return redirect("loops:wheel", pk=loop.pk)
        return redirect("loops:calendar")
    feeds = CalendarFeed.objects.filter(owner=request.user, revoked_at__isnull=True).select_related(
        "loop"
    )
    return render(request, "loops/calendar.html", {"feeds": feeds})


@login_required
@require_POST
def calendar_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    """The owner revokes a feed; staff may also revoke any loop feed of their organisation."""
    feed = CalendarFeed.objects.filter(pk=pk, revoked_at__isnull=True).first()
    if feed is None:
        raise Http404
    membership = request.membership
    staff_may = bool(
        membership
        and membership.follows_participants
        and feed.kind == CalendarFeed.Kind.LOOP
        and feed.organisation_id == membership.organisation_id
    )
    if feed.owner_id != request.user.pk and not staff_may:
        raise Http404
    services.calendar_feed_revoke(feed=feed, by=request.user)
    messages.success(request, _("The calendar address no longer works."))
    if feed.loop_id is not None and membership:
        return redirect("loops:wheel", pk=feed.loop_id)
    return redirect("loops:calendar")


@require_GET
def ical_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The calendar at its secret address; no login (phones cannot log in). 404 when revoked."""
    feed = (
        CalendarFeed.objects.filter(token=token, revoked_at__isnull=True)
        .select_related("owner", "loop")
        .first()
    )
    if feed is None:
        raise Http404
    body = ical.feed_read(feed, what=f"calendar feed {feed.pk}")
    if body is None:
        raise Http404
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
