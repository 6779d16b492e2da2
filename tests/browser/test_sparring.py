"""Case sparring in the browser: a counselor asks a colleague about a case in the structured
model, the colleague (who may not read the participant's record, so sees the case reference)
answers from their Today page, and the counselor reads the answer. Then the pages around it:
peer feedback, a supervision group, and "Does sparring help?" for the leader. On a laptop and
on a phone, with axe-core on every page."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from samspill.learning import sparring_services
from samspill.learning.models import SparringCase
from tests.browser.axe import assert_accessible
from tests.browser.test_small_screens import assert_no_horizontal_scroll

SIZES = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
SITUATION = "To avslag på rad, og motet er borte. Hun møter ikke til avtalene."
ANSWER = "Prøv en kort arbeidstrening der hun kan lykkes raskt. Jeg kjenner en butikk."


def check(page, size: str) -> None:
    assert_accessible(page)
    if size == "phone":
        assert_no_horizontal_scroll(page)


@pytest.mark.browser
@pytest.mark.parametrize("size", list(SIZES))
def test_a_counselor_asks_for_case_sparring_and_sees_it_answered(
    page, log_in, counselor, colleague, participant, size
):
    page.set_viewport_size(SIZES[size])
    log_in(counselor)
    page.goto("/learning/sparring/")
    check(page, size)
    page.locator("main a[href='/learning/sparring/new/']").click()
    page.wait_for_url("**/learning/sparring/new/")
    page.select_option("#id_asked", value=str(colleague.pk))
    page.select_option("#id_participant", value=str(participant.pk))
    page.fill("#id_situation", SITUATION)
    page.fill("#id_tried", "Ny CV og to bedriftsbesøk.")
    page.fill("#id_belief_drop", "Etter det andre avslaget.")
    page.fill("#id_next_steps", "Kanskje en kortere arbeidstrening.")
    check(page, size)
    page.locator("main form button[type=submit]").click()
    case = SparringCase.objects.get()
    page.wait_for_url(f"**/learning/sparring/{case.pk}/")
    expect(page.locator("h1")).to_contain_text(participant.full_name)
    expect(page.locator("main")).to_contain_text(SITUATION)
    check(page, size)

    # The colleague finds it on Today; they do not follow the participant, so see the reference.
    page.context.clear_cookies()
    log_in(colleague)
    page.goto("/today/")
    item = page.locator("section#sparring article.today-item")
    expect(item).to_have_count(1)
    expect(item).to_contain_text(case.reference)
    expect(item).not_to_contain_text(participant.given_name)
    check(page, size)
    item.get_by_role("link", name=case.reference).click()
    page.wait_for_url(f"**/learning/sparring/{case.pk}/")
    expect(page.locator("main")).not_to_contain_text(participant.given_name)
    page.fill("#id_text", ANSWER)
    check(page, size)
    page.locator("main form:has(#id_text) button[type=submit]").click()
    expect(page.locator(".messages .message.success")).to_be_visible()
    expect(page.locator("ul.answers")).to_contain_text(ANSWER)

    # The counselor reads the answer.
    page.context.clear_cookies()
    log_in(counselor)
    page.goto("/learning/sparring/")
    expect(page.locator("main .badge").first).not_to_be_empty()
    page.locator(f"main a[href='/learning/sparring/{case.pk}/']").click()
    expect(page.locator("ul.answers")).to_contain_text(ANSWER)
    expect(page.locator("ul.answers")).to_contain_text(colleague.full_name)
    check(page, size)
    case.refresh_from_db()
    assert case.status == SparringCase.Status.ANSWERED


@pytest.mark.browser
@pytest.mark.parametrize("size", list(SIZES))
def test_feedback_groups_and_the_effect_page_work_on_every_screen(
    page, log_in, leader, counselor, colleague, size
):
    page.set_viewport_size(SIZES[size])
    group = sparring_services.supervision_group_create(
        by=leader,
        name="Veiledningsgruppe tirsdag",
        facilitator=colleague,
        members=[counselor],
        first_session_at=timezone.now() - datetime.timedelta(days=1),
        every_weeks=2,
        sessions=3,
        place="Møterom Fløyen",
    )
    sparring_services.peer_feedback_give(
        by=colleague,
        observed=counselor,
        observed_on=timezone.localdate(),
        setting="conversation",
        went_well="Du lot deltakeren fortelle ferdig.",
    )
    log_in(counselor)
    page.goto("/learning/feedback/")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    check(page, size)
    page.locator("main ul.timeline a").first.click()
    expect(page.locator("main")).to_contain_text("Du lot deltakeren fortelle ferdig.")
    check(page, size)
    page.goto(f"/learning/groups/{group.pk}/")
    page.locator("main details summary").first.click()
    page.locator("main details textarea").first.fill("Tema: når troen faller.")
    page.locator("main details button[type=submit]").first.click()
    expect(page.locator("main")).to_contain_text("Tema: når troen faller.")
    check(page, size)

    page.context.clear_cookies()
    log_in(leader)
    page.goto("/learning/groups/")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    check(page, size)
    page.goto("/learning/sparring/effect/")
    expect(page.locator("main [role=note]")).to_be_visible()
    check(page, size)
