"""A mentor reads NAV's measures in the portal, on a laptop (1366 px) and on a phone (390 px),
from the link on the portal's front page (issue 22, item 10); a counselor drafts a summer job
without wage subsidy after a refused age (item 12)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from samspill.core.testing import make_participant
from samspill.placements.models import Placement
from tests.browser.axe import assert_accessible
from tests.browser.sessions import log_in_on


def sees_the_measures(page: Page) -> None:
    page.goto(reverse("portal:home"))
    page.get_by_role("link", name="Virkemidler du kan bruke").click()
    expect(page.locator("h1")).to_have_text("Virkemidler du kan bruke")
    for name in ("Lønnstilskudd", "Tilskudd til mentor", "Arbeidstrening", "Inkluderingstilskudd"):
        expect(page.get_by_role("heading", name=name)).to_be_visible()
    assert_accessible(page)


@pytest.mark.browser
def test_a_mentor_reads_the_measures_on_a_laptop_and_a_phone(page, phone, mentor):
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in_on(page, mentor)
    sees_the_measures(page)
    log_in_on(phone, mentor)
    sees_the_measures(phone)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px screen"


@pytest.mark.browser
def test_a_counselor_drafts_a_summer_job_without_subsidy_after_a_refused_age(
    page, org, counselor, employer, mentor_contact
):
    today = timezone.localdate()
    year = today.year if today < datetime.date(today.year, 6, 15) else today.year + 1
    young = make_participant(org, counselor, birth_date=datetime.date(year - 15, 9, 1))
    adult = make_participant(
        org, counselor, given_name="Per", birth_date=datetime.date(year - 18, 1, 1)
    )
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in_on(page, counselor)

    def draft(participant) -> None:
        page.goto(reverse("employers:detail", kwargs={"pk": employer.pk}))
        form = page.locator(f"form[action$='/employers/{employer.pk}/placements/']")
        if not form.locator("select[name=participant]").is_visible():
            form.locator("xpath=ancestor::details/summary").click()
        form.locator("select[name=participant]").select_option(str(participant.pk))
        form.locator("select[name=kind]").select_option("summer_job")
        form.locator("input[name=title]").fill("Parkarbeider")
        form.locator("input[name=start_date]").fill(f"{year}-06-22")
        form.locator("input[name=end_date]").fill(f"{year}-07-17")
        with page.expect_navigation():
            form.locator("button[type=submit]").click()

    draft(young)
    expect(page.locator("main")).to_contain_text("fra 16 år")
    assert not Placement.objects.exists()
    assert_accessible(page)

    draft(adult)
    placement = Placement.objects.get()
    assert placement.participant == adult and placement.wage_subsidy_percent is None


@pytest.mark.browser
def test_an_administrator_rewrites_a_measure_and_a_counselor_follows_the_agreements_link(
    page, phone, admin, counselor, participant, employer, mentor_contact
):
    from samspill.placements.tests import cast

    page.set_viewport_size({"width": 1366, "height": 768})
    log_in_on(page, admin)
    page.goto(reverse("placements:measures"))
    assert_accessible(page)
    page.get_by_role("link", name="Endre teksten om Arbeidstrening").click()
    assert_accessible(page)
    page.locator("#id_what").fill("Prøv deg i jobb hos oss, med oppfølging hver uke.")
    page.get_by_role("button", name="Lagre virkemidlet").click()
    expect(page.get_by_text("Virkemidlet er lagret.")).to_be_visible()
    expect(page.locator("#measure-work_training")).to_contain_text("med oppfølging hver uke")

    # The counselor, on a phone, goes from the agreement to the measure in the same words.
    placement = cast.draft(participant, employer, counselor, mentor_contact)
    log_in_on(phone, counselor)
    phone.goto(reverse("placements:detail", kwargs={"pk": placement.pk}))
    phone.locator("#agreement-measures").get_by_role("link", name="Arbeidstrening").click()
    expect(phone.locator("#measure-work_training")).to_contain_text("med oppfølging hver uke")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(phone)
