"""The driver's jobbLOOP day without dead ends (issue 18), walked as the coordinator who drives
the loop and follows none of the young people: he invites the candidates their counselor
proposed, records attendance, runs and accepts the formation, sees the rotation (cells linked as
far as he may see), sets a mentor at the right employer, is told plainly when no loop has free
seats, and reads the annual wheel (months, legend, today). At 1366 and 390 px, axe on the way.

Set SAMSPILL_SHOTS to a folder to keep a screenshot of every page looked at."""

import datetime
import os
from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from samspill.accounts.models import User
from samspill.core.testing import make_employer, make_participant
from samspill.employers.services import contact_add
from samspill.loops import services
from samspill.loops.models import GatheringInvitation, Loop
from tests.browser.axe import assert_accessible
from tests.browser.test_small_screens import assert_no_horizontal_scroll

SHOTS = os.environ.get("SAMSPILL_SHOTS")
LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def look(page: Page, name: str) -> None:
    assert_no_horizontal_scroll(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/loop-journey-{name}.png", full_page=True)


@pytest.fixture
def kick_off(org, coordinator: User, counselor: User, employer):
    """A kick-off five days ago with the bakery's contact; the counselor has proposed three of
    her young people for it (a fourth she follows is not proposed). A loop starts in three
    weeks, driven by the coordinator."""
    today = timezone.localdate()
    employers = [
        employer,
        make_employer(org, counselor, name="Verkstedet AS"),
        make_employer(org, counselor, name="Butikken AS"),
    ]
    contact_add(
        employer=employer,
        by=counselor,
        name="Mona Mentor",
        email="mona@bakeriet.example",
        is_mentor=True,
        confidentiality_signed_on=datetime.date(2026, 1, 2),
    )
    vera = contact_add(
        employer=employers[1],
        by=counselor,
        name="Vera Verksted",
        email="vera@verkstedet.example",
        is_mentor=True,
    )
    young = [
        make_participant(org, counselor, given_name=name, birth_date=datetime.date(2006, 3, 1))
        for name in ("Kari", "Ola", "Nora")
    ]
    unproposed = make_participant(org, counselor, given_name="Hemmelig")
    gathering = services.gathering_create(
        organisation=org,
        by=coordinator,
        date=today - datetime.timedelta(days=5),
        place="Kulturhuset",
    )
    for person in young:
        services.gathering_nominate(gathering=gathering, by=counselor, participant=person)
    loop = services.loop_create(
        organisation=org,
        by=coordinator,
        name="Loop Vest",
        driver=coordinator,
        counselor=counselor,
        start_date=today + datetime.timedelta(days=21),
        employers=employers,
    )
    return {
        "gathering": gathering,
        "employers": employers,
        "young": young,
        "unproposed": unproposed,
        "loop": loop,
        "vera": vera,
    }


@pytest.mark.browser
def test_the_driver_runs_a_kick_off_and_his_loop_without_dead_ends(
    page: Page, log_in: Callable[[User], None], coordinator: User, kick_off
) -> None:
    page.set_default_timeout(30_000)  # a shared machine under load
    page.set_viewport_size(LAPTOP)
    log_in(coordinator)
    gathering = kick_off["gathering"]
    young = kick_off["young"]
    employers = kick_off["employers"]
    loop: Loop = kick_off["loop"]

    # The kick-off: the proposed candidates are offered, saying who proposed them; nobody else.
    # He may not open their records, so they are numbered, never named, until seated.
    page.goto(f"/loops/gatherings/{gathering.pk}/")
    invite = page.locator("[data-testid=invite-form]")
    numbered = [f"Kandidat {n}" for n in range(1, len(young) + 1)]
    for label in numbered:
        expect(invite).to_contain_text(f"{label} (foreslått av Counselor")
    expect(page.locator("[data-testid=proposed]")).to_contain_text("Kandidat 1 · foreslått av")
    for person in [*young, kick_off["unproposed"]]:
        expect(page.locator("main")).not_to_contain_text(person.given_name)
    for label in numbered:
        invite.get_by_label(f"{label} (", exact=False).check()
    invite.get_by_role("button", name="Inviter").click()
    page.wait_for_url(f"**/loops/gatherings/{gathering.pk}/")
    invited = page.locator("table").first
    for label in numbered:
        expect(invited).to_contain_text(label)
    for person in young:
        expect(page.locator("main")).not_to_contain_text(person.given_name)

    # He records attendance himself (the counselor's proposal lets him).
    first = GatheringInvitation.objects.get(gathering=gathering, participant=young[0])
    row = page.locator(f"form[action$='/invitations/{first.pk}/attendance/']")
    row.locator("select").select_option("attended")
    row.get_by_role("button").click()
    page.wait_for_url(f"**/loops/gatherings/{gathering.pk}/")
    expect(page.locator(f"#att-{first.pk}")).to_have_value("attended")
    for invitation in GatheringInvitation.objects.filter(gathering=gathering).exclude(pk=first.pk):
        services.invitation_attendance_set(
            invitation=invitation,
            by=coordinator,
            attendance=GatheringInvitation.Attendance.ATTENDED,
        )
    for i, person in enumerate(young):
        for j, employer in enumerate(employers):
            services.interest_mark_set(
                gathering=gathering,
                by=coordinator,
                candidate=person,
                employer=employer,
                employer_mark=2 if i == j else 1,
                candidate_mark=2 if i == j else 0,
            )
    page.reload()
    assert_accessible(page)
    look(page, "gathering-1366")

    # The formation: run, accepted.
    page.check(f"input[name=loops][value='{loop.pk}']")
    page.locator("form[action$='/formation/'] button[type=submit]").click()
    expect(page.locator("[data-testid=formation-summary]")).to_contain_text("3")
    for label in numbered:
        expect(page.locator("main")).to_contain_text(label)
    for person in young:
        expect(page.locator("main")).not_to_contain_text(person.given_name)
    look(page, "formation-1366")
    page.locator("form[action$='/formation/accept/'] button[type=submit]").click()
    page.wait_for_url(f"**/loops/{loop.pk}/")

    # The rotation: seated, they are named as the loop shares them; each cell links to its employer, never to a
    # placement or a record he may not open.
    grid = page.locator("[data-testid=loop-grid]")
    for person in young:
        expect(grid).to_contain_text(person.full_name)
    expect(grid.locator("a[href^='/employers/']")).to_have_count(9)
    expect(grid.locator("a[href^='/placements/'], a[href^='/participants/']")).to_have_count(0)

    # The mentor selector says whose mentor it sets.
    workshop = page.locator(f"[data-testid=mentor-{employers[1].pk}]")
    workshop.get_by_label("Mentor hos Verkstedet AS").select_option(str(kick_off["vera"].pk))
    workshop.get_by_role("button", name="Sett mentor hos Verkstedet AS").click()
    page.wait_for_url(f"**/loops/{loop.pk}/")
    expect(page.locator(f"[data-testid=mentor-{employers[1].pk}] strong")).to_have_text(
        "Vera Verksted"
    )
    assert_accessible(page)
    look(page, "loop-1366")

    # No loop has free seats now: said plainly, with the way to make one, and no empty form.
    page.goto(f"/loops/gatherings/{gathering.pk}/")
    notice = page.locator("[data-testid=no-open-loops]")
    expect(notice).to_contain_text("Ingen loop har ledige plasser.")
    expect(notice.get_by_role("link", name="Opprett en loop")).to_have_attribute(
        "href", "/loops/new/"
    )
    expect(page.locator("form[action$='/formation/']")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text("Ingen å velge")

    # The annual wheel: months around the ring, a legend, today marked in picture and table.
    page.goto(f"/loops/{loop.pk}/wheel/")
    wheel = page.locator("svg.wheel")
    # A tick and a name for each month (the loop's twelve and the kick-off's), then the periods.
    assert wheel.locator("line").count() >= 13
    assert wheel.locator("text").count() >= 13 + 3
    expect(wheel.locator("g.wheel-today")).to_have_count(1)
    legend = page.locator("[data-testid=wheel-legend]")
    for label in ("Periode 1:", "I dag", "Oppstartssamling", "Bytte av bedrift", "Avslutning"):
        expect(legend).to_contain_text(label)
    events = page.locator("[data-testid=wheel-events]")
    expect(events.locator("tr[data-kind=today]")).to_contain_text("I dag")
    expect(events.locator("tbody tr").first).to_have_attribute("data-kind", "kick_off")
    assert_accessible(page)
    look(page, "wheel-1366")

    # On a phone: nothing scrolls sideways, the wheel fits, and axe is still content.
    page.set_viewport_size(PHONE)
    box = wheel.bounding_box()
    assert box is not None and box["width"] <= PHONE["width"]
    look(page, "wheel-390")
    assert_accessible(page)
    page.goto(f"/loops/{loop.pk}/")
    look(page, "loop-390")
    page.goto(f"/loops/gatherings/{gathering.pk}/")
    look(page, "gathering-390")
