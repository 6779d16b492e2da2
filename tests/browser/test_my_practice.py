"""My practice and the learning overview in the browser: a counselor opens their own mirror; a
leader compares before and after a start date. On a laptop and a phone, with axe-core."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from samspill.core.testing import make_participant
from samspill.followup.services import checkin_record
from tests.browser.test_learning import SIZES, check


@pytest.mark.browser
@pytest.mark.parametrize("size", list(SIZES))
def test_a_counselor_sees_their_mirror_and_a_leader_the_overview(
    page, log_in, org, counselor, leader, size
):
    page.set_viewport_size(SIZES[size])
    today = timezone.localdate()
    for n in range(6):
        person = make_participant(org, counselor, given_name=f"P{n}", start_date=today)
        checkin_record(participant=person, by=counselor, belief=4 if n < 5 else 2, asked_on=today)

    log_in(counselor)
    page.goto("/learning/")
    page.locator("main nav a", has_text="Min praksis").click()
    expect(page.locator("main h2")).to_have_text("Min praksis")
    expect(page.locator("main")).to_contain_text("Bare du ser denne siden")
    expect(page.locator("main")).to_contain_text("Deltakere i oppfølging")
    expect(page.locator("main nav a", has_text="Læringsoversikt")).to_have_count(0)
    check(page, "my-practice", size)

    page.context.clear_cookies()
    log_in(leader)
    page.goto("/learning/")
    page.locator("main nav a", has_text="Læringsoversikt").click()
    expect(page.locator("main")).to_contain_text("Observasjonelt")
    page.fill("#id_since", (today + datetime.timedelta(days=3)).isoformat())
    page.locator("main form button", has_text="Sammenlign").click()
    expect(page.locator("main")).to_contain_text("Velg en startdato før i dag.")
    page.fill("#id_since", (today - datetime.timedelta(days=30)).isoformat())
    page.locator("main form button", has_text="Sammenlign").click()
    expect(page.locator("main")).to_contain_text("Troen-sjekker på 4 eller 5")
    check(page, "learning-overview", size)
