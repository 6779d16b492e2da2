"""A mentor on a phone: logs in, opens their participant, writes a note and flags a concern; the
counselor finds the concern on the Today page. And staff's employer pages pass axe too."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from samspill.accounts.models import User
from samspill.core.testing import PASSWORD
from samspill.employers import services as employer_services
from samspill.participants import services as participant_services
from samspill.placements import services as placement_services
from samspill.placements.models import Concern, MentorNote
from tests.browser.axe import assert_accessible

CONCERN = "Kom ikke i dag og svarer ikke på telefon."
NOTE = "God første uke, flink med kundene."


@pytest.fixture
def mentor_at_bakery(employer, counselor, participant) -> User:
    contact = employer_services.contact_add(
        employer=employer,
        by=counselor,
        name="Mona Mentor",
        email="mona@bakeriet.example",
        is_mentor=True,
        confidentiality_signed_on=datetime.date(2026, 1, 2),
    )
    user = User.objects.create_user(email=contact.email, password=PASSWORD, full_name=contact.name)
    contact.user = user
    contact.save(update_fields=["user"])
    placement_services.placement_create(
        participant=participant,
        employer=employer,
        by=counselor,
        kind="work_training",
        title="Bakeassistent",
        tasks="Steke brød",
        start_date=datetime.date(2026, 2, 1),
        end_date=datetime.date(2027, 1, 31),
        start_reason="Registered after the start.",
        mentor=contact,
    )
    participant_services.consent_give(
        participant=participant, by=counselor, recipient="workplace", information="contact"
    )
    return user


def fits_the_screen(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px screen"


@pytest.mark.browser
def test_a_mentor_on_a_phone_writes_a_note_and_flags_a_concern_the_counselor_sees(
    phone, page, log_in, mentor_at_bakery, counselor, participant
):
    phone.goto("/login/")
    phone.fill("input[name=username]", mentor_at_bakery.email)
    phone.fill("input[name=password]", PASSWORD)
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_url(lambda url: url.endswith(reverse("portal:home")))
    fits_the_screen(phone)
    assert_accessible(phone)

    phone.get_by_role("link", name=participant.full_name).click()
    expect(phone.locator("h1")).to_have_text(participant.full_name)
    expect(phone.locator(".call-card")).to_contain_text(counselor.full_name)
    fits_the_screen(phone)
    assert_accessible(phone)

    note_form = phone.locator("form[action$='/notes/']")
    note_form.locator("textarea").fill(NOTE)
    with phone.expect_navigation():
        note_form.locator("button[type=submit]").click()
    concern_form = phone.locator("form[action$='/concern/']")
    concern_form.locator("textarea").fill(CONCERN)
    with phone.expect_navigation():
        concern_form.locator("button[type=submit]").click()
    expect(phone.locator(".message.success")).to_be_visible()
    assert MentorNote.objects.get().text == NOTE
    assert Concern.objects.get().text == CONCERN

    log_in(counselor)
    page.goto(reverse("followup:today"))
    concerns = page.locator("section#concerns")
    expect(concerns).to_contain_text(CONCERN)
    expect(concerns).to_contain_text(participant.full_name)
    assert_accessible(page)
    with page.expect_navigation():
        concerns.locator("button[type=submit]").first.click()
    expect(page.locator("main")).not_to_contain_text(CONCERN)


@pytest.mark.browser
def test_the_employer_pages_pass_axe(page, log_in, counselor, employer, mentor_at_bakery):
    employer_services.need_add(employer=employer, by=counselor, role="Baker")
    log_in(counselor)
    for url in (
        reverse("employers:list"),
        reverse("employers:board"),
        reverse("employers:create"),
        reverse("employers:detail", kwargs={"pk": employer.pk}),
        reverse("employers:contact_person", kwargs={"pk": employer.pk}),
        reverse(
            "employers:contact",
            kwargs={"pk": employer.pk, "contact_pk": mentor_at_bakery.employer_contact.pk},
        ),
    ):
        page.goto(url)
        assert_accessible(page)
