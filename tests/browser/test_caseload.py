"""A counselor's caseload: log in, find a participant, narrow the list."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from samspill.core.testing import PASSWORD, make_participant
from tests.browser.htmx import mark_page, page_was_not_reloaded


@pytest.fixture
def overdue_participant(org, counselor):
    return make_participant(
        org,
        counselor,
        given_name="Ola",
        family_name="Hansen",
        next_follow_up_on=datetime.date(2020, 1, 6),
    )


@pytest.mark.browser
def test_a_counselor_logs_in_and_lands_on_their_caseload(page, counselor, participant):
    page.goto("/participants/")
    page.wait_for_url("**/login/?next=/participants/")
    page.fill("input[name=username]", counselor.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()

    page.wait_for_url("**/participants/")
    results = page.locator("#caseload-results")
    expect(results.get_by_role("link", name="Nordmann, Kari")).to_be_visible()


@pytest.mark.browser
def test_the_search_box_narrows_the_caseload_without_reloading_the_page(
    page, log_in, counselor, participant, overdue_participant
):
    log_in(counselor)
    page.goto("/participants/")  # sign-in lands on the role's own page
    results = page.locator("#caseload-results")
    expect(results.get_by_role("link", name="Nordmann, Kari")).to_be_visible()
    expect(results.get_by_role("link", name="Hansen, Ola")).to_be_visible()
    mark_page(page)
    page.evaluate("document.getElementById('caseload-announce').samspillMark = true")

    page.locator("#id_q").press_sequentially("Hans")

    expect(results.get_by_role("link", name="Nordmann, Kari")).to_have_count(0)
    expect(results.get_by_role("link", name="Hansen, Ola")).to_be_visible()
    assert page_was_not_reloaded(page)
    # The new count is written into a live region that was there before the search (a live
    # region swapped in with the results would not be read out).
    announce = page.locator("#caseload-announce")
    expect(announce).to_contain_text("1")
    assert announce.evaluate("e => e.samspillMark === true")
    # The search is in the address bar, so a reload or a shared link shows the same list.
    assert "q=Hans" in page.url


@pytest.mark.browser
def test_a_quick_filter_shows_only_the_overdue_participants(
    page, log_in, counselor, participant, overdue_participant
):
    log_in(counselor)
    page.goto("/participants/")  # sign-in lands on the role's own page

    page.locator("#caseload-results a[href*='quick=overdue']").click()

    page.wait_for_url("**quick=overdue**")
    results = page.locator("#caseload-results")
    expect(results.get_by_role("link", name="Hansen, Ola")).to_be_visible()
    expect(results.get_by_role("link", name="Nordmann, Kari")).to_have_count(0)
    expect(results.locator("a[href*='quick=overdue']")).to_have_attribute("aria-current", "true")


@pytest.mark.browser
def test_a_quick_filter_after_a_search_keeps_the_search(
    page, log_in, counselor, participant, overdue_participant
):
    log_in(counselor)
    page.goto("/participants/")  # sign-in lands on the role's own page
    results = page.locator("#caseload-results")
    page.locator("#id_q").press_sequentially("Nord")
    # Wait for the search for the whole word: the quick-filter links are rebuilt from it.
    page.wait_for_url("**q=Nord**")
    expect(results.locator("a[href*='quick=no_follow_up']")).to_have_attribute(
        "href", re.compile("q=Nord")
    )

    results.locator("a[href*='quick=no_follow_up']").click()

    page.wait_for_url("**quick=no_follow_up**")
    expect(page.locator("#id_q")).to_have_value("Nord")
    expect(results.get_by_role("link", name="Nordmann, Kari")).to_be_visible()
    expect(results.get_by_role("link", name="Hansen, Ola")).to_have_count(0)


@pytest.mark.browser
def test_changing_a_filter_reloads_the_results_but_changing_the_language_does_not(
    page, log_in, counselor, participant, overdue_participant
):
    log_in(counselor)
    page.goto("/participants/")  # sign-in lands on the role's own page
    searches = []
    page.on(
        "request",
        lambda r: searches.append(r.url) if r.headers.get("hx-request") == "true" else None,
    )

    page.select_option("#language-select", "en")  # not yet submitted
    page.select_option("#id_sort", "-name")

    results = page.locator("#caseload-results tbody a")
    expect(results.first).to_have_text("Nordmann, Kari")
    assert len(searches) == 1
    assert "sort=-name" in searches[0]
