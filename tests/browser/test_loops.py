"""jobbLOOP from a kick-off (issue 6): a coordinator creates a loop of three employers, marks
interest after the group interviews, runs the formation, accepts it, and sees the rotation grid
(each cell a placement) and the annual wheel. axe-core on the pages on the way."""

import datetime
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from samspill.accounts.models import User
from samspill.core.testing import make_employer, make_participant
from samspill.employers.services import contact_add
from samspill.loops import services
from samspill.loops.models import Gathering, GatheringInvitation, Loop, LoopPlacement
from tests.browser.axe import assert_accessible

START = datetime.date(2027, 1, 4)


@pytest.fixture
def kick_off(org, coordinator: User, employer):
    employers = [
        employer,
        make_employer(org, coordinator, name="Verkstedet AS"),
        make_employer(org, coordinator, name="Butikken AS"),
    ]
    mentor = contact_add(
        employer=employer,
        by=coordinator,
        name="Mona Mentor",
        email="mona@bakeriet.example",
        is_mentor=True,
        confidentiality_signed_on=datetime.date(2026, 1, 2),
    )
    young = [
        make_participant(org, coordinator, given_name=name, birth_date=datetime.date(2006, 3, 1))
        for name in ("Kari", "Ola", "Nora")
    ]
    gathering = services.gathering_create(
        organisation=org, by=coordinator, date=datetime.date(2026, 12, 7), place="Kulturhuset"
    )
    for person in young:
        invitation = services.gathering_invite(
            gathering=gathering, by=coordinator, participant=person
        )
        services.invitation_attendance_set(
            invitation=invitation,
            by=coordinator,
            attendance=GatheringInvitation.Attendance.ATTENDED,
        )
    return {"gathering": gathering, "employers": employers, "young": young, "mentor": mentor}


def test_a_coordinator_forms_a_loop_from_a_kick_off(
    page: Page, log_in: Callable[[User], None], coordinator: User, counselor: User, kick_off
) -> None:
    log_in(coordinator)
    employers = kick_off["employers"]
    young = kick_off["young"]
    gathering: Gathering = kick_off["gathering"]

    # The loop: three employers who teamed up, with the bakery's mentor.
    page.goto("/loops/new/")
    page.fill("input[name=name]", "Loop Vest")
    driver = coordinator.memberships.get().pk
    page.select_option("select[name=driver]", str(driver))
    page.select_option("select[name=counselor]", str(counselor.memberships.get().pk))
    page.fill("input[name=start_date]", START.isoformat())
    for employer in employers:
        page.check(f"input[name=employers][value='{employer.pk}']")
    page.check(f"input[name=mentors][value='{kick_off['mentor'].pk}']")
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()
    loop = Loop.objects.get(name="Loop Vest")
    page.wait_for_url(f"**/loops/{loop.pk}/")

    # The marks after the group interviews: each candidate likes "their" employer best.
    page.goto(f"/loops/gatherings/{gathering.pk}/")
    for i, person in enumerate(young):
        for j, employer in enumerate(employers):
            key = f"{person.pk}-{employer.pk}"
            page.select_option(f"select[name=e-{key}]", "2" if i == j else "1")
            page.select_option(f"select[name=c-{key}]", "2" if i == j else "0")
    assert_accessible(page)
    page.locator("form[action$='/marks/'] button[type=submit]").click()
    page.wait_for_url(f"**/loops/gatherings/{gathering.pk}/")
    expect(page.locator(f"select[name=e-{young[0].pk}-{employers[0].pk}]")).to_have_value("2")
    assert gathering.interest_marks.count() == 9

    # The formation: everyone seated, explained, accepted.
    page.check(f"input[name=loops][value='{loop.pk}']")
    page.locator("form[action$='/formation/'] button[type=submit]").click()
    expect(page.locator("[data-testid=formation-summary]")).to_contain_text("3")
    for person in young:
        expect(page.locator("main")).to_contain_text(person.full_name)
    assert_accessible(page)
    page.locator("form[action$='/formation/accept/'] button[type=submit]").click()
    page.wait_for_url(f"**/loops/{loop.pk}/")

    # The grid: a row per participant, each cell an employer with its placement.
    grid = page.locator("[data-testid=loop-grid]")
    for person in young:
        expect(grid).to_contain_text(person.full_name)
    for employer in employers:
        expect(grid).to_contain_text(employer.name)
    expect(grid.locator("a[href^='/placements/']")).to_have_count(9)
    assert LoopPlacement.objects.filter(seat__loop=loop).count() == 9
    # Each candidate starts or ends where both marked yes (the first and last count double).
    ends = {
        (cell.placement.participant_id, cell.placement.employer_id)
        for cell in LoopPlacement.objects.filter(seat__loop=loop, period__in=[0, 2]).select_related(
            "placement"
        )
    }
    assert {(p.pk, e.pk) for p, e in zip(young, employers, strict=True)} <= ends
    assert_accessible(page)

    # The annual wheel: the picture and the same events as a list.
    page.locator(f"a[href='/loops/{loop.pk}/wheel/']").click()
    page.wait_for_url(f"**/loops/{loop.pk}/wheel/")
    expect(page.locator("svg.wheel title").first).to_be_attached()
    events = page.locator("[data-testid=wheel-events] tbody tr:not([data-kind=today])")
    expect(events.first).to_have_attribute("data-kind", "kick_off")
    expect(events.last).to_have_attribute("data-kind", "closing")
    assert_accessible(page)
