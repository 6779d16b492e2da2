"""The coordinator runs a Skjulte Talenter session (attendance) and ends with a strengths
profile and a CV with a film link (1366 px); a counselor on a phone records the clarification
before practice for a referred participant (390 px). Each page passes axe."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from samspill.referrals.models import Clarification
from samspill.referrals.services import referral_make_participant
from samspill.referrals.tests.conftest import make_referral
from samspill.selfservice.models import CV
from samspill.workshops import services
from samspill.workshops.models import Attendance
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


@pytest.mark.browser
def test_a_counselor_records_a_clarification_on_a_phone(phone: Page, org, counselor):
    referral = make_referral(org, counselor, taken_by=counselor)
    referral_make_participant(referral=referral, by=counselor)
    today = timezone.localdate()
    phone.goto("/login/", timeout=60_000)
    log_in_on(phone, counselor)
    phone.goto(f"/referrals/{referral.pk}/clarification/")
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
