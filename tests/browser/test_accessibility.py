"""axe-core on every page a counselor works in: no serious or critical violations."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from samspill.core.testing import PASSWORD
from samspill.participants import services
from samspill.participants.models import FollowUpPeriod
from tests.browser.axe import assert_accessible


@pytest.mark.browser
def test_the_login_page_has_no_serious_violations(page):
    page.goto("/login/")
    assert_accessible(page)


@pytest.mark.browser
def test_the_login_page_with_an_error_has_no_serious_violations(page, counselor):
    page.goto("/login/")
    page.fill("input[name=username]", counselor.email)
    page.fill("input[name=password]", "not-the-password")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector(".error-summary")
    assert_accessible(page)


@pytest.mark.browser
def test_the_login_page_of_a_locked_account_has_no_serious_violations(page, counselor):
    wrong = {"username": counselor.email, "password": "not-the-password"}
    for _ in range(10):
        Client().post("/login/", wrong)
    page.goto("/login/")
    page.fill("input[name=username]", counselor.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_contain_text("For mange forsøk")
    assert_accessible(page)


@pytest.mark.browser
@pytest.mark.parametrize(
    "url_name",
    ["detail", "plan", "consent", "follow_up", "edit"],
    ids=["overview", "plan", "consent", "follow-up", "edit-form"],
)
def test_the_participant_pages_have_no_serious_violations(
    page, log_in, counselor, full_record, url_name
):
    log_in(counselor)
    page.goto(reverse(f"participants:{url_name}", kwargs={"pk": full_record.pk}))
    # Open the folded "add" forms so their fields are checked too.
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    assert_accessible(page)


@pytest.mark.browser
def test_the_caseload_has_no_serious_violations(page, log_in, counselor, full_record):
    log_in(counselor)
    page.goto("/participants/")
    assert_accessible(page)


@pytest.mark.browser
def test_the_create_form_has_no_serious_violations(page, log_in, counselor):
    log_in(counselor)
    page.goto("/participants/new/")
    assert_accessible(page)


@pytest.mark.browser
def test_the_create_form_with_errors_has_no_serious_violations(page, log_in, counselor):
    log_in(counselor)
    page.goto("/participants/new/")
    page.fill("#id_national_id", "12345678901")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector(".error-summary")
    assert_accessible(page)


@pytest.mark.browser
def test_the_caseload_after_a_search_has_no_serious_violations(
    page, log_in, counselor, full_record
):
    log_in(counselor)
    page.goto("/participants/")  # sign-in lands on the role's own page
    page.locator("#id_q").press_sequentially("Nord")
    expect(page.locator("#caseload-announce")).not_to_be_empty()
    assert_accessible(page)


@pytest.mark.browser
def test_the_leaders_caseload_and_access_log_have_no_serious_violations(
    page, log_in, leader, full_record
):
    log_in(leader)
    page.goto("/participants/")  # sign-in lands on the role's own page
    assert_accessible(page)
    page.goto(reverse("participants:access_log", kwargs={"pk": full_record.pk}))
    assert_accessible(page)


@pytest.mark.browser
def test_the_follow_up_tab_after_the_follow_up_ended_has_no_serious_violations(
    page, log_in, counselor, full_record
):
    services.period_end(
        participant=full_record,
        by=counselor,
        end_date=datetime.date(2026, 2, 3),
        end_reason=FollowUpPeriod.EndReason.EDUCATION,
    )
    log_in(counselor)
    page.goto(reverse("participants:follow_up", kwargs={"pk": full_record.pk}))
    assert_accessible(page)
