"""jobbLOOP gatherings: the kick-off gathering with its invitations and attendance, the grid
of interest marks between candidates and employers, and the formation that seats the candidates
in the open loops (run, adjusted by hand, accepted).

Who: staff who follow participants in the organisation (counselors, coordinators, leaders);
administrators and portal users get a 403, another organisation's gathering a 404. The
invitations and proposals are shared work, but a participant is named only to those who may
open them (the participant door, `visible_to`); the others see "Candidate N"
(`queries.candidate_labels`), on the gathering and on its formation. What acts on a
participant goes through the same door or a counselor's proposal: the candidates one may
invite, whose attendance one may set, and the rows of the mark grid. The services check the
same door, so a forged form is a 404 that changes nothing.
"""

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samspill.core.forms import add_service_errors
from samspill.core.http import AuthedRequest
from samspill.employers.models import Employer, EmployerContact
from samspill.loops import formation, queries, services
from samspill.loops.explain import explain_seat, explain_waiting
from samspill.loops.forms import (
    AcceptForm,
    AttendanceForm,
    FormationForm,
    GatheringForm,
    InviteForm,
    ProposeForm,
    SwapForm,
)
from samspill.loops.models import (
    Gathering,
    GatheringInvitation,
    GatheringNomination,
    InterestMark,
    Loop,
    LoopSeat,
)
from samspill.organisations.models import Membership
from samspill.participants.models import Participant
from samspill.participants.views import require_follower


def _gathering(request: AuthedRequest, pk: int) -> tuple[Membership, Gathering]:
    membership = require_follower(request)
    return membership, get_object_or_404(queries.gatherings_in(membership.organisation_id), pk=pk)


# Gatherings


@login_required
@require_http_methods(["GET", "POST"])
def gathering_create(request: AuthedRequest) -> HttpResponse:
    membership = require_follower(request)
    form = GatheringForm(request.POST or None, loops=queries.loops_in(membership.organisation_id))
    if request.method == "POST" and form.is_valid():
        try:
            gathering = services.gathering_create(
                organisation=membership.organisation, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The gathering is planned."))
            return redirect("loops:gathering", pk=gathering.pk)
    return render(
        request, "loops/gathering_form.html", {"form": form}, status=400 if form.is_bound else 200
    )


def _open_loops(organisation_id: int) -> Any:
    """Loops nobody is seated in yet: the ones a formation can fill."""
    taken = LoopSeat.objects.filter(left_at__isnull=True, participant__isnull=False).values(
        "loop_id"
    )
    return queries.loops_in(organisation_id).exclude(pk__in=taken)


def _marks_axes(gathering: Gathering, user: Any) -> tuple[list[Participant], list[Employer]]:
    """The mark grid's rows (invited candidates not absent whom `user` may open, or whom their
    counselor proposed for the gathering) and columns
    (employers of the invited contacts and of the loops still open)."""
    candidates = list(
        queries.gathering_candidates(gathering, user)
        .filter(
            gathering_invitations__gathering=gathering,
        )
        .exclude(gathering_invitations__attendance=GatheringInvitation.Attendance.ABSENT)
        .order_by("given_name", "family_name", "id")
        .distinct()
    )
    employers = list(
        Employer.objects.filter(
            Q(contacts__gathering_invitations__gathering=gathering)
            | Q(loops__loop__in=_open_loops(gathering.organisation_id), loops__replaced_at=None)
        )
        .distinct()
        .order_by("name", "id")
    )
    return candidates, employers


def _gathering_page(
    request: AuthedRequest,
    membership: Membership,
    gathering: Gathering,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    candidates, employers = _marks_axes(gathering, request.user)
    # A name only where the viewer may open the participant; "Candidate N" otherwise.
    labels = queries.candidate_labels(gathering, request.user)
    marks = {
        (m.candidate_id, m.employer_id): m for m in InterestMark.objects.filter(gathering=gathering)
    }
    grid = [
        {
            "candidate": candidate,
            "label": labels.get(candidate.pk, candidate.full_name),
            "cells": [
                {"employer": employer, "mark": marks.get((candidate.pk, employer.pk))}
                for employer in employers
            ],
        }
        for candidate in candidates
    ]
    invited = list(
        GatheringInvitation.objects.filter(gathering=gathering).select_related("contact__employer")
    )
    for invitation in invited:
        contact = invitation.contact
        invitation.label = (  # type: ignore[attr-defined]
            f"{contact.name} ({contact.employer.name})"
            if contact is not None
            else labels.get(invitation.participant_id or 0, "")
        )
    organisation_id = membership.organisation_id
    open_loops = list(_open_loops(organisation_id))
    formation_form = extra.pop("formation_form", None) or FormationForm(
        loops=_open_loops(organisation_id), initial={"loops": open_loops}
    )
    nominations = list(
        GatheringNomination.objects.filter(gathering=gathering).select_related("nominated_by")
    )
    for nomination in nominations:
        nomination.label = labels.get(nomination.participant_id, "")  # type: ignore[attr-defined]
    invited_ids = [i.participant_id for i in invited if i.participant_id]
    context = {
        "gathering": gathering,
        "invitations": invited,
        # Whose attendance the user may set: the contacts', and the participants' they may open
        # or whom their counselor proposed for this gathering.
        "openable": set(
            queries.gathering_candidates(gathering, request.user)
            .filter(pk__in=invited_ids)
            .values_list("pk", flat=True)
        ),
        "invite_form": extra.pop("invite_form", None)
        or _invite_form(gathering, request.user, organisation_id, nominations, labels),
        "propose_form": extra.pop("propose_form", None)
        or ProposeForm(participants=_proposable(gathering, request.user)),
        "proposed": nominations,
        "invited_ids": set(invited_ids),
        "employers": employers,
        "grid": grid,
        "marks": InterestMark.Mark.choices,
        "attendance_choices": GatheringInvitation.Attendance.choices,
        "formation_form": formation_form,
        # No loop with free seats: say so and where to make one, not an empty form.
        "has_open_loops": bool(open_loops),
        **extra,
    }
    return render(request, "loops/gathering_detail.html", context, status=status)


@login_required
@require_GET
def gathering_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    membership, gathering = _gathering(request, pk)
    return _gathering_page(request, membership, gathering)


def _invite_form(
    gathering: Gathering,
    user: Any,
    organisation_id: int,
    nominations: list[GatheringNomination],
    labels: dict[int, str],
    data: Any = None,
) -> InviteForm:
    """Candidates: participants the user may open or whom their counselor proposed for this
    gathering, who sit in no loop now and are not invited yet; and the employers' contacts."""
    return InviteForm(
        data,
        participants=queries.not_seated(queries.gathering_candidates(gathering, user))
        .exclude(gathering_invitations__gathering=gathering)
        .order_by("given_name", "family_name", "id"),
        contacts=EmployerContact.objects.filter(
            employer__organisation_id=organisation_id, is_active=True
        )
        .exclude(gathering_invitations__gathering=gathering)
        .select_related("employer")
        .order_by("employer__name", "name"),
        proposed_by={n.participant_id: n.nominated_by.full_name for n in nominations},
        labels=labels,
    )


def _proposable(gathering: Gathering, user: Any) -> Any:
    """The user's own participants they could propose: in no loop, not invited or proposed."""
    return (
        queries.not_seated(Participant.objects.visible_to(user))
        .exclude(gathering_invitations__gathering=gathering)
        .exclude(gathering_nominations__gathering=gathering)
        .order_by("given_name", "family_name", "id")
    )


@login_required
@require_POST
def gathering_invite(request: AuthedRequest, pk: int) -> HttpResponse:
    membership, gathering = _gathering(request, pk)
    form = _invite_form(
        gathering,
        request.user,
        membership.organisation_id,
        list(
            GatheringNomination.objects.filter(gathering=gathering).select_related("nominated_by")
        ),
        queries.candidate_labels(gathering, request.user),
        data=request.POST,
    )
    if form.is_valid():
        chosen = form.cleaned_data
        if not chosen["participants"] and not chosen["contacts"]:
            form.add_error(None, _("Choose at least one candidate or contact to invite."))
        else:
            try:
                for participant in chosen["participants"]:
                    services.gathering_invite(
                        gathering=gathering, by=request.user, participant=participant
                    )
                for contact in chosen["contacts"]:
                    services.gathering_invite(gathering=gathering, by=request.user, contact=contact)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Invited."))
                return redirect("loops:gathering", pk=gathering.pk)
    return _gathering_page(request, membership, gathering, 400, invite_form=form)


@login_required
@require_POST
def gathering_propose(request: AuthedRequest, pk: int) -> HttpResponse:
    """A counselor proposes their participants; the gathering's organisers invite them."""
    membership, gathering = _gathering(request, pk)
    form = ProposeForm(request.POST, participants=_proposable(gathering, request.user))
    if form.is_valid():
        try:
            with transaction.atomic():
                for participant in form.cleaned_data["participants"]:
                    services.gathering_nominate(
                        gathering=gathering, by=request.user, participant=participant
                    )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Proposed: the organisers can now invite them to the gathering.")
            )
            return redirect("loops:gathering", pk=gathering.pk)
    return _gathering_page(request, membership, gathering, 400, propose_form=form)


@login_required
@require_POST
def invitation_attendance(request: AuthedRequest, pk: int, invitation_pk: int) -> HttpResponse:
    _membership, gathering = _gathering(request, pk)
    invitation = get_object_or_404(GatheringInvitation, gathering=gathering, pk=invitation_pk)
    form = AttendanceForm(request.POST)
    if form.is_valid():
        services.invitation_attendance_set(
            invitation=invitation, by=request.user, attendance=form.cleaned_data["attendance"]
        )
    return redirect("loops:gathering", pk=gathering.pk)


def _mark(value: str | None) -> int | None:
    return int(value) if value in {"0", "1", "2"} else None


@login_required
@require_POST
def marks_save(request: AuthedRequest, pk: int) -> HttpResponse:
    """The whole mark grid at once; a pair changes only where something changed."""
    _membership, gathering = _gathering(request, pk)
    candidates, employers = _marks_axes(gathering, request.user)
    existing = {
        (m.candidate_id, m.employer_id): m for m in InterestMark.objects.filter(gathering=gathering)
    }
    changed = 0
    try:
        for candidate in candidates:
            for employer in employers:
                key = f"{candidate.pk}-{employer.pk}"
                fields: dict[str, Any] = {
                    "employer_mark": _mark(request.POST.get(f"e-{key}")),
                    "candidate_mark": _mark(request.POST.get(f"c-{key}")),
                    "is_forbidden": request.POST.get(f"f-{key}") == "on",
                    "forbidden_reason": request.POST.get(f"r-{key}", "").strip()[:300],
                }
                mark = existing.get((candidate.pk, employer.pk))
                if mark is None:
                    if (
                        fields["employer_mark"] is None
                        and fields["candidate_mark"] is None
                        and not fields["is_forbidden"]
                    ):
                        continue
                    diff = fields
                else:
                    diff = {k: v for k, v in fields.items() if getattr(mark, k) != v}
                if diff:
                    services.interest_mark_set(
                        gathering=gathering,
                        by=request.user,
                        candidate=candidate,
                        employer=employer,
                        **diff,
                    )
                    changed += 1
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Marks saved (%(count)s changed).") % {"count": changed})
    return redirect("loops:gathering", pk=gathering.pk)


# The formation


def _names(
    gathering: Gathering, user: Any, loops: list[Loop], instance: formation.Instance
) -> dict[str, str]:
    """What the formation page calls each key: loops and employers by name, and each candidate
    by name only where `user` may open them ("Candidate N" otherwise, as on the gathering)."""
    names = {f"L{loop.pk}": loop.name for loop in loops}
    employer_ids = [int(e[1:]) for loop in instance.loops for e in loop.employers]
    for pk, name in Employer.objects.filter(pk__in=employer_ids).values_list("pk", "name"):
        names[f"E{pk}"] = name
    for pk, label in queries.candidate_labels(gathering, user).items():
        names[f"P{pk}"] = label
    return names


def _formation_page(
    request: AuthedRequest,
    gathering: Gathering,
    loops: list[Loop],
    seating: dict[str, Any],
    status: int = 200,
    swap_form: SwapForm | None = None,
) -> HttpResponse:
    instance = formation.parse_instance(queries.formation_data(gathering=gathering, loops=loops))
    names = _names(gathering, request.user, loops, instance)
    seats = [
        formation.Seat(
            candidate=s["candidate"],
            loop=s["loop"],
            order=tuple(s["order"]),
            value=instance.value(s["candidate"], s["order"]),
        )
        for s in seating["seats"]
    ]
    by_loop = []
    for loop in loops:
        key = f"L{loop.pk}"
        by_loop.append(
            {
                "loop": loop,
                "seats": [
                    {
                        "key": seat.candidate,
                        "name": names.get(seat.candidate, seat.candidate),
                        "order": [names.get(e, e) for e in seat.order],
                        "value": seat.value,
                        "why": explain_seat(instance, seat, names),
                    }
                    for seat in seats
                    if seat.loop == key
                ],
            }
        )
    seating["loops"] = [loop.pk for loop in loops]
    encoded = json.dumps(seating)
    choices = [(s.candidate, names.get(s.candidate, s.candidate)) for s in seats]
    objective = sum(s.value for s in seats)
    return render(
        request,
        "loops/formation.html",
        {
            "gathering": gathering,
            "by_loop": by_loop,
            "objective": objective,
            "bound": seating.get("bound"),
            # How far below the best possible total the seating may be (not proven optimal).
            "gap": 100 * (seating["bound"] - objective) / seating["bound"]
            if seating.get("bound")
            else 0,
            "seated": len(seats),
            "waiting": [
                {"name": names.get(c, c), "why": explain_waiting(instance, c, names)}
                for c in seating["waiting"]
            ],
            "status": seating.get("status", ""),
            "accept_form": AcceptForm(initial={"seating": encoded}),
            "swap_form": swap_form or SwapForm(initial={"seating": encoded}),
            "candidates": choices,
        },
        status=status,
    )


@login_required
@require_POST
def formation_run(request: AuthedRequest, pk: int) -> HttpResponse:
    membership, gathering = _gathering(request, pk)
    form = FormationForm(request.POST, loops=_open_loops(membership.organisation_id))
    if not form.is_valid():
        return _gathering_page(request, membership, gathering, 400, formation_form=form)
    loops = list(form.cleaned_data["loops"].order_by("id"))
    instance = formation.parse_instance(queries.formation_data(gathering=gathering, loops=loops))
    result = formation.seat(instance)
    seating = result.as_dict() | {"status": result.status.value, "bound": result.bound}
    return _formation_page(request, gathering, loops, seating)


def _seating_from(
    request: HttpRequest, membership: Membership, raw: str
) -> tuple[list[Loop], dict[str, Any]]:
    try:
        seating = json.loads(raw)
        loop_ids = [int(pk) for pk in seating["loops"]]
        seats = [
            {
                "candidate": str(s["candidate"]),
                "loop": str(s["loop"]),
                "order": [str(e) for e in s["order"]],
            }
            for s in seating["seats"]
        ]
        waiting = [str(c) for c in seating["waiting"]]
        bound = None if seating.get("bound") is None else int(seating["bound"])
    except (ValueError, KeyError, TypeError):
        raise BadRequest from None
    loops = list(_open_loops(membership.organisation_id).filter(pk__in=loop_ids).order_by("id"))
    if len(loops) != len(set(loop_ids)):
        raise BadRequest
    return loops, {
        "seats": seats,
        "waiting": waiting,
        "status": seating.get("status", ""),
        "bound": bound,
    }


@login_required
@require_POST
def formation_swap(request: AuthedRequest, pk: int) -> HttpResponse:
    """Adjust by hand: two candidates in one loop exchange rows (the square stays Latin)."""
    membership, gathering = _gathering(request, pk)
    form = SwapForm(request.POST)
    if not form.is_valid():
        raise BadRequest
    loops, seating = _seating_from(request, membership, form.cleaned_data["seating"])
    seats = {s["candidate"]: s for s in seating["seats"]}
    first = seats.get(form.cleaned_data["first"])
    second = seats.get(form.cleaned_data["second"])
    if first is None or second is None or first is second or first["loop"] != second["loop"]:
        messages.error(request, _("Choose two candidates in the same loop."))
        return _formation_page(request, gathering, loops, seating, 400)
    first["order"], second["order"] = second["order"], first["order"]
    seating["status"] = "adjusted"
    messages.success(request, _("The two exchanged rows."))
    return _formation_page(request, gathering, loops, seating)


@login_required
@require_POST
def formation_accept(request: AuthedRequest, pk: int) -> HttpResponse:
    """Seat the formation: each loop's seats, and each cell a draft placement."""
    membership, gathering = _gathering(request, pk)
    form = AcceptForm(request.POST)
    if not form.is_valid():
        raise BadRequest
    loops, seating = _seating_from(request, membership, form.cleaned_data["seating"])
    try:
        services.formation_accept(
            gathering=gathering, loops=loops, seats=seating["seats"], by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _formation_page(request, gathering, loops, seating, 400)
    messages.success(request, _("The formation is accepted; the placements are drafted."))
    return redirect("loops:detail", pk=loops[0].pk) if loops else redirect("loops:list")
