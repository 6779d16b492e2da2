"""Journeys of issue 22, items 2, 4 and 13, walked in the browser (each lacked one).

- Choosing employers (item 2): the loop's driver records why an employer suits the loop, what
  it offers and whether it can take a young person every period, beside its earlier loops.
- The young people's own gathering (item 4): the driver creates one for the loop and finds it
  in the annual wheel.
- Belief in the labour market (item 13): the counselor answers the optional second question in
  the belief check-in; it shows beside the belief in the job seeker, and the leader sees it per
  team on the follow-up dashboard.
At 1366 px (and 390 px for the new ones), axe on the way."""

import datetime
from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from samspill.accounts.models import User
from samspill.core.testing import make_employer
from samspill.followup.models import Belief, BeliefCheckIn
from samspill.loops import services
from samspill.loops.models import EmployerSelection, Gathering
from tests.browser.axe import assert_accessible
from tests.browser.test_small_screens import assert_no_horizontal_scroll

LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def look(page: Page) -> None:
    assert_no_horizontal_scroll(page)
    assert_accessible(page)


@pytest.fixture
def two_loops(org, coordinator: User, counselor: User, employer):
    today = timezone.localdate()
    employers = [
        employer,
        make_employer(org, counselor, name="Verkstedet AS"),
        make_employer(org, counselor, name="Butikken AS"),
    ]
    earlier = services.loop_create(
        organisation=org,
        by=coordinator,
        name="Loop i fjor",
        driver=coordinator,
        counselor=counselor,
        start_date=today - datetime.timedelta(days=400),
        employers=employers,
    )
    loop = services.loop_create(
        organisation=org,
        by=coordinator,
        name="Loop Vest",
        driver=coordinator,
        counselor=counselor,
        start_date=today + datetime.timedelta(days=30),
        employers=employers,
    )
    return {"earlier": earlier, "loop": loop, "employers": employers}


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366", "390"])
def test_the_driver_records_why_an_employer_is_chosen_beside_its_earlier_loops(
    page: Page, log_in: Callable[[User], None], coordinator: User, two_loops, viewport
) -> None:
    page.set_viewport_size(viewport)
    loop, bakery = two_loops["loop"], two_loops["employers"][0]
    log_in(coordinator)
    page.goto(f"/loops/{loop.pk}/")
    page.locator("main").get_by_role("link", name="Valg av arbeidsgivere").click()
    page.wait_for_url(f"**/loops/{loop.pk}/employers/")
    section = page.locator(f"[data-testid=selection-{bakery.pk}]")
    expect(section).to_contain_text("Loop i fjor")
    section.get_by_label("Hvorfor denne arbeidsgiveren").fill("Gode mentorer og faste oppgaver.")
    section.get_by_label("Hva de tilbyr").fill("Bakeri og kafé, dagtid.")
    section.get_by_label("Kan ta imot en ung hver periode").check()
    look(page)
    section.locator("button[type=submit]").click()
    page.wait_for_url(f"**/loops/{loop.pk}/employers/")
    expect(page.locator(".messages")).to_be_visible()
    chosen = EmployerSelection.objects.get(loop=loop, employer=bakery)
    assert chosen.takes_one_each_period and chosen.why == "Gode mentorer og faste oppgaver."
    expect(
        page.locator(f"[data-testid=selection-{bakery.pk}]").get_by_label(
            "Hvorfor denne arbeidsgiveren"
        )
    ).to_have_value("Gode mentorer og faste oppgaver.")


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366", "390"])
def test_the_driver_plans_the_young_peoples_own_gathering_and_finds_it_in_the_wheel(
    page: Page, log_in: Callable[[User], None], coordinator: User, two_loops, viewport
) -> None:
    page.set_viewport_size(viewport)
    loop = two_loops["loop"]
    day = loop.start_date + datetime.timedelta(days=45)
    log_in(coordinator)
    page.goto("/loops/gatherings/new/")
    form = page.locator("main form")
    form.locator("select[name=kind]").select_option("youth")
    form.locator("input[name=date]").fill(day.isoformat())
    form.locator("input[name=place]").fill("Ungdomshuset, kafeen")
    form.locator("select[name=loop]").select_option(str(loop.pk))
    look(page)
    form.locator("button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/gatherings/new/" not in url)
    gathering = Gathering.objects.get(loop=loop, kind=Gathering.Kind.YOUTH)
    assert gathering.date == day
    page.goto(f"/loops/{loop.pk}/wheel/")
    expect(page.locator("main")).to_contain_text("Ungdomssamling")
    look(page)


@pytest.mark.browser
def test_belief_in_the_labour_market_beside_belief_in_the_job_seeker(
    page: Page, log_in: Callable[[User], None], counselor: User, leader: User, participant
) -> None:
    page.set_viewport_size(LAPTOP)
    log_in(counselor)
    page.goto(f"/participants/{participant.pk}/belief/")
    form = page.locator("section[aria-labelledby=h-checkin] form")
    form.locator(f"input[name=belief][value='{Belief.YES_CERTAINLY.value}']").check()
    form.locator("select[name=market_belief]").select_option(str(Belief.UNSURE.value))
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    checkin = BeliefCheckIn.objects.get(participant=participant)
    assert (checkin.belief, checkin.market_belief) == (Belief.YES_CERTAINLY, Belief.UNSURE)
    history = page.locator("main table").last
    expect(history).to_contain_text(checkin.get_market_belief_display())
    expect(history).to_contain_text(checkin.get_belief_display())
    look(page)
    page.context.clear_cookies()
    log_in(leader)
    page.goto("/follow-up/dashboard/")
    expect(page.locator("#h-market-belief")).to_be_visible()
    look(page)
