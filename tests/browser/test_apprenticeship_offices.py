"""A coordinator registers an apprenticeship office with its contact person and a member
employer, on a laptop (1366 px), from the employer list; the pages fit a phone (390 px) and
pass axe (issue 22, item 11)."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from samspill.employers.models import ApprenticeshipOffice
from tests.browser.axe import assert_accessible
from tests.browser.sessions import log_in_on


@pytest.mark.browser
def test_a_coordinator_registers_an_office_with_a_member(
    page: Page, phone: Page, coordinator, employer
):
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in_on(page, coordinator)
    page.goto(reverse("employers:list"))
    page.get_by_role("link", name="Opplæringskontor").click()
    assert_accessible(page)
    page.get_by_role("link", name="Nytt opplæringskontor").click()
    page.locator("#id_name").fill("Opplæringskontoret for bygg")
    page.locator("#id_contact_name").fill("Ola Opplæring")
    page.locator("#id_contact_phone").fill("22 00 00 00")
    page.get_by_label(employer.name).check()
    assert_accessible(page)
    page.get_by_role("button", name="Lagre opplæringskontoret").click()
    expect(page.get_by_text("Opplæringskontoret er lagret.")).to_be_visible()
    expect(page.get_by_role("link", name=employer.name)).to_be_visible()
    office = ApprenticeshipOffice.objects.get()
    assert list(office.members.all()) == [employer]

    log_in_on(phone, coordinator)
    for path in (reverse("employers:offices"), reverse("employers:office_edit", args=[office.pk])):
        phone.goto(path)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390, path
        assert_accessible(phone)
