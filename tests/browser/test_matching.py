"""Matching, both ways and on to the employer (issue 23), at 1366 and 390 px.

The coordinator opens a need, reads each candidate's explanation per factor, favours those who
have waited longest, proposes one, passes another over with a reason, and presents the proposed
person to the employer contact. A counselor opens a participant's suggested workplaces and starts
a placement draft in one step. The employer contact, on a phone, reads only what the person
shares with workplaces and answers that they want to meet; the coordinator sees the answer.

Set SAMSPILL_SHOTS to a folder to keep a screenshot of every page looked at."""

import datetime
import os

import pytest
from playwright.sync_api import Page, expect

from samspill.core.testing import make_participant
from samspill.employers.services import need_add
from samspill.matching.models import Proposal
from samspill.participants.models import ConsentRecord
from samspill.participants.services import consent_give, participant_update
from samspill.placements.models import Placement
from tests.browser.axe import assert_accessible
from tests.browser.sessions import log_in_on
from tests.browser.test_small_screens import assert_no_horizontal_scroll

SIZES = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
SHOTS = os.environ.get("SAMSPILL_SHOTS")
HEALTH = "Helseopplysning: epilepsi"


def look(page: Page, name: str) -> None:
    """Both sizes: no sideways scrolling, and axe finds nothing serious."""
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        assert_no_horizontal_scroll(page)
        assert_accessible(page)
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/matching-{name}-{size}.png", full_page=True)
    page.set_viewport_size(SIZES["laptop"])


def share(person, by, *information):
    for info in information:
        consent_give(
            participant=person,
            by=by,
            recipient=ConsentRecord.Recipient.WORKPLACE,
            information=info,
        )
    person.refresh_from_db()
    return person


@pytest.fixture
def need(employer, counselor):
    return need_add(
        employer=employer,
        by=counselor,
        role="Lagermedarbeider",
        tasks="Plukke varer, kjøre truck",
        skills="truck",
        hours_per_week=30,
    )


@pytest.fixture
def candidates(org, coordinator):
    truls = make_participant(
        org,
        coordinator,
        given_name="Truls",
        family_name="Trucker",
        what_i_can="Truckfører, plukk på lager",
        want_to_learn="Lagerstyring",
        needs=HEALTH,
    )
    siri = make_participant(
        org,
        coordinator,
        given_name="Siri",
        family_name="Ventestad",
        what_i_can="Kjøre truck",
        interests="Jobbe på lager",
        needs=HEALTH,
        start_date=datetime.date(2025, 3, 3),  # waited longest
    )
    return share(truls, coordinator, "strengths"), share(siri, coordinator, "strengths", "contact")


@pytest.mark.browser
def test_the_coordinator_proposes_passes_and_presents_and_the_employer_answers(
    page, phone, coordinator, need, candidates, employer_contact, employer_user
):
    truls, siri = candidates
    page.set_viewport_size(SIZES["laptop"])
    log_in_on(page, coordinator)
    page.goto(f"/matching/needs/{need.pk}/")
    rows = page.locator("ol.suggestions > li")
    expect(rows).to_have_count(2)
    for i in range(2):  # every candidate explained factor by factor
        expect(rows.nth(i).locator("li[data-factor]")).to_have_count(7)
    expect(rows.first.locator("li[data-factor=skills]")).to_contain_text("truck")
    expect(page.locator("#h-fairness")).to_be_visible()  # the pool comparison
    assert HEALTH not in page.content()
    look(page, "need")

    # Favour those who have waited longest: Siri, waiting since 2025, comes first.
    page.select_option("select[name=favour]", "waited_longest")
    with page.expect_navigation():
        page.locator("form.inline-form button[type=submit]").first.click()
    assert "favour=waited_longest" in page.url
    expect(rows.first).to_have_attribute("data-participant", str(siri.pk))

    # Propose Siri; pass Truls over, with a reason.
    with page.expect_navigation():
        page.locator(f"li[data-participant='{siri.pk}'] button[value=propose]").click()
    truls_row = page.locator(f"li[data-participant='{truls.pk}']")
    truls_row.locator("details summary").click()
    truls_row.locator("input[name=reason]").fill("Har nettopp startet i en annen praksis")
    with page.expect_navigation():
        truls_row.locator("button[value=pass]").click()
    proposed = Proposal.objects.get(action=Proposal.Action.PROPOSED)
    assert proposed.participant_id == siri.pk
    passed = Proposal.objects.get(action=Proposal.Action.PASSED)
    assert passed.participant_id == truls.pk
    assert passed.reason == "Har nettopp startet i en annen praksis"

    # Present Siri to the employer contact.
    item = page.locator(f"ul.proposals li[data-proposal='{proposed.pk}']")
    item.locator("select[name=contact]").select_option(str(employer_contact.pk))
    with page.expect_navigation():
        item.locator("form[action$='/present/'] button").click()
    proposed.refresh_from_db()
    assert proposed.presented_to_id == employer_contact.pk
    look(page, "need-presented")

    # The employer contact, on a phone, finds the candidate and answers.
    phone.goto("/login/")
    log_in_on(phone, employer_user)
    phone.goto("/portal/")
    phone.locator(f"li[data-proposal='{proposed.pk}'] a").click()
    expect(phone.locator("h1")).to_have_text(siri.full_name)  # she shares her name
    expect(phone.locator("[data-shared=strengths]")).to_contain_text("Kjøre truck")
    assert HEALTH not in phone.content()
    look(phone, "portal-proposal")
    phone.locator("input[name=response][value=meet]").check()
    with phone.expect_navigation():
        phone.locator("main form button[type=submit]").click()
    expect(phone.locator("[data-response=meet]")).to_be_visible()
    proposed.refresh_from_db()
    assert proposed.response == Proposal.Response.MEET
    assert proposed.outcome == Proposal.Outcome.MEETING
    phone.goto("/portal/")
    look(phone, "portal-home")

    # The coordinator sees the answer, and the hit rates count the meeting.
    page.goto(f"/matching/needs/{need.pk}/")
    expect(page.locator(f"li[data-proposal='{proposed.pk}']")).to_have_attribute(
        "data-response", "meet"
    )
    page.goto("/matching/hit-rates/")
    expect(page.locator("tr[data-factor-row]")).to_have_count(7)
    look(page, "hit-rates")


@pytest.mark.browser
def test_a_counselor_starts_a_placement_draft_from_a_suggested_workplace(
    page, counselor, participant, need
):
    participant_update(participant=participant, by=counselor, what_i_can="Kjøre truck")
    share(participant, counselor, "strengths")
    page.set_viewport_size(SIZES["laptop"])
    log_in_on(page, counselor)
    page.goto(f"/matching/participants/{participant.pk}/")
    suggestion = page.locator(f"li[data-need='{need.pk}']")
    expect(suggestion).to_be_visible()
    expect(suggestion.locator("li[data-factor]")).to_have_count(7)
    assert HEALTH not in page.content()
    look(page, "person")
    with page.expect_navigation():
        suggestion.locator("button[value=draft]").click()
    placement = Placement.objects.get()
    assert page.url.endswith(f"/placements/{placement.pk}/agreement/parties/")
    assert placement.title == need.role
    assert Proposal.objects.get().placement_id == placement.pk
