"""The business coordinator's fixed meeting and business breakfast (issue 22, item 9), at 1366
and 390 px, with axe on every page walked.

The meeting: from the employer list he opens the coordinator meetings, starts a weekly series
with a counselor, opens a meeting, records who came and the minutes, and agrees an action for
the counselor; at the next meeting the open action is carried over, and the counselor finds it
among her actions and marks it done.

The breakfast: he plans the event, invites two employers (the invitation goes to their contacts
by e-mail), records who came, moves one of them forward in the pipeline, and the event page
shows which employer moved, with its stage at the event and now."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from samspill.core.testing import make_employer
from samspill.employers.models_coordination import CoordinationMeeting, MeetingSeries
from samspill.employers.services import contact_add
from samspill.outbox.models import Message
from tests.browser.axe import assert_accessible
from tests.browser.sessions import log_in_on
from tests.browser.test_small_screens import assert_no_horizontal_scroll

SIZES = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
TODAY = timezone.localdate()


def start(page: Page, size: str) -> None:
    page.set_viewport_size(SIZES[size])
    # The first page of a session compiles templates and reads static files: on a busy
    # machine it takes longer than the default.
    page.set_default_navigation_timeout(30_000)


def look(page: Page) -> None:
    assert_no_horizontal_scroll(page)
    assert_accessible(page)


def submit(page: Page, form: str) -> None:
    with page.expect_navigation():
        page.locator(form).locator("button[type=submit]").first.click()


@pytest.mark.browser
@pytest.mark.parametrize("size", ["laptop", "phone"])
def test_the_coordinator_keeps_a_fixed_meeting(
    page, browser, live_server, coordinator, counselor, size
):
    start(page, size)
    log_in_on(page, coordinator)
    page.goto(reverse("employers:list"))
    page.locator(f"a[href='{reverse('coordination:series_list')}']").first.click()
    page.wait_for_url(f"**{reverse('coordination:series_list')}")
    look(page)

    # A weekly series, begun on a Monday three weeks ago, with the counselor as a member.
    monday = TODAY - datetime.timedelta(days=TODAY.weekday() + 21)
    page.goto(reverse("coordination:series_create"))
    look(page)
    page.fill("#id_title", "Koordinatormøte med NAV")
    page.select_option("#id_weekday", "0")
    page.fill("#id_interval_weeks", "1")
    page.fill("#id_starts_on", monday.isoformat())
    page.fill("#id_start_time", "09:00")
    page.fill("#id_place", "NAV-kontoret")
    page.check(f"input[name=members][value='{counselor.pk}']")
    submit(page, "main form")
    series = MeetingSeries.objects.get()
    assert page.url.endswith(reverse("coordination:series", kwargs={"pk": series.pk}))
    look(page)

    # The first meeting: attendance, minutes, and an action for the counselor.
    page.fill("#id_held_on", monday.isoformat())
    submit(page, f"form[action='{reverse('coordination:meeting_add', kwargs={'pk': series.pk})}']")
    first = CoordinationMeeting.objects.get()
    page.select_option(f"#id_member_{coordinator.pk}", "present")
    page.select_option(f"#id_member_{counselor.pk}", "excused")
    page.fill("#id_minutes", "Tre nye bedrifter i kø.")
    submit(page, "section[aria-labelledby=h-minutes] form")
    expect(page.locator(f"#id_member_{counselor.pk}")).to_have_value("excused")
    page.fill("#id_what", "Ringe bakeriet")
    page.select_option("#id_responsible", str(counselor.pk))
    page.fill("#id_due_on", (monday + datetime.timedelta(days=3)).isoformat())
    submit(page, "section[aria-labelledby=h-agreed] form:not(.inline-form)")
    expect(page.locator("[data-list=agreed] li")).to_have_count(1)
    look(page)

    # The next meeting carries the open action over.
    page.goto(reverse("coordination:series", kwargs={"pk": series.pk}))
    page.fill("#id_held_on", (monday + datetime.timedelta(weeks=1)).isoformat())
    submit(page, f"form[action='{reverse('coordination:meeting_add', kwargs={'pk': series.pk})}']")
    second = CoordinationMeeting.objects.exclude(pk=first.pk).get()
    assert page.url.endswith(
        reverse("coordination:meeting", kwargs={"pk": series.pk, "meeting_pk": second.pk})
    )
    expect(page.locator("[data-list=carried] li")).to_contain_text("Ringe bakeriet")
    look(page)

    # The counselor finds it among her actions and marks it done.
    context = browser.new_context(base_url=live_server.url, locale="nb-NO")
    other = context.new_page()
    start(other, size)
    log_in_on(other, counselor)
    other.goto(reverse("coordination:my_actions"))
    row = other.locator("[data-list=my-actions] li[data-done='0']")
    expect(row).to_contain_text("Ringe bakeriet")
    look(other)
    with other.expect_navigation():
        row.locator("button").click()
    expect(other.locator("[data-list=my-actions] li")).to_have_count(0)
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("size", ["laptop", "phone"])
def test_the_coordinator_holds_a_business_breakfast(page, org, coordinator, size):
    start(page, size)
    bakery = make_employer(org, coordinator, name="Bakeriet AS")
    garage = make_employer(org, coordinator, name="Verkstedet AS")
    for employer, email in ((bakery, "eier@bakeriet.example"), (garage, "leder@verksted.example")):
        contact_add(employer=employer, by=coordinator, name="Daglig leder", email=email)
    log_in_on(page, coordinator)
    page.goto(reverse("coordination:event_list"))
    look(page)
    page.goto(reverse("coordination:event_create"))
    look(page)
    page.fill("#id_title", "Næringslivsfrokost")
    page.fill("#id_held_on", (TODAY - datetime.timedelta(days=2)).isoformat())
    page.fill("#id_start_time", "08:00")
    page.fill("#id_place", "Kafé Kaien")
    submit(page, "main form")
    assert "/events/" in page.url

    # He invites both; each contact gets the invitation by e-mail.
    page.check(f"input[name=employers][value='{bakery.pk}']")
    page.check(f"input[name=employers][value='{garage.pk}']")
    submit(page, "section[aria-labelledby=h-invite] form")
    expect(page.locator("[data-invitation]")).to_have_count(2)
    sent = sorted(a for to in Message.objects.values_list("to", flat=True) for a in to)
    assert sent == ["eier@bakeriet.example", "leder@verksted.example"]
    look(page)

    # The bakery came; the garage did not.
    for employer, came in ((bakery, "true"), (garage, "false")):
        row = page.locator(f"tr:has(a:text-is('{employer.name}'))")
        row.locator("select[name=response]").select_option("yes" if came == "true" else "no")
        row.locator("select[name=attended]").select_option(came)
        with page.expect_navigation():
            row.locator("button").click()
    expect(page.locator("[data-count=came]")).to_have_text("1")

    # After the breakfast he moves the bakery to a first meeting in the pipeline.
    page.goto(reverse("employers:detail", kwargs={"pk": bakery.pk}))
    page.locator("section[aria-labelledby=h-pipeline] summary").first.click()
    page.select_option("#id_stage", "first_meeting")
    submit(page, f"form[action='{reverse('employers:stage', kwargs={'pk': bakery.pk})}']")
    page.goto(reverse("coordination:event_list"))
    page.get_by_role("link", name="Næringslivsfrokost").click()
    moved = page.locator("tr[data-moved='1']")
    expect(moved).to_have_count(1)
    expect(moved).to_have_attribute("data-stage-at-event", "prospect")
    expect(moved).to_have_attribute("data-stage-now", "first_meeting")
    expect(moved).to_contain_text("Bakeriet AS")
    expect(page.locator("[data-count=moved]")).to_have_text("1")
    expect(page.locator("[data-count=moved-came]")).to_have_text("1")
    look(page)
