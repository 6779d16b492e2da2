"""The external driver's journey (issue 22, item 1), walked as a social entrepreneur outside the
organisation: the coordinator invites her, she chooses a password from the e-mail's link and
lands on her loops; she sees her loop's employers, opens its kick-off, sees the candidates the
counselor proposed only as far as each shares with the workplace, invites one and a mentor; she
reaches no staff page. At 1366 and 390 px, axe on the way.

Set SAMSPILL_SHOTS to a folder to keep a screenshot of every page looked at."""

import datetime
import os
import re
from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from samspill.accounts.models import User
from samspill.core.testing import PASSWORD, make_employer, make_participant
from samspill.employers.services import contact_add
from samspill.loops import drivers, services
from samspill.loops.models import GatheringInvitation, LoopPartner
from samspill.participants import services as participant_services
from samspill.participants.models import ConsentRecord
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
        page.screenshot(path=f"{SHOTS}/loop-driver-{name}.png", full_page=True)


@pytest.fixture
def loop_world(org, coordinator: User, counselor: User, employer):
    """A loop of three employers (a mentor at the bakery) with a kick-off in two weeks, for
    which the counselor proposed Kari (who shares her name with the workplace) and Ola (who
    shares nothing); Hemmelig is not proposed."""
    today = timezone.localdate()
    employers = [
        employer,
        make_employer(org, counselor, name="Verkstedet AS"),
        make_employer(org, counselor, name="Butikken AS"),
    ]
    mentor = contact_add(
        employer=employer,
        by=counselor,
        name="Mona Mentor",
        email="mona@bakeriet.example",
        is_mentor=True,
        confidentiality_signed_on=datetime.date(2026, 1, 2),
    )
    kari, ola = (
        make_participant(org, counselor, given_name=name, birth_date=datetime.date(2006, 3, 1))
        for name in ("Kari", "Ola")
    )
    hidden = make_participant(org, counselor, given_name="Hemmelig")
    participant_services.consent_give(
        participant=kari,
        by=counselor,
        recipient=ConsentRecord.Recipient.WORKPLACE,
        information=ConsentRecord.Information.CONTACT,
    )
    loop = services.loop_create(
        organisation=org,
        by=coordinator,
        name="Loop Næringsliv",
        driver=coordinator,
        counselor=counselor,
        start_date=today + datetime.timedelta(days=30),
        employers=employers,
    )
    gathering = services.gathering_create(
        organisation=org,
        by=coordinator,
        date=today + datetime.timedelta(days=14),
        place="Gründerhuset",
        loop=loop,
    )
    for person in (kari, ola):
        services.gathering_nominate(gathering=gathering, by=counselor, participant=person)
    return {
        "loop": loop,
        "gathering": gathering,
        "employers": employers,
        "mentor": mentor,
        "kari": kari,
        "ola": ola,
        "hidden": hidden,
    }


def _invite_and_accept(
    page: Page, log_in: Callable[[User], None], coordinator: User, loop_world
) -> LoopPartner:
    """The coordinator invites the driver on the partners page and gives her the loop; she
    chooses her password from the e-mail's link."""
    log_in(coordinator)
    page.goto("/loops/partners/")
    page.get_by_label("Fullt navn").fill("Siri Gründer")
    page.get_by_label("E-postadresse").fill("siri@grunder.example")
    page.get_by_label("Rolle").select_option("external_driver")
    page.get_by_role("button", name="Send invitasjonen").click()
    page.wait_for_url(re.compile(r"/loops/partners/\d+/$"))
    partner = LoopPartner.objects.get(user__email="siri@grunder.example")
    page.get_by_label("Taushetserklæring signert").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Registrer erklæringen").click()
    page.get_by_label("Loop", exact=True).select_option(str(loop_world["loop"].pk))
    page.get_by_role("button", name="Gi loopen").click()
    expect(page.locator("main")).to_contain_text("Loop Næringsliv")
    page.context.clear_cookies()
    partner.user.refresh_from_db()

    # The link the e-mail carries (the same one-time link, made for her account).
    link = drivers.invitation_url(partner.user)
    page.goto("/" + link.split("/", 3)[3])
    page.locator("input[name=new_password1]").fill(NEW_PASSWORD)
    page.locator("input[name=new_password2]").fill(NEW_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/loops/partner/")
    return partner


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366", "390"])
def test_the_external_driver_invites_proposed_candidates_and_reaches_nothing_else(
    page: Page,
    log_in: Callable[[User], None],
    coordinator: User,
    loop_world,
    viewport,
) -> None:
    page.set_viewport_size(viewport)
    _invite_and_accept(page, log_in, coordinator, loop_world)
    loop, gathering = loop_world["loop"], loop_world["gathering"]

    # Her loops: the loop, its employers and its kick-off.
    main = page.locator("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("Mine looper")
    expect(main).to_contain_text("Loop Næringsliv")
    for employer in loop_world["employers"]:
        expect(main).to_contain_text(employer.name)
    look(page, f"home-{viewport['width']}")

    # The kick-off: Kari by name, Ola without; Hemmelig nowhere.
    main.get_by_role("link", name=re.compile("Oppstartssamling")).first.click()
    page.wait_for_url(f"**/loops/partner/gatherings/{gathering.pk}/")
    candidates = page.locator("table").first
    expect(candidates).to_contain_text(loop_world["kari"].full_name)
    # Ola shares no name with workplaces: a number, never his name or id.
    expect(candidates).to_contain_text(re.compile(r"Kandidat \d"))
    expect(candidates).not_to_contain_text(f"#{loop_world['ola'].pk}")
    expect(main).not_to_contain_text(loop_world["ola"].full_name)
    expect(main).not_to_contain_text("Hemmelig")
    look(page, f"gathering-{viewport['width']}")

    # She invites Kari and the bakery's mentor.
    page.get_by_label("Foreslått kandidat").select_option(str(loop_world["kari"].pk))
    page.get_by_role("button", name="Inviter kandidaten").click()
    expect(page.locator(".messages")).to_contain_text("Kandidaten er invitert.")
    page.get_by_label("Kontakt med arbeidsgiver").select_option(str(loop_world["mentor"].pk))
    page.get_by_role("button", name="Inviter kontaktpersonen").click()
    expect(main).to_contain_text("Mona Mentor (Bakeriet AS)")
    assert GatheringInvitation.objects.filter(
        gathering=gathering, participant=loop_world["kari"]
    ).exists()
    assert GatheringInvitation.objects.filter(
        gathering=gathering, contact=loop_world["mentor"]
    ).exists()
    look(page, f"invited-{viewport['width']}")

    # Nothing else opens: the caseload, the staff's loop page, a record, insights.
    for path in (
        "/participants/",
        f"/loops/{loop.pk}/",
        f"/participants/{loop_world['kari'].pk}/",
        "/insights/outcomes/",
    ):
        response = page.goto(path)
        assert response is not None and response.status in (403, 404), path


@pytest.mark.browser
def test_nav_sees_the_nav_side_and_refers_a_young_person(
    page: Page, log_in: Callable[[User], None], coordinator: User, org, loop_world
) -> None:
    page.set_viewport_size(PHONE)
    nav = drivers.loop_partner_invite(
        organisation=org,
        by=coordinator,
        email="nav@nav.example",
        full_name="Nils Navesen",
        role=LoopPartner.Role.NAV_COORDINATOR,
    )
    drivers.loop_partner_assign(partner=nav, loop=loop_world["loop"], by=coordinator)
    nav.user.set_password(PASSWORD)
    nav.user.save(update_fields=["password"])
    log_in(nav.user)
    page.goto(f"/loops/partner/loops/{loop_world['loop'].pk}/")
    page.get_by_label("Fornavn").fill("Jonas")
    page.get_by_label("Etternavn").fill("Berg")
    page.get_by_label("Hvorfor denne loopen passer for den unge").fill("Vil prøve butikk.")
    page.get_by_role("button", name="Send henvisningen").click()
    expect(page.locator("main table")).to_contain_text("Jonas Berg")
    expect(page.locator("main")).not_to_contain_text(loop_world["kari"].full_name)
    look(page, "nav-390")
