"""Selecting employers for a loop (issue 22, item 2): the criteria the driver records per
employer (why this employer, what they offer, whether they can take a young person every
period) and each employer's history in earlier loops, shown side by side when choosing.

Who: the organisation's staff who follow participants, and the loop's external driver
(drivers.py); administrators, NAV's coordinator and portal users get a 403, another
organisation's loop is a 404. Nothing here names a participant: the history counts placements.
"""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.utils.translation import gettext as _

from samspill.accounts.models import User
from samspill.audit.services import audit_record
from samspill.core.revisions import check_revision, count_save
from samspill.employers.models import Employer
from samspill.loops import drivers, queries
from samspill.loops.models import EmployerSelection, Loop, LoopEmployer, LoopPlacement
from samspill.organisations.queries import membership_for_user

MAX_TEXT = 2000


def selection_loop(user: Any, pk: int) -> Loop:
    """The loop `user` may choose employers for, or 403/404 (the door of this module)."""
    membership = membership_for_user(user)
    if membership is not None:
        if not membership.follows_participants:
            raise PermissionDenied
        loop = queries.loops_in(membership.organisation_id).filter(pk=pk).first()
    else:
        partner = drivers.loop_partner(user)
        if partner is None or not partner.is_driver:
            raise PermissionDenied
        loop = drivers.partner_loops(partner).filter(pk=pk).first()
    if loop is None:
        raise Http404
    return loop


@dataclass
class PastLoop:
    loop_id: int
    name: str
    start_date: Any
    replaced: bool
    placements: int


@dataclass
class EmployerRow:
    employer: Employer
    in_loop: bool
    selection: EmployerSelection | None
    history: list[PastLoop] = field(default_factory=list)


def selection_rows(loop: Loop) -> list[EmployerRow]:
    """The loop's current employers (with their criteria), then the organisation's other
    employers that were in earlier loops or have criteria here, each with that history. Four
    queries."""
    current = {
        m.employer_id: m.employer
        for m in LoopEmployer.objects.filter(loop=loop, replaced_at__isnull=True).select_related(
            "employer"
        )
    }
    selections = {
        s.employer_id: s
        for s in EmployerSelection.objects.filter(loop=loop).select_related("employer")
    }
    past = list(
        LoopEmployer.objects.filter(loop__organisation_id=loop.organisation_id)
        .exclude(loop=loop)
        .select_related("loop", "employer")
        .order_by("-loop__start_date", "loop_id")
    )
    placed = {
        (row["seat__loop_id"], row["placement__employer_id"]): row["n"]
        for row in LoopPlacement.objects.filter(
            seat__loop__organisation_id=loop.organisation_id, placement__cancelled_at__isnull=True
        )
        .exclude(seat__loop=loop)
        .values("seat__loop_id", "placement__employer_id")
        .annotate(n=Count("id"))
        .order_by()
    }
    rows: dict[int, EmployerRow] = {
        pk: EmployerRow(employer=e, in_loop=True, selection=selections.get(pk))
        for pk, e in current.items()
    }
    for pk, chosen in selections.items():  # criteria recorded before the employer joined
        rows.setdefault(pk, EmployerRow(employer=chosen.employer, in_loop=False, selection=chosen))
    for member in past:
        row = rows.get(member.employer_id)
        if row is None:
            row = rows[member.employer_id] = EmployerRow(
                employer=member.employer, in_loop=False, selection=None
            )
        row.history.append(
            PastLoop(
                loop_id=member.loop_id,
                name=member.loop.name,
                start_date=member.loop.start_date,
                replaced=member.replaced_at is not None,
                placements=placed.get((member.loop_id, member.employer_id), 0),
            )
        )
    return sorted(rows.values(), key=lambda r: (not r.in_loop, r.employer.name.lower()))


@transaction.atomic
def employer_selection_record(
    *,
    loop: Loop,
    employer: Employer,
    by: User,
    why: str,
    offers: str,
    takes_one_each_period: bool,
    revision: int | None = None,
) -> EmployerSelection:
    """Record (or change) why `employer` is chosen for `loop`. Stale edits are refused."""
    selection_loop(by, loop.pk)
    if employer.organisation_id != loop.organisation_id:
        raise Http404
    why, offers = why.strip(), offers.strip()
    if not why:
        raise ValidationError({"why": _("Say why this employer suits the loop.")})
    if len(why) > MAX_TEXT or len(offers) > MAX_TEXT:
        raise ValidationError(_("Keep each answer under 2000 characters."))
    selection = (
        EmployerSelection.objects.select_for_update().filter(loop=loop, employer=employer).first()
    )
    if selection is None:
        selection = EmployerSelection(loop=loop, employer=employer, recorded_by=by)
        fields = None
    else:
        check_revision(selection, revision)
        fields = count_save(
            selection, "why", "offers", "takes_one_each_period", "recorded_by", "updated_at"
        )
    selection.why, selection.offers = why, offers
    selection.takes_one_each_period = takes_one_each_period
    selection.recorded_by = by
    selection.full_clean(validate_constraints=False, validate_unique=False)
    selection.save(update_fields=fields)
    audit_record(
        actor=by,
        organisation_id=loop.organisation_id,
        action="loop.employer_selected",
        obj=selection,
        data={"loop": loop.pk, "employer": employer.pk},
    )
    return selection
