"""The belief check-in on a participant's page, and the sparring it can lead to.

A counselor answers the belief question; when the belief is lost, the page suggests talking it
over with a colleague, and the colleague takes the request from their Today page. The request
is a sparring case of the kind "lost belief" (learning/sparring_services.py).
"""

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from samspill.accounts.models import User
from samspill.followup import services
from samspill.followup.models import Belief, BeliefCheckIn
from samspill.learning import sparring_services
from samspill.learning.models import SparringCase
from samspill.participants.models import Participant
from tests.browser.axe import assert_accessible
from tests.browser.sessions import log_in_on

WHY = "Kari has lost heart after two rejections; I need fresh ideas for the next step."
PRIVATE_NOTE = "We agreed to try a work trial at the library."


@pytest.fixture
def second_page(browser: Browser, live_server: Any, page: Page) -> Iterator[Page]:
    """A second person at another computer: its own context, so its own session cookie."""
    context = browser.new_context(base_url=live_server.url, locale="nb-NO")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def record_checkin(page: Page, belief: Belief, *, asked_on: datetime.date | None = None) -> None:
    form = page.locator("section[aria-labelledby=h-checkin] form")
    form.locator(f"input[name=belief][value='{belief.value}']").check()
    if asked_on is not None:
        form.locator("#id_asked_on").fill(asked_on.isoformat())
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def success_message(page: Page) -> Any:
    return page.locator(".messages[role=status] .message.success")


@pytest.mark.browser
def test_a_lost_belief_leads_to_sparring_that_the_colleague_accepts_and_closes(
    page, second_page, log_in, counselor, colleague, participant
):
    log_in(counselor)
    page.goto(f"/participants/{participant.pk}/")
    belief_tab = page.locator(f"nav a[href='/participants/{participant.pk}/belief/']")
    belief_tab.click()
    page.wait_for_url(f"**/participants/{participant.pk}/belief/")
    expect(belief_tab).to_have_attribute("aria-current", "page")

    # A first check-in, four weeks ago: full belief, nothing to talk over.
    four_weeks_ago = timezone.localdate() - datetime.timedelta(weeks=4)
    record_checkin(page, Belief.YES_CERTAINLY, asked_on=four_weeks_ago)
    expect(success_message(page)).to_be_visible()
    expect(page.locator("#h-prompt")).to_have_count(0)
    expect(page.locator("form[action$='/lost-belief/']")).to_have_count(0)
    expect(page.locator("svg.belief-chart")).to_be_visible()

    # Two steps down today: the page suggests a colleague.
    record_checkin(page, Belief.UNSURE)
    prompt = page.locator("section.prompt[role=alert]")
    expect(prompt).to_be_visible()
    expect(prompt.locator("h2#h-prompt")).not_to_be_empty()
    second = BeliefCheckIn.objects.get(participant=participant, belief=Belief.UNSURE)

    sparring = page.locator(f"form[action='/learning/participants/{participant.pk}/lost-belief/']")
    expect(sparring.locator("input[name=checkin]")).to_have_value(str(second.pk))
    sparring.locator("select[name=colleague]").select_option(value=str(colleague.pk))
    sparring.locator("textarea[name=why]").fill(WHY)
    sparring.locator("button[type=submit]").click()

    page.wait_for_url(f"**/participants/{participant.pk}/belief/")
    expect(success_message(page)).to_contain_text(colleague.full_name)
    expect(page.locator("#h-prompt")).to_have_count(0)
    request = SparringCase.objects.get(participant=participant)
    assert request.kind == SparringCase.Kind.LOST_BELIEF
    assert request.asked_by == counselor
    assert request.asked == colleague
    assert request.checkin == second
    assert request.situation == WHY
    assert request.status == SparringCase.Status.OPEN

    # The colleague, at their own computer, finds the request on Today.
    log_in_on(second_page, colleague)
    second_page.goto("/today/")
    open_list = second_page.locator("section#sparring")
    item = open_list.locator("article.today-item")
    expect(item).to_have_count(1)
    expect(item).to_contain_text(WHY)
    expect(item).to_contain_text(counselor.full_name)
    # The colleague may not read the participant's record, so sees the case reference only.
    expect(item).not_to_contain_text(participant.family_name)
    expect(item).to_contain_text(request.reference)

    accept = f"form[action='/learning/sparring/{request.pk}/accept/']"
    item.locator(f"{accept} button[type=submit]").click()
    second_page.wait_for_url("**/today/")
    expect(success_message(second_page)).to_be_visible()
    request.refresh_from_db()
    assert request.status == SparringCase.Status.ACCEPTED
    expect(item.locator(accept)).to_have_count(0)

    # Closed with a private note on the case's page.
    item.get_by_role("link", name=request.reference).click()
    second_page.wait_for_url(f"**/learning/sparring/{request.pk}/")
    second_page.locator("details:has(form[action$='/close/']) summary").click()
    second_page.locator("textarea[name=private_note]").fill(PRIVATE_NOTE)
    close = f"form[action='/learning/sparring/{request.pk}/close/'] button[type=submit]"
    second_page.locator(close).click()
    expect(success_message(second_page)).to_be_visible()
    second_page.goto("/today/")
    expect(open_list.locator("article.today-item")).to_have_count(0)
    # An empty list collapses into the "Nothing waiting" line.
    expect(second_page.locator(".today-empty li#sparring")).to_be_visible()
    request.refresh_from_db()
    assert request.status == SparringCase.Status.CLOSED
    assert request.private_note == PRIVATE_NOTE

    # Gone from the counselor's open list too.
    page.goto("/today/")
    expect(page.locator("section#sparring article.today-item")).to_have_count(0)


@pytest.mark.browser
def test_a_team_colleague_who_sees_the_participant_does_not_see_the_belief_tab(
    page, log_in, org, colleague, participant
):
    org.team_sees_team_participants = True
    org.save(update_fields=["team_sees_team_participants"])
    log_in(colleague)

    response = page.goto(f"/participants/{participant.pk}/")
    assert response is not None and response.status == 200
    expect(page.locator("h1")).to_have_text(participant.full_name)
    tabs = page.locator("nav ul.tabs")
    expect(tabs.locator(f"a[href='/participants/{participant.pk}/plan/']")).to_be_visible()
    expect(tabs.locator(f"a[href='/participants/{participant.pk}/belief/']")).to_have_count(0)

    response = page.goto(f"/participants/{participant.pk}/belief/")
    assert response is not None and response.status == 403
    expect(page.locator("input[name=belief]")).to_have_count(0)


@pytest.fixture
def earlier_checkin(participant: Participant, counselor: User) -> BeliefCheckIn:
    """Full belief a month ago, with the participant's own answer, so the chart has two lines."""
    result = services.checkin_record(
        participant=participant,
        by=counselor,
        belief=Belief.YES_CERTAINLY,
        self_belief=Belief.PROBABLY,
        strengthen="A workplace that knows her.",
        asked_on=timezone.localdate() - datetime.timedelta(weeks=4),
    )
    return result.checkin


@pytest.mark.browser
def test_the_belief_page_with_the_sparring_prompt_has_no_serious_violations(
    page, log_in, counselor, colleague, participant, earlier_checkin
):
    log_in(counselor)
    page.goto(reverse("followup:belief", kwargs={"pk": participant.pk}))
    page.locator("#id_self_belief").select_option(value=str(Belief.UNSURE.value))
    record_checkin(page, Belief.PROBABLY_NOT)

    expect(page.locator("section.prompt")).to_be_visible()
    expect(page.locator("#id_colleague")).to_be_visible()
    expect(page.locator("svg.belief-chart polyline")).to_have_count(2)
    assert_accessible(page)


@pytest.mark.browser
def test_the_sparring_form_with_errors_has_no_serious_violations(
    page, log_in, counselor, colleague, participant, earlier_checkin
):
    log_in(counselor)
    page.goto(reverse("followup:belief", kwargs={"pk": participant.pk}))
    record_checkin(page, Belief.NO)
    # Bypass the browser's own check so the server's error summary is shown.
    page.locator("form[action$='/lost-belief/']").evaluate("f => f.noValidate = true")
    page.locator("form[action$='/lost-belief/'] button[type=submit]").click()

    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)


@pytest.fixture
def sparring_request(
    participant: Participant, counselor: User, colleague: User, earlier_checkin: BeliefCheckIn
) -> SparringCase:
    return sparring_services.sparring_case_ask(
        by=counselor,
        kind=SparringCase.Kind.LOST_BELIEF,
        audience=SparringCase.Audience.COLLEAGUE,
        asked=colleague,
        participant=participant,
        situation=WHY,
        checkin=earlier_checkin,
    )


@pytest.mark.browser
@pytest.mark.parametrize("who", ["colleague", "counselor"], ids=["asked", "asking"])
def test_the_today_page_has_no_serious_violations(page, log_in, request, sparring_request, who):
    log_in(request.getfixturevalue(who))
    page.goto(reverse("followup:today"))
    expect(page.locator("section#sparring article.today-item")).to_have_count(1)
    # Open the folded close forms so their fields are checked too.
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    assert_accessible(page)
