"""Switching the interface language from the header."""

import pytest
from playwright.sync_api import expect


def switch_language(page, code):
    page.select_option("#language-select", code)
    page.locator(".lang-form button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", code)


@pytest.mark.browser
def test_a_counselor_switches_to_english_and_to_danish(page, log_in, counselor, participant):
    log_in(counselor)
    page.goto("/participants/")  # sign-in lands on the role's own page
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "nb")

    switch_language(page, "en")

    # Back on the same page, in English (the source language, so the label is certain).
    assert page.url.endswith("/participants/")
    assert "Samspill" in page.title()
    expect(page.locator("label[for=language-select]")).to_have_text("Language")
    expect(page.locator("#language-select")).to_have_value("en")

    switch_language(page, "da")

    assert page.url.endswith("/participants/")
    assert "Samspill" in page.title()
    expect(page.locator("#language-select")).to_have_value("da")
    expect(page.locator("#caseload-results")).to_contain_text("Nordmann, Kari")


@pytest.mark.browser
def test_the_chosen_language_stays_on_the_next_page(page, log_in, counselor, participant):
    log_in(counselor)
    page.goto("/participants/")  # sign-in lands on the role's own page
    switch_language(page, "en")

    page.get_by_role("link", name="Nordmann, Kari").click()

    page.wait_for_url(f"**/participants/{participant.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")


@pytest.mark.browser
def test_the_language_can_be_switched_before_logging_in(page):
    page.goto("/login/")

    switch_language(page, "en")

    assert page.url.endswith("/login/")
    expect(page.locator("label[for=id_username]")).to_have_text("E-mail address")
