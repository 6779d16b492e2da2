"""Loops, seats, gatherings and interest marks: the rules the services keep."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from samspill.audit.models import AuditEvent
from samspill.core.testing import make_employer, make_participant
from samspill.employers.services import contact_add
from samspill.loops import latin, services
from samspill.loops.formation import parse_instance, seat
from samspill.loops.models import GatheringInvitation, LoopEmployer, LoopSeat
from samspill.loops.queries import formation_data, loop_grid

START = datetime.date(2027, 1, 4)


@pytest.fixture
def loop(open_loop):
    """Here a loop nobody is seated in yet (conftest's `open_loop`)."""
    return open_loop


@pytest.fixture
def young(org, counselor):
    return [
        make_participant(org, counselor, given_name=name, birth_date=datetime.date(2005, 5, 1))
        for name in ("Kari", "Ola", "Nora", "Ali")
    ]


def test_it_creates_a_loop_with_an_employer_per_column_and_an_empty_seat_per_row(
    loop, employers, coordinator
):
    assert loop.size == 3 and latin.is_latin(loop.rows())
    assert loop.period_months == 4 and (loop.min_age, loop.max_age) == (16, 30)
    columns = LoopEmployer.objects.filter(loop=loop).order_by("column")
    assert [m.employer for m in columns] == employers
    seats = LoopSeat.objects.filter(loop=loop, left_at__isnull=True).order_by("row")
    assert [(s.row, s.participant) for s in seats] == [(0, None), (1, None), (2, None)]
    assert AuditEvent.objects.filter(action="loop.created", actor=coordinator).exists()


def test_it_refuses_too_few_repeated_or_foreign_employers(
    org, coordinator, counselor, employers, other_employer, outsider
):
    def create(**fields):
        values = {
            "organisation": org,
            "by": coordinator,
            "name": "L",
            "driver": coordinator,
            "counselor": counselor,
            "start_date": START,
            "employers": employers,
        } | fields
        return services.loop_create(**values)

    with pytest.raises(ValidationError, match="2 to 6"):
        create(employers=employers[:1])
    with pytest.raises(ValidationError, match="once"):
        create(employers=[employers[0], employers[0]])
    with pytest.raises(ValidationError, match="own organisation"):
        create(employers=[employers[0], other_employer])
    with pytest.raises(ValidationError, match="colleague"):
        create(driver=outsider)
    with pytest.raises(ValidationError, match="maximum age"):
        create(min_age=20, max_age=18)


def test_a_participant_is_seated_once_and_within_the_ages(loop, young, org, counselor):
    seat_ = services.loop_seat_fill(loop=loop, row=0, participant=young[0], by=counselor)
    assert seat_.participant == young[0] and seat_.seated_at is not None
    with pytest.raises(ValidationError, match="taken"):
        services.loop_seat_fill(loop=loop, row=0, participant=young[1], by=counselor)
    with pytest.raises(ValidationError, match="already in a loop"):
        services.loop_seat_fill(loop=loop, row=1, participant=young[0], by=counselor)
    old = make_participant(org, counselor, given_name="Per", birth_date=datetime.date(1990, 1, 1))
    with pytest.raises(ValidationError, match="is 37 at the start; the loop takes 16 to 30"):
        services.loop_seat_fill(loop=loop, row=1, participant=old, by=counselor)
    assert AuditEvent.objects.filter(action="loop.seat_filled", participant_id=young[0].pk).exists()


def test_a_drop_out_leaves_an_empty_seat_with_the_same_row_for_the_next(loop, young, counselor):
    services.loop_seat_fill(loop=loop, row=1, participant=young[0], by=counselor)
    order = loop.rows()[1]
    with pytest.raises(ValidationError, match="why"):
        services.loop_seat_leave(loop=loop, row=1, by=counselor, reason=" ")
    empty = services.loop_seat_leave(loop=loop, row=1, by=counselor, reason="Moved away")
    assert empty.participant is None and empty.row == 1
    left = LoopSeat.objects.get(loop=loop, participant=young[0])
    assert left.left_reason == "Moved away" and left.left_at is not None
    services.loop_seat_fill(loop=loop, row=1, participant=young[1], by=counselor)
    loop.refresh_from_db()
    assert loop.rows()[1] == order
    # The one who left may join another loop (or this one) again.
    services.loop_seat_fill(loop=loop, row=2, participant=young[0], by=counselor)


def test_a_replaced_employer_hands_its_column_to_the_new_one(
    loop, employers, coordinator, org, counselor
):
    square = loop.rows()
    new = make_employer(org, counselor, name="Kafeen AS")
    mentor = contact_add(employer=new, by=counselor, name="Mia", phone="12345678", is_mentor=True)
    with pytest.raises(ValidationError, match="already in the loop"):
        services.loop_employer_replace(
            loop=loop, old=employers[0], new=employers[1], by=coordinator
        )
    successor = services.loop_employer_replace(
        loop=loop, old=employers[1], new=new, by=coordinator, mentor=mentor
    )
    assert successor.column == 1 and successor.mentor == mentor
    assert LoopEmployer.objects.get(loop=loop, employer=employers[1]).replaced_at is not None
    loop.refresh_from_db()
    assert loop.rows() == square
    with pytest.raises(ValidationError, match="not in the loop"):
        services.loop_employer_set_mentor(
            loop=loop, employer=employers[1], by=coordinator, mentor=None
        )


def test_a_mentor_must_work_at_the_employer(loop, employers, coordinator, mentor_contact):
    member = services.loop_employer_set_mentor(
        loop=loop, employer=employers[0], by=coordinator, mentor=mentor_contact
    )
    assert member.mentor == mentor_contact
    with pytest.raises(ValidationError, match="work at the employer"):
        services.loop_employer_set_mentor(
            loop=loop, employer=employers[1], by=coordinator, mentor=mentor_contact
        )


def test_swaps_by_hand_keep_the_square_latin(loop, employers, coordinator):
    before = loop.rows()
    loop = services.loop_rows_swap(loop=loop, by=coordinator, a=0, b=2)
    assert loop.rows() == (before[2], before[1], before[0])
    row = loop.rows()[0]
    loop = services.loop_visits_swap(
        loop=loop, by=coordinator, row=0, first=employers[0], second=employers[2]
    )
    assert latin.is_latin(loop.rows())
    assert loop.rows()[0].index(0) == row.index(2) and loop.rows()[0].index(2) == row.index(0)
    with pytest.raises(ValidationError, match="two different"):
        services.loop_visits_swap(
            loop=loop, by=coordinator, row=0, first=employers[0], second=employers[0]
        )
    with pytest.raises(ValidationError, match="no such seat"):
        services.loop_rows_swap(loop=loop, by=coordinator, a=0, b=3)
    assert AuditEvent.objects.filter(action="loop.visits_swapped").count() == 1


def test_from_kick_off_to_an_accepted_seating(
    org, loop, employers, young, coordinator, counselor, mentor_contact
):
    """The kick-off invites, records who came and their marks; the formation seats them and
    their counselor accepts it (the coordinator, who follows none of them, makes the gathering
    and invites the employer's contact)."""
    kick_off = services.gathering_create(
        organisation=org, by=coordinator, date=datetime.date(2026, 12, 1), place="Bibliotek"
    )
    invitations = [
        services.gathering_invite(gathering=kick_off, by=counselor, participant=p) for p in young
    ]
    services.gathering_invite(gathering=kick_off, by=coordinator, contact=mentor_contact)
    with pytest.raises(ValidationError, match="Already invited"):
        services.gathering_invite(gathering=kick_off, by=counselor, participant=young[0])
    for invitation in invitations[:3]:
        services.invitation_attendance_set(
            invitation=invitation,
            by=counselor,
            attendance=GatheringInvitation.Attendance.ATTENDED,
        )
    services.invitation_attendance_set(
        invitation=invitations[3], by=counselor, attendance=GatheringInvitation.Attendance.ABSENT
    )
    kari, ola, nora, _ali = young
    services.interest_mark_set(
        gathering=kick_off, by=counselor, candidate=kari, employer=employers[0], employer_mark=2
    )
    services.interest_mark_set(
        gathering=kick_off, by=counselor, candidate=kari, employer=employers[0], candidate_mark=2
    )
    services.interest_mark_set(
        gathering=kick_off,
        by=counselor,
        candidate=ola,
        employer=employers[2],
        is_forbidden=True,
        forbidden_reason="No bus on Sundays",
    )
    with pytest.raises(ValidationError):
        services.interest_mark_set(
            gathering=kick_off,
            by=counselor,
            candidate=nora,
            employer=employers[1],
            employer_mark=3,
        )

    data = formation_data(gathering=kick_off, loops=[loop])
    assert data["candidates"] == [f"P{kari.pk}", f"P{ola.pk}", f"P{nora.pk}"]
    assert data["interest"] == [
        {
            "candidate": f"P{kari.pk}",
            "employer": f"E{employers[0].pk}",
            "employer_mark": 2,
            "candidate_mark": 2,
        }
    ]
    assert data["forbidden"] == [{"candidate": f"P{ola.pk}", "employer": f"E{employers[2].pk}"}]
    seating = seat(parse_instance(data))
    assert [s.candidate for s in seating.seats] != [] and seating.waiting == (f"P{ola.pk}",)

    people = {f"P{p.pk}": p for p in young}
    by_key = {f"E{e.pk}": e for e in employers}
    loop = services.loop_seating_accept(
        loop=loop,
        by=counselor,
        seats=[(people[s.candidate], [by_key[e] for e in s.order]) for s in seating.seats],
    )
    assert latin.is_latin(loop.rows())
    current = LoopSeat.objects.filter(loop=loop, left_at__isnull=True).order_by("row")
    assert [s.participant for s in current] == [people[s.candidate] for s in seating.seats] + [None]
    kari_row = next(s.row for s in current if s.participant == kari)
    assert loop.rows()[kari_row][0] == 0 or loop.rows()[kari_row][-1] == 0  # Bakeriet at an end
    with pytest.raises(ValidationError, match="already has participants"):
        services.loop_seating_accept(loop=loop, by=counselor, seats=[])


def test_an_accepted_seating_must_visit_each_employer_and_fit_together(
    loop, employers, young, counselor
):
    a, b, c = employers
    with pytest.raises(ValidationError, match="each of the loop's employers"):
        services.loop_seating_accept(loop=loop, by=counselor, seats=[(young[0], [a, b])])
    with pytest.raises(ValidationError, match="same period"):
        services.loop_seating_accept(
            loop=loop, by=counselor, seats=[(young[0], [a, b, c]), (young[1], [a, c, b])]
        )


def test_gatherings_stay_in_the_organisation(org, other_org, loop, coordinator, other_participant):
    with pytest.raises(ValidationError, match="own organisation"):
        services.gathering_create(organisation=other_org, by=coordinator, date=START, loop=loop)
    gathering = services.gathering_create(
        organisation=org, by=coordinator, date=START, loop=loop, kind="rotation"
    )
    # Another organisation's participant is one nobody here may open: not found.
    with pytest.raises(Http404):
        services.gathering_invite(
            gathering=gathering, by=coordinator, participant=other_participant
        )
    with pytest.raises(ValueError, match="participant or a contact"):
        services.gathering_invite(gathering=gathering, by=coordinator)


def test_the_grid_shows_each_seat_at_each_employer_by_period(
    loop, employers, young, counselor, django_assert_num_queries
):
    services.loop_seat_fill(loop=loop, row=2, participant=young[0], by=counselor)
    with django_assert_num_queries(2):
        grid = loop_grid(loop)
    assert [(p.start, p.end) for p in grid.periods] == [
        (datetime.date(2027, 1, 4), datetime.date(2027, 5, 3)),
        (datetime.date(2027, 5, 4), datetime.date(2027, 9, 3)),
        (datetime.date(2027, 9, 4), datetime.date(2028, 1, 3)),
    ]
    assert [row.seat.participant for row in grid.rows] == [None, None, young[0]]
    for row, cells in zip(grid.rows, loop.rows(), strict=True):
        assert [v.employer for v in row.visits] == [employers[c] for c in cells]
