"""Outcomes in the browser: the counselor records one while follow-up goes on and ends the
period with ordinary work (the work fields show only for work), the leader records the status
six months after, the former counselor finds theirs from Today, and the participant answers in
the portal. On a laptop and on a phone, nothing scrolls sideways."""

import datetime
import os

import pytest
from playwright.sync_api import expect

from samspill.core.testing import make_participant
from samspill.participants import services as participant_services
from samspill.participants.models import FollowUpStatus, Outcome, PeriodOutcome
from samspill.portal.services import participant_invite
from tests.browser.axe import assert_accessible
from tests.browser.test_small_screens import assert_no_horizontal_scroll

NOW = datetime.datetime(2026, 12, 5, 10, tzinfo=datetime.UTC)
SIZES = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
# Set SAMSPILL_SHOTS to a folder to keep a screenshot of every page walked.
SHOTS = os.environ.get("SAMSPILL_SHOTS")


def look(page, name):
    assert_no_horizontal_scroll(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)
        # A full-page screenshot leaves Chromium's layout shifted: a click right after it
        # lands beside its target, so pages are looked at last, or before going on by address.


@pytest.mark.browser
@pytest.mark.parametrize("size", SIZES)
def test_a_counselor_records_outcomes_and_ends_the_period(
    page, log_in, counselor, participant, size, time_machine
):
    time_machine.move_to(NOW)
    page.set_viewport_size(SIZES[size])
    log_in(counselor)
    page.goto(f"/participants/{participant.pk}/follow-up/")

    page.get_by_text("Registrer et resultat").click()
    form = page.locator("form[action$='/outcomes/']")
    hours = form.locator("input[name='record-hours_per_week']")
    form.locator("select[name='record-outcome']").select_option("education")
    expect(hours).to_be_hidden()
    form.locator("select[name='record-outcome']").select_option("ordinary_work")
    expect(hours).to_be_visible()
    form.locator("input[name='record-date']").fill("2026-11-02")
    hours.fill("20")
    form.get_by_role("button", name="Registrer resultatet").click()
    expect(page.locator(".message")).to_contain_text("Resultatet ble registrert.")
    assert PeriodOutcome.objects.get().hours_per_week == 20

    end = page.locator("#h-end + form, section[aria-labelledby='h-end'] form")
    end.locator("select[name='outcome']").select_option("ordinary_work")
    end.locator("input[name='hours_per_week']").fill("30")
    end.locator("input[name='end_date']").fill("2025-12-01")  # before the start
    end.get_by_role("button", name="Avslutt oppfølging").click()
    expect(page.locator("#id_end_date_error")).to_be_visible()
    assert_accessible(page)

    end = page.locator("section[aria-labelledby='h-end'] form")
    end.locator("input[name='end_date']").fill("2026-12-01")
    end.get_by_role("button", name="Avslutt oppfølging").click()
    expect(page.locator(".message")).to_contain_text("avsluttet")
    assert participant.periods.get().end_reason == Outcome.ORDINARY_WORK
    # Ending empties the counselor: the record is now the leader's (the next test).


@pytest.mark.browser
@pytest.mark.parametrize("size", SIZES)
def test_statuses_after_follow_up(
    page, browser, live_server, log_in, counselor, leader, participant, size, time_machine
):
    time_machine.move_to(NOW)
    participant_services.participant_update(
        participant=participant, by=counselor, email="kari@example.org"
    )
    own = participant_invite(participant=participant, by=counselor)
    participant_services.period_end(
        participant=participant,
        by=counselor,
        end_date=datetime.date(2026, 5, 4),
        outcome=Outcome.EDUCATION,
    )
    page.set_viewport_size(SIZES[size])

    # The former counselor: Today counts it, the statuses page has the form.
    log_in(counselor)
    page.goto("/today/")
    page.get_by_role("link", name="1 status etter oppfølgingen skal registreres").click()
    expect(page.locator("main")).to_contain_text("forsinket")
    page.get_by_role("link", name="Kari Nordmann").click()
    expect(page.locator("h1")).to_have_text("Kari Nordmann")
    look(page, f"status-form-{size}")
    page.goto("/participants/statuses/")
    look(page, f"statuses-{size}")
    assert_accessible(page)

    # The leader sees both statuses on the record.
    page.context.clear_cookies()
    log_in(leader)
    page.goto(f"/participants/{participant.pk}/follow-up/")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    look(page, f"follow-up-ended-{size}")
    assert_accessible(page)

    # The participant answers in the portal.
    page.context.clear_cookies()
    own.set_password("test-password-123")
    own.save()
    log_in(own)
    page.goto("/portal/")
    page.get_by_role("link", name="Fortell oss hvor du er nå").click()
    look(page, f"portal-status-{size}")
    page.reload()
    expect(page.locator("input[name='hours_per_week']")).to_be_hidden()
    page.get_by_label("Jeg har en jobb").check()
    page.locator("input[name='hours_per_week']").fill("25")
    assert_accessible(page)
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".message")).to_contain_text("Takk")
    page.goto("/portal/me/status/")  # answered: nothing more to answer
    assert page.locator("h1").count() == 0 or "Hvor er du" not in page.locator("h1").inner_text()
    status = FollowUpStatus.objects.get(period__participant=participant, months=6)
    assert (status.outcome, status.source) == ("ordinary_work", "participant")


@pytest.mark.browser
def test_the_leader_sees_the_period_the_counselor_ended_with_ordinary_work(
    page, log_in, org, counselor, leader, participant, time_machine
):
    """Four periods ended with ordinary work earlier (fewer than five would be hidden); the
    counselor ends the fifth in the browser, and the leader's outcome page counts all five."""
    time_machine.move_to(NOW)
    for n in range(4):
        other = make_participant(org, counselor, given_name=f"Ola{n}")
        participant_services.period_end(
            participant=other,
            by=counselor,
            end_date=datetime.date(2026, 11, 2),
            outcome=Outcome.ORDINARY_WORK,
        )
    log_in(counselor)
    page.goto(f"/participants/{participant.pk}/follow-up/")
    end = page.locator("section[aria-labelledby='h-end'] form")
    end.locator("input[name='end_date']").fill("2026-12-01")
    end.locator("select[name='outcome']").select_option("ordinary_work")
    end.locator("input[name='hours_per_week']").fill("37.5")
    end.get_by_role("button", name="Avslutt oppfølging").click()
    expect(page.locator(".message")).to_contain_text("avsluttet")

    page.context.clear_cookies()
    log_in(leader)
    page.goto("/insights/outcomes/?start=2026-01-01&end=2026-12-05")
    overview = page.locator("section[aria-labelledby='h-overview'] tbody")
    work = overview.locator("tr", has=page.locator("th", has_text="Ordinært arbeid"))
    expect(work.locator("td").first).to_have_text("5 (100 %)")
    woe = overview.locator("tr", has=page.locator("th", has_text="Arbeid eller utdanning"))
    expect(woe.locator("td").first).to_contain_text("5")
    assert_accessible(page)
