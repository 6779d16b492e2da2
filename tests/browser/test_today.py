"""The Today page's lists: the first rows of each, and a long list read whole on its own page."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from samspill.core.testing import make_participant
from samspill.followup import today
from tests.browser.axe import assert_accessible

DUE = datetime.date(2026, 1, 5)


@pytest.mark.browser
def test_a_long_list_is_followed_from_today_to_its_own_page(page, log_in, org, counselor):
    rows = today.FIRST_ROWS + 3
    for index in range(rows):
        make_participant(org, counselor, family_name=f"Berg{index:02}", next_follow_up_on=DUE)
    log_in(counselor)
    page.goto(reverse("followup:today"))

    section = page.locator("section#follow-ups")
    expect(section.locator("li")).to_have_count(today.FIRST_ROWS)
    link = section.get_by_role("link", name=f"Vis alle {rows} (Tid for oppfølging)")
    link.focus()
    page.keyboard.press("Enter")

    page.wait_for_url("**/today/follow-ups/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tid for oppfølging")
    expect(page.locator("main li")).to_have_count(rows)
    # The list is part of the Today page: the main menu says so.
    menu = page.get_by_role("navigation", name="Hovedmeny")
    expect(menu.get_by_role("link", name="I dag")).to_have_attribute("aria-current", "page")
    expect(page.get_by_text("Berg12")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Tilbake til I dag").click()
    page.wait_for_url("**/today/#follow-ups")
