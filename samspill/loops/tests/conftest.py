"""A loop in use: three employers (a mentor at the bakery), three young people seated by an
accepted formation from a kick-off, so every cell has its draft placement.

The coordinator (the loop's driver) follows none of the young people: what names one of them
(inviting, attendance, marks, seating) is done by their counselor, who may open their records."""

import datetime

import pytest
from django.utils import translation

from samspill.accounts.models import User
from samspill.core.testing import PASSWORD, make_employer, make_participant
from samspill.loops import drivers, evaluation, services
from samspill.loops.models import GatheringInvitation, LoopPartner
from samspill.loops.tests import evaluation_world

START = datetime.date(2027, 1, 4)
KICK_OFF = datetime.date(2026, 12, 7)


@pytest.fixture(autouse=True)
def english():
    """Messages are matched in the source language (the catalogues are filled in later)."""
    with translation.override("en"):
        yield


@pytest.fixture
def employers(org, counselor, employer):
    return [
        employer,
        make_employer(org, counselor, name="Verkstedet AS"),
        make_employer(org, counselor, name="Butikken AS"),
    ]


@pytest.fixture
def young(org, counselor, participant):
    return [participant] + [
        make_participant(org, counselor, given_name=name, birth_date=datetime.date(2005, 5, 1))
        for name in ("Ola", "Nora")
    ]


@pytest.fixture
def open_loop(org, coordinator, counselor, employers):
    return services.loop_create(
        organisation=org,
        by=coordinator,
        name="Loop Vest",
        driver=coordinator,
        counselor=counselor,
        start_date=START,
        employers=employers,
    )


@pytest.fixture
def kick_off(org, coordinator, counselor, young, employers, employer_contact):
    gathering = services.gathering_create(
        organisation=org, by=coordinator, date=KICK_OFF, place="Kulturhuset"
    )
    for person in young:
        invitation = services.gathering_invite(
            gathering=gathering, by=counselor, participant=person
        )
        services.invitation_attendance_set(
            invitation=invitation,
            by=counselor,
            attendance=GatheringInvitation.Attendance.ATTENDED,
        )
    services.gathering_invite(gathering=gathering, by=coordinator, contact=employer_contact)
    for i, person in enumerate(young):
        for j, employer in enumerate(employers):
            services.interest_mark_set(
                gathering=gathering,
                by=counselor,
                candidate=person,
                employer=employer,
                employer_mark=(i + j) % 3,
                candidate_mark=2 if i == j else 1,
            )
    return gathering


@pytest.fixture
def loop(open_loop, coordinator, counselor, young, employers, kick_off, mentor_contact):
    """Seated in the plain order: row r visits the employers of the cyclic square's row r; the
    bakery's mentor mentors there."""
    services.loop_employer_set_mentor(
        loop=open_loop, employer=mentor_contact.employer, by=coordinator, mentor=mentor_contact
    )
    rows = open_loop.rows()
    services.loop_seating_accept(
        loop=open_loop,
        by=counselor,
        seats=[(p, [employers[c] for c in rows[r]]) for r, p in enumerate(young)],
    )
    open_loop.refresh_from_db()
    return open_loop


# The evaluation at the end of a loop's year (issue 22, item 3; evaluation_world.py).


@pytest.fixture
def year_loop(org, coordinator, counselor, employers, young, mentor_contact):
    return evaluation_world.ended_loop(
        org, coordinator, counselor, employers, young, mentor_contact, name="Loop Nord"
    )


@pytest.fixture
def opened(year_loop, coordinator):
    return evaluation.evaluation_open(loop=year_loop, by=coordinator)


@pytest.fixture
def youth_user(young):
    young[0].portal_user = User.objects.create_user(
        email="kari.login@example.org", password=PASSWORD, full_name="Kari"
    )
    young[0].save(update_fields=["portal_user"])
    return young[0].portal_user


@pytest.fixture
def ext_driver(org, coordinator, year_loop):
    partner = drivers.loop_partner_invite(
        organisation=org,
        by=coordinator,
        email="ext@example.org",
        full_name="Ext Driver",
        role=LoopPartner.Role.EXTERNAL_DRIVER,
    )
    drivers.loop_partner_assign(partner=partner, loop=year_loop, by=coordinator)
    return partner
