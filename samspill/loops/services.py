"""Writes to loops, gatherings and interest marks (STYLE.md 2): keyword-only, one transaction,
an audit event each. The rotation square stays Latin through every change (`latin.py`).

A write that names a participant (seating, leaving, inviting, attendance, interest marks) goes
through the participant door: the actor must be able to open the participant's record
(`Participant.objects.visible_to`), or, at a gathering, the participant's counselor proposed
them for it (`gathering_nominate`), so a driver who follows nobody can run the kick-off. One they cannot open is a 404 (`Http404`), the same as one
that does not exist, and nothing changes; the pages and the API answer it as a 404."""

import datetime
import secrets
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.accounts.models import User
from samspill.audit.services import audit_record
from samspill.core.revisions import check_revision, count_save
from samspill.employers.models import Employer, EmployerContact
from samspill.loops import latin
from samspill.loops.models import (
    CalendarFeed,
    Gathering,
    GatheringInvitation,
    GatheringNomination,
    InterestMark,
    Loop,
    LoopEmployer,
    LoopPlacement,
    LoopSeat,
)
from samspill.loops.queries import loop_periods
from samspill.organisations.models import Organisation
from samspill.organisations.queries import staff_who_follow
from samspill.participants.models import Participant
from samspill.placements import services as placement_services
from samspill.placements.models import Placement


def _audit(
    by: User, loop_or_gathering: Loop | Gathering, action: str, obj: Model, **data: Any
) -> None:
    participant_id = data.pop("participant_id", None)
    audit_record(
        actor=by,
        organisation_id=loop_or_gathering.organisation_id,
        action=action,
        obj=obj,
        participant_id=participant_id,
        data=data,
    )


def _clean(obj: Model, **kwargs: Any) -> None:
    obj.full_clean(validate_unique=False, validate_constraints=False, **kwargs)


def _save_unique(obj: Model, message: str, update_fields: Sequence[str] | None = None) -> None:
    """Save; a unique constraint broken (also by a race) becomes `message`, not a 500."""
    try:
        with transaction.atomic():
            obj.save(update_fields=update_fields)
    except IntegrityError:
        raise ValidationError(message) from None


def _staff(user: User, organisation_id: int, field: str) -> None:
    if not staff_who_follow(organisation_id).filter(user=user).exists():
        raise ValidationError({field: _("Choose a colleague in your organisation.")})


def _may_open(by: User, *participant_ids: int | None) -> None:
    """The participant door: every named participant is one `by` may open, else a 404."""
    ids = {pk for pk in participant_ids if pk is not None}
    if ids and Participant.objects.visible_to(by).filter(pk__in=ids).count() != len(ids):
        raise Http404


def _may_act_at(by: User, gathering: Gathering | None, *participant_ids: int | None) -> None:
    """The participant door at a gathering: each named participant is one `by` may open, or
    one their counselor proposed for `gathering` (`GatheringNomination`); else a 404."""
    ids = {pk for pk in participant_ids if pk is not None}
    if not ids:
        return
    if gathering is not None:
        ids -= set(
            GatheringNomination.objects.filter(
                gathering=gathering, participant_id__in=ids
            ).values_list("participant_id", flat=True)
        )
    _may_open(by, *ids)


def _same_organisation(obj: Employer | Participant, organisation_id: int, field: str) -> None:
    if obj.organisation_id != organisation_id:
        raise ValidationError({field: _("Choose one from your own organisation.")})


def _mentor_at(mentor: EmployerContact | None, employer: Employer) -> None:
    if mentor is not None and mentor.employer_id != employer.pk:
        raise ValidationError({"mentor": _("The mentor must work at the employer.")})


def _age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


@transaction.atomic
def loop_create(
    *,
    organisation: Organisation,
    by: User,
    name: str,
    driver: User,
    counselor: User,
    start_date: datetime.date,
    employers: Sequence[Employer],
    period_months: int = 4,
    min_age: int = 16,
    max_age: int = 30,
    mentors: Sequence[EmployerContact] = (),
) -> Loop:
    """A loop with its employers (one column each, in the order given), the plain rotation
    square and an empty seat per row; `mentors` names at most one mentor at each employer."""
    if not latin.MIN_SIZE <= len(employers) <= latin.MAX_SIZE:
        raise ValidationError(
            {
                "employers": _("A loop has %(min)s to %(max)s employers.")
                % {"min": latin.MIN_SIZE, "max": latin.MAX_SIZE}
            }
        )
    if len({e.pk for e in employers}) != len(employers):
        raise ValidationError({"employers": _("Each employer can be in the loop once.")})
    for employer in employers:
        _same_organisation(employer, organisation.pk, "employers")
    _staff(driver, organisation.pk, "driver")
    _staff(counselor, organisation.pk, "counselor")
    if min_age > max_age:
        raise ValidationError({"max_age": _("The maximum age must be at least the minimum age.")})
    loop = Loop(
        organisation=organisation,
        name=name.strip(),
        driver=driver,
        counselor=counselor,
        start_date=start_date,
        period_months=period_months,
        min_age=min_age,
        max_age=max_age,
        square=[list(row) for row in latin.cyclic_square(len(employers))],
    )
    _clean(loop)
    loop.save()
    mentor_at = {}
    for mentor in mentors:
        if mentor.employer_id in mentor_at or mentor.employer_id not in {e.pk for e in employers}:
            raise ValidationError(
                {"mentors": _("Choose one mentor at each of the loop's employers.")}
            )
        mentor_at[mentor.employer_id] = mentor
    LoopEmployer.objects.bulk_create(
        LoopEmployer(loop=loop, employer=employer, column=column, mentor=mentor_at.get(employer.pk))
        for column, employer in enumerate(employers)
    )
    LoopSeat.objects.bulk_create(LoopSeat(loop=loop, row=row) for row in range(len(employers)))
    _audit(by, loop, "loop.created", loop, employers=[e.pk for e in employers])
    return loop


def _current_employer(loop: Loop, employer: Employer) -> LoopEmployer:
    try:
        return LoopEmployer.objects.select_for_update().get(
            loop=loop, employer=employer, replaced_at__isnull=True
        )
    except LoopEmployer.DoesNotExist:
        raise ValidationError({"employer": _("The employer is not in the loop.")}) from None


@transaction.atomic
def loop_employer_set_mentor(
    *,
    loop: Loop,
    employer: Employer,
    by: User,
    mentor: EmployerContact | None,
    revision: int | None = None,
) -> LoopEmployer:
    loop = _locked(loop, revision)
    member = _current_employer(loop, employer)
    _mentor_at(mentor, employer)
    member.mentor = mentor
    member.save(update_fields=["mentor"])
    _audit(by, loop, "loop.mentor_set", member, mentor=mentor.pk if mentor else None)
    # Draft agreements of the loop at this employer get the new mentor; an approved one keeps
    # its mentor until someone changes it with a new version.
    if mentor is not None and mentor.is_mentor and mentor.is_active:
        cells = _open_placements(
            LoopPlacement.objects.filter(
                seat__loop=loop,
                seat__left_at__isnull=True,
                placement__employer=employer,
                placement__locked_at__isnull=True,
            )
        )
        for cell in cells:
            if cell.placement.mentor_id != mentor.pk:
                placement_services.agreement_update(
                    placement=cell.placement,
                    by=by,
                    revision=cell.placement.revision,
                    mentor=mentor,
                )
    return member


@transaction.atomic
def loop_employer_replace(
    *,
    loop: Loop,
    old: Employer,
    new: Employer,
    by: User,
    mentor: EmployerContact | None = None,
    revision: int | None = None,
) -> LoopEmployer:
    """`new` takes over the column of `old`: every cell, so the square does not change."""
    loop = _locked(loop, revision)
    member = _current_employer(loop, old)
    _same_organisation(new, loop.organisation_id, "employer")
    _mentor_at(mentor, new)
    if LoopEmployer.objects.filter(loop=loop, employer=new, replaced_at__isnull=True).exists():
        raise ValidationError({"employer": _("The employer is already in the loop.")})
    member.replaced_at = timezone.now()
    member.save(update_fields=["replaced_at"])
    successor = LoopEmployer.objects.create(
        loop=loop, employer=new, mentor=mentor, column=member.column
    )
    _audit(by, loop, "loop.employer_replaced", successor, old=old.pk, new=new.pk)
    # The cells still to come move to the new employer: the old placement is cancelled (kept
    # as history), a new draft takes the cell.
    rows = loop.rows()
    cells = _open_placements(
        LoopPlacement.objects.filter(
            seat__loop=loop, seat__left_at__isnull=True, placement__employer=old
        ).select_related("seat__participant")
    )
    for cell in cells:
        if rows[cell.seat.row][cell.period] != member.column:
            continue
        if loop_periods(loop)[cell.period].end < timezone.localdate():
            continue
        placement_services.placement_cancel(
            placement=cell.placement,
            by=by,
            reason=Placement.CancelReason.OTHER,
            note=_("The employer left the loop."),
        )
        placement = _cell_placement(loop, cell.seat, cell.period, successor, by)
        if placement is not None:
            cell.placement = placement
            cell.save(update_fields=["placement"])
    return successor


def _locked(loop: Loop, revision: int | None = None) -> Loop:
    """Lock the loop for a change of its seats, employers or square, and count the change;
    with `revision` (the loop page's forms), a colleague's change since is refused."""
    loop = Loop.objects.select_for_update().get(pk=loop.pk)
    check_revision(loop, revision)
    loop.save(update_fields=count_save(loop, "updated_at"))
    return loop


def _current_seat(loop: Loop, row: int) -> LoopSeat:
    try:
        return LoopSeat.objects.select_for_update().get(loop=loop, row=row, left_at__isnull=True)
    except LoopSeat.DoesNotExist:
        raise ValidationError({"row": _("The loop has no such seat.")}) from None


def _check_candidate(loop: Loop, participant: Participant) -> None:
    _same_organisation(participant, loop.organisation_id, "participant")
    if participant.birth_date is not None:
        age = _age_on(participant.birth_date, loop.start_date)
        if not loop.min_age <= age <= loop.max_age:
            raise ValidationError(
                {
                    "participant": _(
                        "%(name)s is %(age)s at the start; the loop takes %(min)s to %(max)s."
                    )
                    % {"name": participant, "age": age, "min": loop.min_age, "max": loop.max_age}
                }
            )


@transaction.atomic
def loop_seat_fill(
    *, loop: Loop, row: int, participant: Participant, by: User, revision: int | None = None
) -> LoopSeat:
    """Seat `participant` in the empty seat `row` (a new loop's, or one left by a drop-out:
    the newcomer takes over that row's visiting order, the only one that completes it)."""
    _may_open(by, participant.pk)
    loop = _locked(loop, revision)
    _check_candidate(loop, participant)
    seat = _current_seat(loop, row)
    if seat.participant_id is not None:
        raise ValidationError({"row": _("The seat is taken.")})
    seat.participant = participant
    seat.seated_at = timezone.now()
    _save_unique(
        seat,
        _("%(name)s is already in a loop.") % {"name": participant},
        update_fields=["participant", "seated_at"],
    )
    _audit(by, loop, "loop.seat_filled", seat, row=row, participant_id=participant.pk)
    _seat_placements_create(loop, seat, by)
    return seat


@transaction.atomic
def loop_seat_leave(
    *, loop: Loop, row: int, by: User, reason: str, revision: int | None = None
) -> LoopSeat:
    """The participant in `row` leaves the loop; the row becomes an empty seat (returned)."""
    loop = _locked(loop, revision)
    seat = _current_seat(loop, row)
    if seat.participant_id is None:
        raise ValidationError({"row": _("The seat is already empty.")})
    _may_open(by, seat.participant_id)
    if not reason.strip():
        raise ValidationError({"left_reason": _("Say why the participant leaves.")})
    seat.left_at = timezone.now()
    seat.left_reason = reason.strip()
    seat.save(update_fields=["left_at", "left_reason"])
    for cell in _open_placements(LoopPlacement.objects.filter(seat=seat)):
        placement_services.placement_cancel(
            placement=cell.placement, by=by, reason=Placement.CancelReason.OTHER, note=reason
        )
    empty = LoopSeat.objects.create(loop=loop, row=row)
    _audit(by, loop, "loop.seat_left", seat, row=row, participant_id=seat.participant_id)
    return empty


def _cell_placement(
    loop: Loop, seat: LoopSeat, period: int, member: LoopEmployer, by: User
) -> Placement | None:
    """The draft work-training placement for one cell, or None when its period has ended (a
    cell whose period is under way begins today), with the loop employer's mentor."""
    assert seat.participant is not None
    dates = loop_periods(loop)[period]
    today = timezone.localdate()
    if dates.end < today:
        return None
    mentor = member.mentor
    if mentor is not None and not (mentor.is_mentor and mentor.is_active):
        mentor = None
    return placement_services.placement_create(
        participant=seat.participant,
        employer=member.employer,
        by=by,
        kind=Placement.Kind.WORK_TRAINING,
        title=_("Work training in %(loop)s, period %(period)s")
        % {"loop": loop.name, "period": period + 1},
        start_date=max(dates.start, today),
        end_date=dates.end,
        mentor=mentor,
    )


def _seat_placements_create(loop: Loop, seat: LoopSeat, by: User) -> list[LoopPlacement]:
    """A placement for each cell of the seat's row whose period has not ended."""
    columns = {
        m.column: m
        for m in LoopEmployer.objects.filter(loop=loop, replaced_at__isnull=True).select_related(
            "employer", "mentor"
        )
    }
    cells = []
    for period, column in enumerate(loop.rows()[seat.row]):
        placement = _cell_placement(loop, seat, period, columns[column], by)
        if placement is not None:
            cells.append(
                LoopPlacement.objects.create(seat=seat, period=period, placement=placement)
            )
    return cells


def _open_placements(cells: QuerySet[LoopPlacement]) -> QuerySet[LoopPlacement]:
    return cells.filter(
        placement__cancelled_at__isnull=True, placement__ended_at__isnull=True
    ).select_related("placement")


def _set_square(
    loop: Loop, square: latin.PartialSquare, by: User, action: str, **data: Any
) -> Loop:
    if not latin.is_latin(square):  # pragma: no cover - the latin functions keep it Latin
        raise ValidationError(_("The rotation square would not be valid."))
    loop.square = [list(row) for row in square if row is not None]
    loop.save(update_fields=["square", "updated_at"])
    _audit(by, loop, action, loop, **data)
    return loop


def _seated(loop: Loop, rows: Sequence[int]) -> list[int | None]:
    """The participants seated now in these rows of the loop."""
    return list(
        LoopSeat.objects.filter(loop=loop, row__in=rows, left_at__isnull=True).values_list(
            "participant_id", flat=True
        )
    )


@transaction.atomic
def loop_rows_swap(*, loop: Loop, by: User, a: int, b: int) -> Loop:
    """The seats in rows a and b exchange their visiting orders."""
    loop = _locked(loop)
    if not (0 <= a < loop.size and 0 <= b < loop.size):
        raise ValidationError({"row": _("The loop has no such seat.")})
    _may_open(by, *_seated(loop, [a, b]))
    return _set_square(
        loop, latin.swap_rows(loop.rows(), a, b), by, "loop.rows_swapped", rows=[a, b]
    )


@transaction.atomic
def loop_visits_swap(*, loop: Loop, by: User, row: int, first: Employer, second: Employer) -> Loop:
    """The seat in `row` visits `first` and `second` in each other's periods; the fewest other
    rows change with it, so each period still has one at each employer."""
    loop = _locked(loop)
    if not 0 <= row < loop.size:
        raise ValidationError({"row": _("The loop has no such seat.")})
    _may_open(by, *_seated(loop, [row]))
    a = _current_employer(loop, first).column
    b = _current_employer(loop, second).column
    if a == b:
        raise ValidationError({"employer": _("Choose two different employers.")})
    square = latin.swap_in_row(loop.rows(), row, a, b)
    return _set_square(loop, square, by, "loop.visits_swapped", row=row, columns=[a, b])


@transaction.atomic
def loop_seating_accept(
    *,
    loop: Loop,
    by: User,
    seats: Sequence[tuple[Participant, Sequence[Employer]]],
    proposed_to: Gathering | None = None,
) -> Loop:
    """Accept a formation for a loop whose seats are all empty: each participant with the
    order in which they visit the loop's employers; empty rows get what completes the square.
    `proposed_to`: the gathering the formation was run on, whose proposed candidates `by` may
    seat without opening their records."""
    _may_act_at(by, proposed_to, *(participant.pk for participant, _order in seats))
    loop = _locked(loop)
    members = {m.employer_id: m.column for m in loop.employers.filter(replaced_at__isnull=True)}
    current = list(LoopSeat.objects.select_for_update().filter(loop=loop, left_at__isnull=True))
    if any(seat.participant_id is not None for seat in current):
        raise ValidationError(_("The loop already has participants."))
    if len(seats) > loop.size:
        raise ValidationError(_("More participants than seats."))
    rows: list[latin.Row | None] = []
    for participant, order in seats:
        _check_candidate(loop, participant)
        if sorted(e.pk for e in order) != sorted(members):
            raise ValidationError(
                _("%(name)s must visit each of the loop's employers once.") % {"name": participant}
            )
        rows.append(tuple(members[e.pk] for e in order))
    rows += [None] * (loop.size - len(rows))
    if not latin.is_partial_latin(rows):
        raise ValidationError(_("Two participants would be at one employer in the same period."))
    _set_square(loop, latin.complete(rows), by, "loop.seating_accepted", seats=len(seats))
    now = timezone.now()
    by_row = {seat.row: seat for seat in current}
    for row, (participant, _order) in enumerate(seats):
        seat = by_row[row]
        seat.participant = participant
        seat.seated_at = now
        _save_unique(
            seat,
            _("%(name)s is already in a loop.") % {"name": participant},
            update_fields=["participant", "seated_at"],
        )
        _audit(by, loop, "loop.seat_filled", seat, row=row, participant_id=participant.pk)
        _seat_placements_create(loop, seat, by)
    return loop


@transaction.atomic
def formation_accept(
    *,
    gathering: Gathering,
    loops: Sequence[Loop],
    seats: Sequence[dict[str, Any]],
    by: User,
) -> list[Loop]:
    """Accept a formation run on `gathering`'s marks: `seats` in the solver's JSON shape
    ({"candidate": "P<pk>", "loop": "L<pk>", "order": ["E<pk>", ...]}). Only candidates who
    attended the gathering can be seated; each loop gets its seats and placements."""
    attended = set(
        GatheringInvitation.objects.filter(
            gathering=gathering,
            participant__isnull=False,
            attendance=GatheringInvitation.Attendance.ATTENDED,
        ).values_list("participant_id", flat=True)
    )
    try:
        wanted = [
            (int(s["loop"][1:]), int(s["candidate"][1:]), [int(e[1:]) for e in s["order"]])
            for s in seats
        ]
    except (KeyError, TypeError, ValueError, IndexError):
        raise ValidationError(_("The seating is not valid.")) from None
    by_loop = {loop.pk: loop for loop in loops}
    participants = Participant.objects.in_bulk([pid for _l, pid, _o in wanted])
    employers = Employer.objects.in_bulk([e for _l, _p, order in wanted for e in order])
    for loop_id, participant_id, _order in wanted:
        if loop_id not in by_loop or by_loop[loop_id].organisation_id != gathering.organisation_id:
            raise ValidationError(_("The seating names a loop that is not open."))
        if participant_id not in attended or participant_id not in participants:
            raise ValidationError(_("Only candidates who attended the gathering can be seated."))
    for loop in loops:
        loop_seating_accept(
            loop=loop,
            by=by,
            proposed_to=gathering,
            seats=[
                (participants[pid], [employers[e] for e in order])
                for loop_id, pid, order in wanted
                if loop_id == loop.pk
            ],
        )
    return list(loops)


@transaction.atomic
def gathering_create(
    *,
    organisation: Organisation,
    by: User,
    date: datetime.date,
    kind: str = Gathering.Kind.KICK_OFF,
    place: str = "",
    loop: Loop | None = None,
) -> Gathering:
    if loop is not None and loop.organisation_id != organisation.pk:
        raise ValidationError({"loop": _("Choose one from your own organisation.")})
    gathering = Gathering(
        organisation=organisation, loop=loop, kind=kind, date=date, place=place.strip()
    )
    _clean(gathering)
    gathering.save()
    _audit(by, gathering, "gathering.created", gathering, kind=kind)
    return gathering


@transaction.atomic
def gathering_invite(
    *,
    gathering: Gathering,
    by: User,
    participant: Participant | None = None,
    contact: EmployerContact | None = None,
) -> GatheringInvitation:
    """Invite a candidate participant or an employer's contact (one of them). A participant
    is one `by` may open or one proposed for the gathering by their counselor."""
    if (participant is None) == (contact is None):
        raise ValueError("invite a participant or a contact")
    if participant is not None:
        _may_act_at(by, gathering, participant.pk)
        _same_organisation(participant, gathering.organisation_id, "participant")
    if contact is not None:
        _same_organisation(contact.employer, gathering.organisation_id, "contact")
    invitation = GatheringInvitation(gathering=gathering, participant=participant, contact=contact)
    _save_unique(invitation, _("Already invited."))
    _audit(
        by,
        gathering,
        "gathering.invited",
        invitation,
        participant_id=participant.pk if participant else None,
        contact=contact.pk if contact else None,
    )
    return invitation


@transaction.atomic
def gathering_nominate(
    *, gathering: Gathering, by: User, participant: Participant
) -> GatheringNomination:
    """A counselor proposes one of their participants for a gathering: its organisers (the
    loop's driver, who may follow nobody) can then invite them. Only someone who may open the
    participant's record proposes them (else a 404), and not one already in a loop."""
    _may_open(by, participant.pk)
    _same_organisation(participant, gathering.organisation_id, "participant")
    if LoopSeat.objects.filter(participant=participant, left_at__isnull=True).exists():
        raise ValidationError(
            {"participant": _("%(name)s is already in a loop.") % {"name": participant}}
        )
    nomination = GatheringNomination(gathering=gathering, participant=participant, nominated_by=by)
    _save_unique(nomination, _("%(name)s is already proposed.") % {"name": participant})
    _audit(by, gathering, "gathering.nominated", nomination, participant_id=participant.pk)
    return nomination


@transaction.atomic
def invitation_attendance_set(
    *, invitation: GatheringInvitation, by: User, attendance: str
) -> GatheringInvitation:
    _may_act_at(by, invitation.gathering, invitation.participant_id)
    if attendance not in GatheringInvitation.Attendance.values:
        raise ValidationError({"attendance": _("Choose invited, attended or absent.")})
    invitation.attendance = attendance
    invitation.save(update_fields=["attendance"])
    _audit(
        by,
        invitation.gathering,
        "gathering.attendance_set",
        invitation,
        participant_id=invitation.participant_id,
        attendance=attendance,
    )
    return invitation


@transaction.atomic
def interest_mark_set(
    *,
    gathering: Gathering,
    by: User,
    candidate: Participant,
    employer: Employer,
    **fields: Any,
) -> InterestMark:
    """Record what each side marked after the group interviews, or rule the pair out; only the
    fields given change (employer_mark, candidate_mark, is_forbidden, forbidden_reason). The
    candidate is one `by` may open or one proposed for the gathering (else a 404), and one
    invited to it."""
    allowed = {"employer_mark", "candidate_mark", "is_forbidden", "forbidden_reason"}
    if set(fields) - allowed:
        raise TypeError(f"unknown interest mark fields: {sorted(set(fields) - allowed)}")
    _may_act_at(by, gathering, candidate.pk)
    _same_organisation(candidate, gathering.organisation_id, "candidate")
    if not GatheringInvitation.objects.filter(gathering=gathering, participant=candidate).exists():
        raise ValidationError(
            {"candidate": _("Only candidates invited to the gathering can be marked.")}
        )
    _same_organisation(employer, gathering.organisation_id, "employer")
    mark, _created = InterestMark.objects.select_for_update().get_or_create(
        gathering=gathering, candidate=candidate, employer=employer
    )
    for name, value in fields.items():
        setattr(mark, name, value)
    _clean(mark, exclude=["gathering", "candidate", "employer"])
    mark.save(update_fields=[*fields, "updated_at"])
    _audit(
        by,
        gathering,
        "gathering.interest_marked",
        mark,
        participant_id=candidate.pk,
        employer=employer.pk,
        fields=sorted(fields),
    )
    return mark


@transaction.atomic
def calendar_feed_create(
    *, organisation: Organisation, by: User, loop: Loop | None = None
) -> CalendarFeed:
    """A new secret address: the loop's wheel, or (without a loop) `by`'s own events."""
    if loop is not None and loop.organisation_id != organisation.pk:
        raise ValidationError({"loop": _("Choose one from your own organisation.")})
    feed = CalendarFeed.objects.create(
        organisation=organisation,
        kind=CalendarFeed.Kind.LOOP if loop is not None else CalendarFeed.Kind.PERSON,
        loop=loop,
        owner=by,
        token=secrets.token_urlsafe(32),
    )
    audit_record(
        actor=by,
        organisation_id=organisation.pk,
        action="calendar_feed.created",
        obj=feed,
        data={"kind": feed.kind},
    )
    return feed


@transaction.atomic
def calendar_feed_revoke(*, feed: CalendarFeed, by: User) -> CalendarFeed:
    """The address stops working at once (404); it cannot be turned on again."""
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
        audit_record(
            actor=by,
            organisation_id=feed.organisation_id,
            action="calendar_feed.revoked",
            obj=feed,
            data={"kind": feed.kind},
        )
    return feed
