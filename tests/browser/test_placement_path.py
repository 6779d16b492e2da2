"""The whole placement path (issue 5), each person in their own browser session: the counselor
drafts the agreement from the employer page and fills in every step, the employer contact and
the participant approve in the portal, the counselor approves last; then a follow-up, the final
evaluation and the certificate, which the employer approves and the participant downloads."""

import datetime
import io
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Locator, Page, expect
from pypdf import PdfReader

from samspill.accounts.models import User
from samspill.core.testing import PASSWORD
from samspill.placements.models import FollowUp, Placement
from tests.browser.axe import assert_accessible
from tests.browser.sessions import log_in_on

TASKS = "Steke brød og rydde bakeriet"
ASSESSMENT = "Kari har vært punktlig og lært å steke brød på egen hånd."
NEXT_STEPS = "Prøve kassen neste uke."

# English source strings or their Norwegian translations, whichever the catalogue has.
APPROVE_AGREEMENT = re.compile(r"I approve the agreement|Jeg godkjenner avtalen", re.I)
DOWNLOAD = re.compile(r"Download the certificate|Last ned attesten", re.I)


@pytest.fixture
def new_session(
    browser: Browser, live_server: Any, transactional_db: None
) -> Iterator[Callable[[], Page]]:
    """A fresh browser context (its own cookies) per person, like separate devices."""
    contexts = []

    def new_session() -> Page:
        context = browser.new_context(base_url=live_server.url, locale="nb-NO")
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield new_session
    for context in contexts:
        context.close()


@pytest.fixture
def participant_user(participant) -> User:
    """The participant's own login, as accepting the invitation would give them."""
    user = User.objects.create_user(
        email="kari@example.org", password=PASSWORD, full_name=participant.full_name
    )
    participant.portal_user = user
    participant.save(update_fields=["portal_user"])
    return user


def submit(page: Page) -> None:
    """Send the page's own form (the one that posts back to the page)."""
    with page.expect_navigation():
        page.locator("main form[method=post]:not([action]) button[type=submit]").click()


def approval(page: Page, party: str) -> Locator:
    return page.locator(f"[data-party={party}] .badge.ok")


@pytest.mark.browser
def test_a_placement_goes_from_draft_to_a_downloaded_certificate(
    new_session: Callable[[], Page],
    counselor,
    participant,
    participant_user,
    employer,
    org,
    mentor_contact,
    employer_user,
):
    today = timezone.localdate()
    end = today + datetime.timedelta(days=150)

    # 1. The counselor drafts the placement from the employer page and fills in every step.
    staff = new_session()
    log_in_on(staff, counselor)
    staff.goto(reverse("employers:detail", kwargs={"pk": employer.pk}))
    form = staff.locator(f"form[action$='/employers/{employer.pk}/placements/']")
    form.locator("xpath=ancestor::details/summary").click()
    form.locator("select[name=participant]").select_option(str(participant.pk))
    form.locator("select[name=mentor]").select_option(str(mentor_contact.pk))
    form.locator("select[name=kind]").select_option("work_training")
    form.locator("input[name=title]").fill("Bakeassistent")
    form.locator("textarea[name=tasks]").fill(TASKS)
    form.locator("input[name=start_date]").fill(today.isoformat())
    form.locator("input[name=end_date]").fill(end.isoformat())
    with staff.expect_navigation():
        form.locator("button[type=submit]").click()
    placement = Placement.objects.get()
    step_url = reverse("placements:step", kwargs={"pk": placement.pk, "step": "parties"})
    assert staff.url.endswith(step_url)
    assert_accessible(staff)

    expect(staff.locator("select[name=mentor]")).to_have_value(str(mentor_contact.pk))
    submit(staff)  # parties and mentor
    assert staff.url.endswith("/agreement/goals/")
    staff.check("input[name=goal_experience]")
    staff.fill("textarea[name=goal_experience_text]", "Få arbeidserfaring fra et bakeri.")
    submit(staff)
    assert staff.url.endswith("/agreement/job/")
    expect(staff.locator("textarea[name=tasks]")).to_have_value(TASKS)
    staff.fill("input[name=hours_per_week]", "20")
    staff.fill("input[name=work_days]", "Mandag til torsdag")
    staff.fill("input[name=work_place]", "Bakeriet, Storgata 1")
    submit(staff)
    assert staff.url.endswith("/agreement/duration/")
    expect(staff.locator("input[name=start_date]")).to_have_value(today.isoformat())
    submit(staff)
    assert staff.url.endswith("/agreement/expectations/")
    staff.fill("textarea[name=employer_expects]", "Møter presis og sier fra ved fravær.")
    staff.fill("textarea[name=participant_expects]", "Opplæring og en fast mentor.")
    staff.fill("textarea[name=we_offer]", "Oppfølging hver uke den første måneden.")
    submit(staff)
    assert staff.url.endswith("/agreement/safety/")
    staff.fill("textarea[name=if_something_happens]", "Ring veilederen samme dag.")
    staff.fill("input[name=call_whom]", "Counselor, 400 00 000")
    submit(staff)

    detail_url = reverse("placements:detail", kwargs={"pk": placement.pk})
    assert staff.url.endswith(detail_url)
    # Complete, but a draft until it is sent: the page says who approves, and how.
    expect(staff.locator("[data-status]")).to_have_attribute("data-status", "draft")
    expect(staff.locator("[data-approver=employer]")).to_be_visible()
    with staff.expect_navigation():
        staff.locator("form[action$='/send/'] button").click()
    expect(staff.locator("[data-status]")).to_have_attribute("data-status", "awaiting_approval")
    assert_accessible(staff)

    staff.goto(reverse("placements:meeting", kwargs={"pk": placement.pk}))
    staff.fill("input[name=held_on]", today.isoformat())
    for who in ("participant", "mentor", "employer", "counselor"):
        staff.check(f"input[name={who}_present]")
    staff.fill("textarea[name=notes]", "Gikk gjennom avtalen sammen.")
    submit(staff)
    assert staff.url.endswith(detail_url)

    # 2. The employer contact approves in the portal, in their own session.
    boss = new_session()
    log_in_on(boss, employer_user)
    boss.goto(reverse("portal:placement", kwargs={"pk": placement.pk}))
    expect(boss.locator("#h-agreement")).to_be_visible()
    expect(boss.locator("main")).to_contain_text("Møter presis og sier fra ved fravær.")
    assert_accessible(boss)
    with boss.expect_navigation():
        boss.locator("form[action$='/approve/'] button").click()
    expect(approval(boss, "employer")).to_be_visible()
    expect(boss.get_by_role("button", name=APPROVE_AGREEMENT)).to_have_count(0)

    # 3. The participant finds the placement under My placements and approves it.
    kari = new_session()
    log_in_on(kari, participant_user)
    kari.goto(reverse("portal:home"))
    with kari.expect_navigation():
        kari.get_by_role("link", name="Bakeassistent").click()
    assert kari.url.endswith(reverse("portal:my_placement", kwargs={"pk": placement.pk}))
    assert_accessible(kari)
    with kari.expect_navigation():
        kari.get_by_role("button", name=APPROVE_AGREEMENT).click()
    expect(approval(kari, "participant")).to_be_visible()

    # 4. The counselor approves last; the agreement is locked and running from today.
    staff.goto(detail_url)
    expect(approval(staff, "employer")).to_be_visible()
    expect(approval(staff, "participant")).to_be_visible()
    with staff.expect_navigation():
        staff.locator("form:has(input[name=party][value=counselor]) button").click()
    expect(approval(staff, "counselor")).to_be_visible()
    expect(staff.locator("[data-status]")).to_have_attribute("data-status", "running")
    placement.refresh_from_db()
    assert placement.is_locked
    assert placement.agreement_number == 1
    assert placement.goals == [
        {"category": "experience", "text": "Få arbeidserfaring fra et bakeri."}
    ]

    # 5. A follow-up is logged and shows on the placement.
    staff.goto(reverse("placements:follow_up", kwargs={"pk": placement.pk}))
    staff.fill("input[name=held_on]", today.isoformat())
    staff.check("input[name=participant_present]")
    staff.check("input[name=mentor_present]")
    staff.check("input[name=going][value=well]")
    staff.fill("textarea[name=notes]", "Første uke gikk fint.")
    staff.fill("textarea[name=next_steps]", NEXT_STEPS)
    submit(staff)
    assert staff.url.endswith(detail_url)
    expect(staff.locator("#h-followups ~ .table-scroll table")).to_contain_text(NEXT_STEPS)
    assert FollowUp.objects.filter(placement=placement, held_on=today, going="well").exists()

    # 6. The final evaluation, then the certificate draft, which asks the employer.
    staff.goto(reverse("placements:evaluation", kwargs={"pk": placement.pk, "kind": "final"}))
    staff.fill("input[name=held_on]", today.isoformat())
    expect(staff.locator("textarea[name=tasks_mastered]")).to_have_value(TASKS)
    staff.locator("select[name=attendance]").select_option("very_good")
    staff.locator("select[name=cooperation]").select_option("good")
    staff.fill("textarea[name=what_worked]", "Punktlig og nysgjerrig.")
    submit(staff)
    assert staff.url.endswith(detail_url)

    staff.goto(reverse("placements:certificate", kwargs={"pk": placement.pk}))
    staff.locator("main select#id_language").select_option("nb")
    expect(staff.locator("textarea[name=tasks]")).to_have_value(TASKS)
    staff.fill("textarea[name=assessment]", ASSESSMENT)
    submit(staff)
    assert staff.url.endswith(detail_url)
    assert_accessible(staff)  # now with follow-ups, evaluations and the certificate

    # 7. The employer contact approves the certificate.
    boss.goto(reverse("portal:placement", kwargs={"pk": placement.pk}))
    expect(boss.locator("#h-certificate ~ dl")).to_contain_text(ASSESSMENT)
    assert_accessible(boss)
    with boss.expect_navigation():
        boss.locator(
            "form[action$='/certificate/']:has(input[name=decision][value=approve]) button"
        ).click()
    expect(boss.locator("#h-certificate ~ p .badge.ok")).to_be_visible()

    # 8. The participant downloads the certificate and it says what it should.
    kari.goto(reverse("portal:my_placement", kwargs={"pk": placement.pk}))
    expect(kari.locator("main")).to_contain_text("Punktlig og nysgjerrig.")
    with kari.expect_download() as download_info:
        kari.get_by_role("link", name=DOWNLOAD).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    path = download.path()
    assert path is not None
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for expected in (participant.full_name, employer.name, org.name, TASKS, ASSESSMENT):
        assert expected in text, f"{expected!r} is not in the certificate: {text}"
