"""A participant on a phone: accepts the invitation (chooses a password), marks an activity in their plan done, writes to their
counselor, reads who has seen their record and withdraws a consent; the counselor finds the
message on Today and answers from the record's Messages tab. Every page passes axe and fits a
390 px screen, and so do signing in and a forgotten password."""

from urllib.parse import urlparse

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from samspill.core.testing import PASSWORD
from samspill.participants import services as participant_services
from samspill.participants.models import ConsentRecord
from samspill.plans.models import Activity
from samspill.portal.services import invitation_url, participant_invite
from samspill.selfservice.models import Message
from tests.browser.axe import assert_accessible

QUESTION = "Kan vi flytte møtet til fredag?"
ANSWER = "Ja, fredag klokka ti passer."


def fits_the_screen(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px screen"


def checked(page: Page) -> None:
    fits_the_screen(page)
    assert_accessible(page)


@pytest.mark.browser
def test_a_participant_on_a_phone_works_on_their_plan_and_talks_with_their_counselor(
    phone, page, log_in, full_record, counselor
):
    counselor.phone = "+47 400 00 001"
    counselor.save(update_fields=["phone"])
    participant_services.participant_update(
        participant=full_record, by=counselor, email="kari@example.org"
    )
    full_record.refresh_from_db()
    me = participant_invite(participant=full_record, by=counselor)
    # The invitation on a phone: choose a password, and straight in.
    phone.goto(urlparse(invitation_url(me)).path)
    checked(phone)
    expect(phone.locator("main")).not_to_contain_text(counselor.full_name)
    phone.locator("input[name=new_password1]").fill(PASSWORD)
    phone.locator("input[name=new_password2]").fill(PASSWORD)
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_url(lambda url: url.endswith(reverse("portal:home")))
    checked(phone)

    phone.goto(reverse("selfservice:my_plan"))
    expect(phone.locator("main")).to_contain_text("Work training at Bakeriet")
    expect(phone.locator(".call-card")).to_contain_text("+47 400 00 001")
    checked(phone)
    with phone.expect_navigation():
        phone.locator("form[action$='/done/'] button").first.click()
    expect(phone.locator(".message.success")).to_be_visible()
    assert Activity.objects.get(participant=full_record).status == Activity.Status.DONE

    phone.goto(reverse("selfservice:my_dialog"))
    phone.locator("main form textarea").fill(QUESTION)
    with phone.expect_navigation():
        phone.locator("main form button[type=submit]").click()
    expect(phone.locator(".thread")).to_contain_text(QUESTION)
    checked(phone)

    phone.goto(reverse("selfservice:my_consents"))
    checked(phone)
    with phone.expect_navigation():
        phone.locator("main form button.danger").first.click()
    assert not ConsentRecord.objects.filter(withdrawn_at__isnull=True).exists()

    log_in(counselor)
    page.goto(reverse("followup:today"))
    listed = page.locator("section#from-participants")
    expect(listed).to_contain_text(QUESTION)
    page.goto(reverse("selfservice:participant_dialog", kwargs={"pk": full_record.pk}))
    expect(page.locator(".thread")).to_contain_text(QUESTION)
    assert_accessible(page)
    page.locator("main form textarea").fill(ANSWER)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert Message.objects.filter(from_participant=False, text=ANSWER).exists()

    phone.goto(reverse("selfservice:my_access_log"))
    expect(phone.locator("main")).to_contain_text(counselor.full_name)
    checked(phone)
    phone.goto(reverse("selfservice:my_dialog"))
    expect(phone.locator(".thread")).to_contain_text(ANSWER)

    # Signing in again and a forgotten password, on the phone.
    phone.context.clear_cookies()
    phone.goto(reverse("password_reset"))
    checked(phone)
    phone.goto("/login/")
    checked(phone)
    phone.fill("input[name=username]", me.email)
    phone.fill("input[name=password]", PASSWORD)
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_url(lambda url: url.endswith(reverse("portal:home")))
