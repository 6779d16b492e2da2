"""The coordinator's day (issue 18), as the coordinator sees it at 1366 and 390 px: he lands on
the employer pipeline, moves an employer from the board with the keyboard, follows the concern
on Today to the placement at his employer (seeing only what the participant shares), and finds
the employer's placements, its industry by name and why he has nobody to place; the employer
list's filters fit a phone, and the phone he writes in his settings is the one the employer
page offers to call. Then the counselor sends the agreement for approval: the page says who
approves and how, warns that nobody at the employer can, offers to invite the contact, and
offers her own approval only when it can work (she approves last)."""

import os
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from samspill.core.testing import make_employer
from samspill.employers.services import contact_add
from samspill.placements import followups
from samspill.placements.tests import cast
from tests.browser.axe import assert_accessible
from tests.browser.test_small_screens import assert_no_horizontal_scroll

SIZES = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
# Set SAMSPILL_SHOTS to a folder to keep a screenshot of every page walked.
SHOTS = os.environ.get("SAMSPILL_SHOTS")

NOT_SHARED = re.compile(r"name not shared|navnet er ikke delt", re.I)
NOBODY_TO_PLACE = re.compile(r"nobody you can place|ingen du selv kan plassere", re.I)
NOBODY_APPROVES = re.compile(r"can approve the agreement yet|kan godkjenne avtalen ennå", re.I)


def look(page: Page, name: str) -> None:
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def assert_headings_fit(page: Page) -> None:
    """Every stage name fits its column: no heading is wider than its box."""
    overflowing = page.evaluate(
        "() => [...document.querySelectorAll('.board-column h2')]"
        ".filter(h => h.scrollWidth > h.clientWidth + 1).map(h => h.textContent)"
    )
    assert not overflowing, f"stage names overflow their columns: {overflowing}"


@pytest.fixture
def workshop(org, coordinator):
    employer = make_employer(org, coordinator, name="Verkstedet AS", nace_division="47")
    contact_add(
        employer=employer,
        by=coordinator,
        name="Mats Mentor",
        email="mats@verkstedet.example",
        is_mentor=True,
    )
    return employer


@pytest.fixture
def draft(workshop, participant, counselor):
    mentor = workshop.contacts.get()
    placement = cast.draft(participant, workshop, counselor, mentor)
    followups.concern_raise(placement=placement, by=counselor, text="Kom ikke i dag.")
    return placement


@pytest.mark.browser
@pytest.mark.parametrize("size", ["laptop", "phone"])
def test_the_coordinator_walks_his_employers(page, log_in, coordinator, workshop, draft, size):
    page.set_viewport_size(SIZES[size])
    log_in(coordinator)

    # He lands on the pipeline, where his work is; every stage name fits its column.
    assert page.url.endswith(reverse("employers:board"))
    assert_headings_fit(page)
    look(page, f"coordinator-board-{size}")

    # He moves the workshop on from the board, with the keyboard only.
    select = page.locator(f"#move-{workshop.pk}")
    select.focus()
    select.select_option("first_meeting")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(reverse("employers:board"))
    column = page.locator("section[aria-labelledby=col-first_meeting]")
    expect(column.get_by_role("link", name="Verkstedet AS")).to_be_visible()

    # The concern on Today leads to the placement, without the name the participant keeps.
    page.goto(reverse("followup:today"))
    page.get_by_role("link", name=draft.title).click()
    page.wait_for_url(f"**{reverse('placements:detail', kwargs={'pk': draft.pk})}*")
    expect(page.locator("#h-participant")).to_have_text(NOT_SHARED)
    expect(page.locator("main")).to_contain_text("Kom ikke i dag.")
    expect(page.locator("main")).not_to_contain_text("Nordmann")
    look(page, f"coordinator-placement-{size}")

    # The employer page lists the placement, names the industry and says why he has nobody
    # to place.
    page.goto(reverse("employers:detail", kwargs={"pk": workshop.pk}))
    placements = page.locator("section[aria-labelledby=h-placements]")
    expect(placements.get_by_role("link", name=NOT_SHARED)).to_be_visible()
    expect(page.locator("#nobody-to-place")).to_have_text(NOBODY_TO_PLACE)
    expect(page.locator("section[aria-labelledby=h-facts]")).to_contain_text("Detaljhandel")
    look(page, f"coordinator-employer-{size}")

    # The employer list's filters fit a phone: the industry select (long names) and the
    # checkboxes stay inside the page.
    page.goto(reverse("employers:list"))
    expect(page.locator("select[name=section] option[value=G]")).to_have_count(1)
    box = page.locator("input[type=checkbox]").first.bounding_box()
    assert box is not None and box["width"] < 40
    look(page, f"coordinator-employers-{size}")

    # He is the one person to call at the workshop: he writes his phone in his settings (a
    # number, not words), and the employer page offers it to call.
    page.goto(reverse("account_settings"))
    page.get_by_label("Telefon").fill("ring meg")
    page.get_by_role("button", name="Lagre").click()
    expect(page.locator("#id_phone_error")).to_be_visible()
    page.get_by_label("Telefon").fill("+47 55 30 40 11")
    with page.expect_navigation():
        page.get_by_role("button", name="Lagre").click()
    page.goto(reverse("employers:detail", kwargs={"pk": workshop.pk}))
    expect(page.locator(".call-card a[href^='tel:']")).to_have_text("+47 55 30 40 11")
    look(page, f"coordinator-call-card-{size}")


@pytest.mark.browser
def test_the_counselor_sends_the_agreement_for_approval(page, log_in, counselor, draft):
    page.set_viewport_size(SIZES["laptop"])
    log_in(counselor)
    page.goto(reverse("placements:detail", kwargs={"pk": draft.pk}))

    # Complete, but a draft until sent; the agreement reads as people write it.
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "draft")
    facts = page.locator("section[aria-labelledby=h-agreement] dl")
    assert draft.hours_per_week == Decimal("30")
    expect(facts.locator("dd", has_text=re.compile(r"^30$"))).to_have_count(1)
    labels = [t.strip() for t in facts.locator("dt").all_text_contents()]
    assert all(label[0].isupper() for label in labels), labels
    expect(facts).not_to_contain_text(re.compile("back-dated|tilbakedatert", re.I))
    # Whom to call: the employer's contact person, as everywhere else.
    expect(facts).to_contain_text(draft.employer.contact_person.full_name)

    # Nobody at the workshop can approve yet: the page says so and offers the invitation.
    warning = page.locator("#nobody-can-approve")
    expect(warning).to_contain_text(NOBODY_APPROVES)
    look(page, "counselor-send-laptop")
    with page.expect_navigation():
        warning.locator("form button").click()
    assert page.url.endswith(reverse("placements:detail", kwargs={"pk": draft.pk}))

    with page.expect_navigation():
        page.locator("form[action$='/send/'] button").click()
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "awaiting_approval")
    expect(page.locator("[data-approver=participant]")).to_be_visible()
    # She approves last: no button that the server would refuse, but whom she waits for.
    expect(page.get_by_role("button", name="Godkjenn som veileder")).to_have_count(0)
    expect(page.locator("[data-testid=counselor-waits]")).to_have_text(
        "Du godkjenner sist, når disse har godkjent: deltaker, arbeidsgiver."
    )
    page.set_viewport_size(SIZES["phone"])
    look(page, "counselor-sent-phone")
    # On a phone every value of the agreement has room beside its label.
    widths = facts.locator("dd").evaluate_all("dds => dds.map(d => d.clientWidth)")
    assert min(widths) > 100, widths
