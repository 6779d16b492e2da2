"""The caseload with a keyboard only: skip link first, then Tab and Enter."""

import pytest
from playwright.sync_api import expect


def focused(page):
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return {id: e.id, tag: e.tagName, text: e.textContent.trim()}; }"
    )


def tab_until(page, is_target, limit=40):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if is_target(focused(page)):
            return
    raise AssertionError(f"never reached the target with Tab; focus ended on {focused(page)}")


@pytest.mark.browser
def test_the_skip_link_is_the_first_stop_and_moves_focus_to_main(page, log_in, counselor):
    log_in(counselor)
    page.goto("/participants/")

    page.keyboard.press("Tab")

    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()  # it shows itself when focused
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


@pytest.mark.browser
def test_a_counselor_searches_and_opens_a_participant_with_the_keyboard(
    page, log_in, counselor, participant
):
    log_in(counselor)
    page.goto("/participants/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    tab_until(page, lambda f: f["id"] == "id_q")
    page.keyboard.type("Nord")
    results = page.locator("#caseload-results")
    expect(results).to_contain_text("Nordmann, Kari")
    tab_until(page, lambda f: f["tag"] == "A" and f["text"] == "Nordmann, Kari")
    page.keyboard.press("Enter")

    page.wait_for_url(f"**/participants/{participant.pk}/")
    expect(page.locator("h1")).to_have_text("Kari Nordmann")


@pytest.mark.browser
def test_a_quick_filter_is_chosen_with_the_keyboard(page, log_in, counselor, participant):
    log_in(counselor)
    page.goto("/participants/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    tab_until(
        page,
        lambda f: (
            f["tag"] == "A"
            and "quick=no_follow_up" in page.evaluate("document.activeElement.getAttribute('href')")
        ),
    )
    page.keyboard.press("Enter")

    page.wait_for_url("**quick=no_follow_up**")
    expect(page.locator("#caseload-results a[href*='quick=no_follow_up']")).to_have_attribute(
        "aria-current", "true"
    )
