"""A counselor's day, walked as a counselor: Today, the caseload search, a note and the profile
whose errors show in place (with DEBUG on, as under `make run`), and the same pages on a phone."""

import datetime
import random
import re

import pytest
from playwright.sync_api import Page, expect

from samspill.core.synthetic import fodselsnummer_for
from samspill.participants import services as participant_services
from samspill.participants.models import Participant
from samspill.plans.models import Note
from tests.browser.axe import assert_accessible
from tests.browser.htmx import page_was_not_reloaded
from tests.browser.test_participant_create import write_a_note_before_its_follow_up
from tests.browser.test_small_screens import PHONE, assert_no_horizontal_scroll


@pytest.fixture
def known(participant: Participant, counselor) -> Participant:
    """The standard participant with a phone, a national id and a follow-up long overdue (her
    first belief check-in is overdue too: she started on 5 January)."""
    return participant_services.participant_update(
        participant=participant,
        by=counselor,
        phone="+47 912 34 567",
        national_id=fodselsnummer_for(datetime.date(1990, 5, 17), random.Random(1)),
        next_follow_up_on=datetime.date(2026, 1, 20),
    )


def search(page: Page, q: str) -> None:
    page.fill("#id_q", q)
    expect(page.locator("#caseload-results")).to_contain_text("Nordmann, Kari")


@pytest.mark.browser
def test_a_counselors_day(page, log_in, counselor, known, settings):
    # As under `make run`: django-htmx's debug script is on the page.
    settings.DEBUG = True
    page.set_default_timeout(30_000)  # a shared CI machine under load
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(counselor)

    # Today: the overdue follow-up and check-in are marked alike; empty lists take one line.
    page.goto("/today/")
    for key in ("checkins", "follow-ups"):
        expect(page.locator(f"section#{key} .badge.warn")).to_have_text("forsinket")
    expect(page.locator("main section.card")).to_have_count(2)
    expect(page.locator(".today-empty")).to_contain_text("Ingenting venter")
    assert_accessible(page)

    # The caseload finds her by phone, national id and the name as the list writes it.
    page.goto("/participants/?scope=mine&status=all")
    for q in ("912 34 567", known.national_id, "Nordmann, Kari"):
        search(page, q)
        page.fill("#id_q", "zz")
        expect(page.locator("#caseload-results")).not_to_contain_text("Nordmann, Kari")

    # A note the server refuses: the error shows in the form, the page (header, menu) stays.
    notes = write_a_note_before_its_follow_up(page, known)
    expect(notes.locator("#id_next_follow_up_on_error")).to_be_visible()
    expect(page.locator("header.site-header nav")).to_be_visible()
    assert page.title().endswith("Samspill")
    assert page_was_not_reloaded(page)
    assert not Note.objects.filter(participant=known).exists()

    # A note dated in the future (a typing slip) is refused in place, in plain Norwegian; the
    # "last contact" it would have moved stays where it was.
    notes.locator("#id_next_follow_up_on").fill("")
    notes.locator("#id_occurred_on").fill("2099-02-10")
    notes.locator("form button[type=submit]").click()
    expect(notes.locator("#id_occurred_on_error")).to_contain_text("kan ikke være fram i tid")
    assert not Note.objects.filter(participant=known).exists()
    known.refresh_from_db()
    assert known.last_contact_on is None

    # The profile: every field's error at once, the phone and the postal code among them.
    page.goto(f"/participants/{known.pk}/edit/")
    page.fill("#id_phone", "abc")
    page.fill("#id_email", "not-an-address")
    page.fill("#id_national_id", "17059012345")
    page.fill("#id_postal_code", "ab12")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    summary = page.locator(".error-summary")
    expect(page.locator("#id_postal_code_error")).to_contain_text("fire sifre")
    page.fill("#id_postal_code", "5003")
    for field in ("phone", "email", "national_id"):
        expect(page.locator(f"#id_{field}_error")).to_be_visible()
        expect(summary.locator(f"a[href='#id_{field}']")).to_be_visible()
    expect(page.locator("#id_phone_error")).to_contain_text("sifre")

    # A next follow-up in the past asks for a tick, then saves.
    page.fill("#id_phone", "912 34 567")
    page.fill("#id_email", "")
    page.fill("#id_national_id", known.national_id)
    page.fill("#id_next_follow_up_on", "2020-03-01")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#id_next_follow_up_on_error")).to_contain_text("tilbake i tid")
    assert_accessible(page)
    page.get_by_label("Ja, datoen er tilbake i tid").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/participants/{known.pk}/")
    known.refresh_from_db()
    assert known.next_follow_up_on == datetime.date(2020, 3, 1)


@pytest.mark.browser
def test_a_counselors_pages_fit_a_phone(page, log_in, counselor, colleague, leader, known):
    page.set_default_timeout(30_000)
    page.set_viewport_size(PHONE)
    log_in(counselor)
    page.goto("/today/")
    expect(page.locator("section#follow-ups")).to_be_visible()
    assert_no_horizontal_scroll(page)

    page.goto(f"/participants/{known.pk}/follow-up/")
    # The cost of a change is stated once; only counselors are offered for a handover.
    assert len(re.findall(r"22\s?%", page.locator("main").inner_text())) == 1
    options = " ".join(page.locator("#id_counselor option").all_inner_texts())
    assert colleague.full_name in options
    assert leader.full_name not in options
    assert_no_horizontal_scroll(page)
    assert_accessible(page)

    page.goto(f"/participants/{known.pk}/")
    assert_no_horizontal_scroll(page)
