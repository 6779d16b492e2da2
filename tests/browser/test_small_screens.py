"""A phone-sized screen: nothing makes the whole page scroll sideways."""

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible

PHONE = {"width": 390, "height": 844}


def assert_no_horizontal_scroll(page):
    widths = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth,"
        " client: document.documentElement.clientWidth})"
    )
    assert widths["scroll"] <= widths["client"] + 1, (
        f"{page.url} scrolls sideways on a phone: {widths}"
    )


def assert_tables_scroll_in_their_own_box(page):
    tables = page.locator("main table")
    assert tables.count() > 0
    for i in range(tables.count()):
        overflow = tables.nth(i).evaluate(
            "t => t.closest('.table-scroll') && getComputedStyle(t.closest('.table-scroll')).overflowX"
        )
        assert overflow in {"auto", "scroll"}, f"table {i} on {page.url} has no scroll container"


@pytest.mark.browser
def test_the_caseload_fits_a_phone(page, log_in, counselor, full_record):
    page.set_viewport_size(PHONE)
    log_in(counselor)
    page.goto("/participants/")

    expect(page.locator("#caseload-results")).to_contain_text("Nordmann, Kari")
    assert_no_horizontal_scroll(page)
    assert_tables_scroll_in_their_own_box(page)
    assert_accessible(page)


@pytest.mark.browser
@pytest.mark.parametrize("tab", ["", "plan/", "consent/", "follow-up/", "edit/"])
def test_the_participant_pages_fit_a_phone(page, log_in, counselor, full_record, tab):
    page.set_viewport_size(PHONE)
    log_in(counselor)
    page.goto(f"/participants/{full_record.pk}/{tab}")

    expect(page.locator("h1")).to_have_text("Kari Nordmann")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    assert_no_horizontal_scroll(page)
    if page.locator("main table").count():
        assert_tables_scroll_in_their_own_box(page)
    # A table wider than the screen must be reachable by keyboard to scroll it.
    assert_accessible(page)
