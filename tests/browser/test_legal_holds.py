"""An administrator on a phone places a legal hold on a record and lifts it again, each with a
reason; a missing reason is said in words. The page passes axe and fits a 390 px screen."""

import pytest
from playwright.sync_api import Page, expect

from samspill.privacy.models import LegalHold
from tests.browser.axe import assert_accessible
from tests.browser.sessions import log_in_on


def checked(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px screen"
    assert_accessible(page)


@pytest.mark.browser
def test_an_administrator_places_and_lifts_a_legal_hold_on_a_phone(phone, admin, participant):
    # A cold live server on a busy machine answers its first page slowly.
    phone.goto("/login/", timeout=60_000)
    log_in_on(phone, admin)
    phone.goto("/privacy/retention/")
    checked(phone)
    place = phone.locator("form[action='/privacy/holds/']")

    place.get_by_label("Deltakernummer").fill(str(participant.pk))
    place.get_by_role("button", name="Gi pålegget").click()
    expect(phone.locator(".error-summary")).to_contain_text("Feltet er påkrevet")
    checked(phone)
    place = phone.locator("form[action='/privacy/holds/']")
    place.get_by_label("Hvorfor må mappen bevares?").fill("Klagesak hos Statsforvalteren")
    place.get_by_role("button", name="Gi pålegget").click()

    expect(phone.get_by_text("Klagesak hos Statsforvalteren")).to_be_visible()
    checked(phone)
    hold = LegalHold.objects.get()
    lift = phone.locator(f"form[action='/privacy/holds/{hold.pk}/lift/']")
    lift.get_by_label("Hvorfor oppheves bevaringspålegget?").fill("Saken er avsluttet")
    lift.get_by_role("button", name="Opphev pålegget").click()

    expect(phone.get_by_text("Ingen opplysninger er under bevaringspålegg.")).to_be_visible()
    hold.refresh_from_db()
    assert hold.lifted_by == admin
