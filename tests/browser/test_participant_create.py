"""Creating a participant, then writing the first note on their page."""

import datetime
import random

import pytest
from playwright.sync_api import Locator, Page, expect

from samspill.core.synthetic import fodselsnummer_for
from samspill.participants.models import Participant
from samspill.plans.models import Note
from tests.browser.htmx import mark_page, page_was_not_reloaded

STRENGTHS = {
    "dreams": "To work in a bakery.",
    "who_i_am": "Patient and early to rise.",
    "what_i_can": "Bake bread and keep a kitchen tidy.",
    "want_to_learn": "Cake decorating.",
    "interests": "Football and baking.",
}


@pytest.mark.browser
def test_a_counselor_creates_a_participant_and_adds_a_note(page, log_in, counselor):
    national_id = fodselsnummer_for(datetime.date(1990, 5, 17), random.Random(1))
    log_in(counselor)
    page.locator("header nav a[href='/participants/new/']").click()
    page.wait_for_url("**/participants/new/")

    page.fill("#id_given_name", "Aisha")
    page.fill("#id_family_name", "Berg")
    page.fill("#id_national_id", national_id)
    for name, text in STRENGTHS.items():
        page.fill(f"#id_{name}", text)
    page.locator("main form button[type=submit]").click()

    participant = Participant.objects.get(family_name="Berg")
    page.wait_for_url(f"**/participants/{participant.pk}/")
    expect(page.locator("h1")).to_have_text("Aisha Berg")
    expect(page.locator("main")).to_contain_text(STRENGTHS["what_i_can"])
    assert participant.national_id == national_id
    assert participant.birth_date == datetime.date(1990, 5, 17)
    assert participant.counselor == counselor

    mark_page(page)
    notes = page.locator("#notes-and-timeline")
    notes.locator("#id_text").fill("First conversation: wants to start in a bakery.")
    notes.locator("form button[type=submit]").click()

    expect(notes.locator(".timeline")).to_contain_text(
        "First conversation: wants to start in a bakery."
    )
    expect(notes.locator("#id_text")).to_have_value("")
    # Focus goes to the confirmation, not back to the top of the page with the old button.
    expect(notes.locator(".message[role=status]")).to_be_focused()
    assert page_was_not_reloaded(page)
    assert Note.objects.filter(participant=participant).count() == 1


def write_a_note_before_its_follow_up(page: Page, participant: Participant) -> Locator:
    """On the participant's page, save a note whose next follow-up comes before its date (the
    server refuses it); the page is marked to tell a swap from a reload. Returns the notes."""
    page.goto(f"/participants/{participant.pk}/")
    mark_page(page)
    notes = page.locator("#notes-and-timeline")
    notes.locator("#id_text").fill("Phoned about the interview.")
    notes.locator("#id_occurred_on").fill("2026-02-10")
    notes.locator("#id_next_follow_up_on").fill("2026-02-01")  # before the note's date
    notes.locator("form button[type=submit]").click()
    return notes


@pytest.mark.browser
def test_a_note_the_server_rejects_shows_the_error_in_place(page, log_in, counselor, participant):
    log_in(counselor)

    notes = write_a_note_before_its_follow_up(page, participant)

    expect(notes.locator("#id_next_follow_up_on_error")).to_be_visible()
    expect(notes.locator("#id_next_follow_up_on")).to_have_attribute("aria-invalid", "true")
    expect(notes.locator("#id_text")).to_have_value("Phoned about the interview.")
    expect(notes.locator(".error-summary")).to_be_focused()
    assert page_was_not_reloaded(page)
    assert not Note.objects.filter(participant=participant).exists()


@pytest.mark.browser
def test_a_bad_identity_number_is_explained_next_to_the_field(page, log_in, counselor):
    log_in(counselor)
    page.goto("/participants/new/")
    page.fill("#id_given_name", "Aisha")
    page.fill("#id_family_name", "Berg")
    page.fill("#id_national_id", "17059012345")  # the check digits are wrong

    page.locator("main form button[type=submit]").click()

    page.wait_for_load_state()
    assert page.url.endswith("/participants/new/")
    field = page.locator(".field", has=page.locator("#id_national_id"))
    error = field.locator("#id_national_id_error")
    expect(error).to_be_visible()
    expect(error).not_to_be_empty()
    national_id = page.locator("#id_national_id")
    expect(national_id).to_have_attribute("aria-invalid", "true")
    expect(national_id).to_have_attribute(
        "aria-describedby", "id_national_id_helptext id_national_id_error"
    )
    # The summary at the top links to the field, and what was typed is kept.
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.locator("a[href='#id_national_id']")).to_be_visible()
    expect(national_id).to_have_value("17059012345")
    assert not Participant.objects.exists()
