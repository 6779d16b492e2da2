"""The loop as a learning arena (issue 22, item 3), walked in the browser.

Network meetings: the loop's driver records a meeting of the employers and mentors (who came,
the minutes, what they learned and will change) and sees it listed.

The evaluation: an external driver, invited by the coordinator, chooses her password from the
e-mail's link and opens the evaluation of her loop, whose year has ended; an employer contact
chooses his password from the portal invitation's link, finds the evaluation among his own
and answers; the driver then sees his answer on the evaluation and the workplaces' means on the
comparison of loops (five answers: no small cell). At 1366 and 390 px, axe on the way.

Set SAMSPILL_SHOTS to a folder to keep a screenshot of every page looked at."""

import datetime
import os
from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from samspill.accounts.models import User
from samspill.core.testing import make_employer, make_participant, portal_user
from samspill.employers.services import contact_add
from samspill.loops import drivers, evaluation, services
from samspill.loops.models import EvaluationAnswer, LoopPartner, NetworkMeeting
from samspill.portal import services as portal_services
from tests.browser.axe import assert_accessible
from tests.browser.test_small_screens import assert_no_horizontal_scroll

SHOTS = os.environ.get("SAMSPILL_SHOTS")
LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
NEW_PASSWORD = "a-good-long-pass-42"


def look(page: Page, name: str) -> None:
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/loop-evaluation-{name}.png", full_page=True)


def _choose_password(page: Page, link: str) -> None:
    page.context.clear_cookies()
    page.goto("/" + link.split("/", 3)[3])
    page.locator("input[name=new_password1]").fill(NEW_PASSWORD)
    page.locator("input[name=new_password2]").fill(NEW_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/invitation/" not in url)


def _log_in_with(page: Page, email: str) -> None:
    page.context.clear_cookies()
    page.goto("/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", NEW_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/login/" not in url)


@pytest.fixture
def year_world(org, coordinator: User, counselor: User, employer):
    """A loop that started 13 months ago (its year has ended): three employers, a contact at
    the bakery with no login yet, four colleagues at the workplaces who will answer too, and
    three young people seated by their counselor."""
    today = timezone.localdate()
    employers = [
        employer,
        make_employer(org, counselor, name="Verkstedet AS"),
        make_employer(org, counselor, name="Butikken AS"),
    ]
    young = [
        make_participant(org, counselor, given_name=name, birth_date=datetime.date(2005, 3, 1))
        for name in ("Kari", "Ola", "Nora")
    ]
    loop = services.loop_create(
        organisation=org,
        by=coordinator,
        name="Loop Nord",
        driver=coordinator,
        counselor=counselor,
        start_date=today - datetime.timedelta(days=400),
        employers=employers,
    )
    rows = loop.rows()
    services.loop_seating_accept(
        loop=loop,
        by=counselor,
        seats=[(p, [employers[c] for c in rows[r]]) for r, p in enumerate(young)],
    )
    eirik = contact_add(
        employer=employer, by=counselor, name="Eirik Eier", email="eirik@bakeriet.example"
    )
    colleagues = [
        contact_add(
            employer=employers[i % 3],
            by=counselor,
            name=f"Kollega {i}",
            email=f"kollega{i}@example.org",
        )
        for i in range(4)
    ]
    return {"loop": loop, "eirik": eirik, "colleagues": colleagues, "employers": employers}


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366", "390"])
def test_the_driver_opens_the_evaluation_a_contact_answers_and_the_comparison_shows_it(
    page: Page, coordinator: User, org, year_world, viewport
) -> None:
    page.set_viewport_size(viewport)
    loop = year_world["loop"]
    partner = drivers.loop_partner_invite(
        organisation=org,
        by=coordinator,
        email="siri@grunder.example",
        full_name="Siri Gründer",
        role=LoopPartner.Role.EXTERNAL_DRIVER,
    )
    drivers.loop_partner_assign(partner=partner, loop=loop, by=coordinator)
    _choose_password(page, drivers.invitation_url(partner.user))
    page.wait_for_url("**/loops/partner/")

    # Her loop, then its evaluation: not opened yet.
    main = page.locator("main")
    main.get_by_role("link", name="Loop Nord").first.click()
    main.get_by_role("link", name="Evaluering", exact=True).click()
    page.wait_for_url(f"**/loops/{loop.pk}/evaluation/")
    expect(main.locator("[data-state=not-opened]")).to_be_visible()
    look(page, f"not-opened-{viewport['width']}")
    main.get_by_role("button", name="Åpne evalueringen").first.click()
    expect(page.locator(".messages")).to_contain_text("Evalueringen er åpen.")
    expect(main.locator("[data-state=open]")).to_be_visible()
    current = evaluation.evaluation_of(loop)
    assert current is not None and current.is_open

    # Four colleagues answered already (through the service, as their own pages would).
    for i, contact in enumerate(year_world["colleagues"]):
        evaluation.evaluation_answer(
            evaluation=current,
            by=portal_user(contact),
            contact=contact,
            worked=3 + i % 3,
            supported=4,
            again=5,
        )

    # The bakery's contact: invited to the portal, chooses his password, answers.
    eirik = year_world["eirik"]
    eirik_user = portal_services.portal_invite(contact=eirik, by=coordinator)
    _choose_password(page, portal_services.invitation_url(eirik_user))
    page.goto("/loops/evaluations/mine/")
    expect(main.locator(f"[data-loop='{loop.pk}']")).to_contain_text("Ikke svart ennå")
    look(page, f"mine-{viewport['width']}")
    main.get_by_role("link", name="Loop Nord").click()
    page.wait_for_url(f"**/loops/{loop.pk}/evaluation/answer/")
    page.get_by_role("group", name="Loopen fungerte godt for arbeidsplassen vår").get_by_label(
        "5 – i stor grad"
    ).check()
    page.get_by_role("group", name="Vi fikk støtten vi trengte fra driveren og NAV").get_by_label(
        "4", exact=True
    ).check()
    page.get_by_role("group", name="Vi vil være med i en ny loop").get_by_label(
        "5 – i stor grad"
    ).check()
    page.get_by_label("Hva fungerte godt?").fill("Gruppeintervjuene ga en god start.")
    look(page, f"answer-{viewport['width']}")
    page.get_by_role("button", name="Send svarene mine").click()
    page.wait_for_url("**/loops/evaluations/mine/")
    expect(page.locator(".messages")).to_contain_text("Takk! Svarene dine er lagret.")
    answer = EvaluationAnswer.objects.get(contact=eirik)
    assert (answer.worked, answer.supported, answer.again) == (5, 4, 5)
    # He reaches no one else's answers and not the driver's side.
    response = page.goto(f"/loops/{loop.pk}/evaluation/")
    assert response is not None and response.status == 403

    # The driver reads his answer, then compares the loops.
    _log_in_with(page, "siri@grunder.example")
    page.goto(f"/loops/{loop.pk}/evaluation/")
    expect(main.locator(f"[data-testid=answer-{answer.pk}]")).to_contain_text(
        "Gruppeintervjuene ga en god start."
    )
    look(page, f"answers-{viewport['width']}")
    main.get_by_role("link", name="Sammenlign looper").first.click()
    page.wait_for_url("**/loops/compare/")
    row = main.locator(f"tr[data-loop='{loop.pk}']")
    expect(row.locator("[data-workplace]")).to_contain_text("5 svar")
    expect(row.locator("[data-retention]")).to_contain_text("0 / 3")
    look(page, f"compare-{viewport['width']}")


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366", "390"])
def test_the_driver_records_a_network_meeting(
    page: Page,
    log_in: Callable[[User], None],
    coordinator: User,
    counselor: User,
    org,
    employer,
    viewport,
) -> None:
    page.set_viewport_size(viewport)
    mentor = contact_add(
        employer=employer, by=counselor, name="Mona Mentor", phone="91234567", is_mentor=True
    )
    loop = services.loop_create(
        organisation=org,
        by=coordinator,
        name="Loop Vest",
        driver=coordinator,
        counselor=counselor,
        start_date=timezone.localdate() - datetime.timedelta(days=40),
        employers=[
            employer,
            make_employer(org, counselor, name="Verkstedet AS"),
            make_employer(org, counselor, name="Butikken AS"),
        ],
        mentors=[mentor],
    )
    log_in(coordinator)
    page.goto(f"/loops/{loop.pk}/")
    page.locator("main").get_by_role("link", name="Nettverksmøter").click()
    page.wait_for_url(f"**/loops/{loop.pk}/meetings/")
    look(page, f"meetings-empty-{viewport['width']}")
    page.get_by_label("Dato", exact=True).fill(
        (timezone.localdate() - datetime.timedelta(days=2)).isoformat()
    )
    page.get_by_label("Mona Mentor (Bakeriet AS)").check()
    page.get_by_label("Referat").fill("Runde rundt bordet om første periode.")
    page.get_by_label("Hva vi lærte").fill("Faste oppgaver den første uka.")
    page.get_by_label("Hva vi vil endre").fill("En mentortime i uka.")
    page.get_by_role("button", name="Lagre møtet").click()
    expect(page.locator(".messages")).to_be_visible()
    meeting = NetworkMeeting.objects.get(loop=loop)
    assert list(meeting.attendees.all()) == [mentor]
    card = page.locator(f"[data-testid=meeting-{meeting.pk}]")
    expect(card).to_contain_text("Mona Mentor (Bakeriet AS)")
    expect(card).to_contain_text("Faste oppgaver den første uka.")
    look(page, f"meetings-{viewport['width']}")
