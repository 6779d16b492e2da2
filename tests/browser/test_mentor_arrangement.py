"""The mentor side of a placement (seed 002): the counselor, at a laptop (1366 px), records how
the mentor was chosen with the employer, the mentor grant and the leader who backs the mentor;
the mentor, on a phone (390 px), records the month's hours in the portal. Axe on both pages."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from samspill.placements.models import MentorArrangement, MentorMonth
from samspill.placements.tests import cast
from tests.browser.axe import assert_accessible
from tests.browser.sessions import log_in_on


def fits(page: Page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.browser
def test_the_counselor_records_the_mentor_and_the_mentor_a_months_hours(
    page,
    phone,
    counselor,
    participant,
    employer,
    mentor_contact,
    mentor,
    employer_contact,
    employer_user,
):
    placement = cast.approve_all(
        cast.draft(participant, employer, counselor, mentor_contact), counselor, employer_user
    )
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in_on(page, counselor)
    page.goto(f"/placements/{placement.pk}/")
    page.locator(f"a[href='/placements/{placement.pk}/mentor/']").click()
    page.wait_for_url(f"**/placements/{placement.pk}/mentor/")
    assert_accessible(page)
    form = page.locator("form:has(input[name=which][value=arrangement])")
    form.locator("input[name='arrangement-chosen_with_employer']").check()
    form.locator("input[name='arrangement-chosen_on']").fill(timezone.localdate().isoformat())
    form.locator("textarea[name='arrangement-why']").fill("Står ved ovnen hver dag")
    form.locator("input[name='arrangement-hours_per_week']").fill("3")
    form.locator("select[name='arrangement-compensation']").select_option("mentor_grant")
    form.locator("select[name='arrangement-leader']").select_option(str(employer_contact.pk))
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator("section[aria-labelledby=h-arrangement] dl")).to_contain_text("Eirik Eier")
    assert MentorArrangement.objects.get().hours_per_week == 3
    fits(page, 1366)
    assert_accessible(page)

    log_in_on(phone, mentor)
    phone.goto(f"/portal/placements/{placement.pk}/")
    phone.locator(f"a[href='/portal/placements/{placement.pk}/mentor/']").click()
    phone.wait_for_url(f"**/portal/placements/{placement.pk}/mentor/")
    expect(phone.locator("section[aria-labelledby=h-arrangement]")).to_contain_text("Eirik Eier")
    month = phone.locator("form[action$='/mentor/']")
    month.locator("input[name=hours]").fill("6")
    month.locator("textarea[name=note]").fill("Opplæring ved ovnen")
    with phone.expect_navigation():
        month.locator("button[type=submit]").click()
    expect(phone.locator("section[aria-labelledby=h-months] table")).to_contain_text("6")
    assert MentorMonth.objects.get().hours == 6
    fits(phone, 390)
    assert_accessible(phone)
