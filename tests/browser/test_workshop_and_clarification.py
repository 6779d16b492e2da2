"""The coordinator runs a Skjulte Talenter session (attendance) and ends with a strengths
profile and a CV with a film link (1366 px); a counselor on a phone records the clarification
before practice for a referred participant (390 px). Each page passes axe."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from samspill.core.testing import make_employer
from samspill.participants.models import Participant
from samspill.placements.models import Placement
from samspill.referrals.models import Clarification
from samspill.referrals.services import referral_make_participant
from samspill.referrals.tests.conftest import make_referral
from samspill.selfservice.models import CV
from samspill.workshops import services
from samspill.workshops.models import Attendance, Workshop
from tests.browser.axe import assert_accessible
from tests.browser.sessions import log_in_on


@pytest.mark.browser
def test_the_coordinator_runs_a_session_and_ends_with_a_cv(
    page: Page, org, coordinator, counselor, participant
):
    workshop = services.workshop_create(
        organisation=org,
        by=coordinator,
        name="Skjulte Talenter",
        facilitator=coordinator,
        starts_on=timezone.localdate(),
    )
    enrolment = services.enrol(workshop=workshop, participant=participant, by=counselor)
    session = services.session_add(
        workshop=workshop, by=coordinator, date=timezone.localdate(), place="KOM"
    )
    page.goto("/login/", timeout=60_000)
    log_in_on(page, coordinator)
    page.goto(f"/workshops/sessions/{session.pk}/")
    assert_accessible(page)
    page.get_by_label(participant.full_name).check()
    page.get_by_role("button", name="Registrer oppmøte").click()
    expect(page.get_by_text("Oppmøtet er registrert.")).to_be_visible()
    assert Attendance.objects.get(enrolment=enrolment).present

    page.goto(f"/workshops/enrolments/{enrolment.pk}/")
    assert_accessible(page)
    page.locator("#id_strengths-what_i_can").fill("Snekre og male")
    page.get_by_role("button", name="Lagre styrkeprofilen").click()
    expect(page.get_by_text("Lagret.")).to_be_visible()
    page.locator("#id_cv-film_url").fill("https://film.example.org/kari")
    page.get_by_role("button", name="Lagre CV-en").click()
    expect(page.get_by_role("link", name="Last ned CV-en som PDF")).to_be_visible()
    assert CV.objects.get(participant=participant).film_url == "https://film.example.org/kari"


def _draft_a_job(phone: Page, employer_pk: int, person: Participant) -> None:
    """Fill in the employer page's placement form (an ordinary job from today) and save."""
    phone.goto(f"/employers/{employer_pk}/")
    form = phone.locator(f"form[action='/employers/{employer_pk}/placements/']")
    if not form.is_visible():
        phone.locator("details:has(form[action$='/placements/']) > summary").click()
    form.locator("select[name=participant]").select_option(str(person.pk))
    form.locator("select[name=kind]").select_option(Placement.Kind.ORDINARY_JOB)
    form.locator("input[name=title]").fill("Lagermedarbeider")
    form.locator("input[name=start_date]").fill(timezone.localdate().isoformat())
    form.locator("button[type=submit]").click()


@pytest.mark.browser
def test_a_counselor_records_a_clarification_on_a_phone(phone: Page, org, counselor):
    referral = make_referral(org, counselor, taken_by=counselor)
    person = referral_make_participant(referral=referral, by=counselor)
    employer = make_employer(org, counselor, name="Lager AS")
    today = timezone.localdate()
    phone.goto("/login/", timeout=60_000)
    log_in_on(phone, counselor)

    # A placement draft is refused until the clarification says ready; the refusal links to it.
    _draft_a_job(phone, employer.pk, person)
    link = phone.locator(".error-summary a[href$='/clarification/']")
    expect(link).to_be_visible()
    assert not Placement.objects.exists()
    link.click()
    expect(phone).to_have_url(re.compile(f"/referrals/{referral.pk}/clarification/$"))
    phone.locator("#id_first_day").fill(
        max(referral.received_on, today - datetime.timedelta(days=4)).isoformat()
    )
    phone.locator("#id_last_day").fill(today.isoformat())
    phone.locator("#id_days_attended").fill("3")
    phone.locator("#id_attendance_ok_0").check()
    phone.locator("#id_motivation").select_option("high")
    phone.locator("#id_result").select_option("ready")
    phone.get_by_role("button", name="Registrer avklaring").click()

    expect(phone.get_by_text("Avklaringen er registrert.")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(phone)
    assert Clarification.objects.get().result == "ready"

    # Now the draft goes through, and the agreement opens at its first step.
    _draft_a_job(phone, employer.pk, person)
    expect(phone).to_have_url(re.compile(r"/placements/\d+/agreement/parties/$"))
    assert Placement.objects.get().participant == person


@pytest.mark.browser
def test_a_coordinator_creates_and_edits_a_workshop(page: Page, org, coordinator, counselor):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto("/login/", timeout=60_000)
    log_in_on(page, coordinator)
    page.goto("/workshops/")
    page.get_by_role("link", name="Ny workshop").click()
    assert_accessible(page)
    page.locator("#id_name").fill("Skjulte Talenter høst")
    page.locator("#id_facilitator").select_option(str(coordinator.pk))
    page.locator("#id_starts_on").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Opprett workshopen").click()
    expect(page.get_by_text("Workshopen er opprettet.")).to_be_visible()
    workshop = Workshop.objects.get()

    page.get_by_role("link", name="Endre workshopen").click()
    page.locator("#id_facilitator").select_option(str(counselor.pk))
    page.get_by_role("button", name="Lagre workshopen").click()
    expect(page.get_by_text("Workshopen er lagret.")).to_be_visible()
    workshop.refresh_from_db()
    assert workshop.facilitator == counselor

    # The coordinator no longer runs it, so it is the counselor's to edit; on a phone the form
    # fits and passes axe.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/workshops/new/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)
