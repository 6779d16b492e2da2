"""The daily journeys of a leader, a mentor and the platform operator, in Norwegian, as each
sees them: every chart's bars drawn to their share (measured by rendered width: a decimal
comma in a CSS value once drew them as 2-px ticks), the insight tabs marking the current one,
the access log in words, error pages with the layout and a way back, the mentor's list telling
placements apart without names, and the admin in Norwegian. axe on every page; on a phone,
nothing scrolls sideways."""

import re

import pytest
from playwright.sync_api import Page, expect

from samspill.core.testing import make_participant
from samspill.insights.tests import outcome_data
from samspill.placements.tests import cast
from tests.browser.axe import assert_accessible
from tests.browser.test_small_screens import assert_no_horizontal_scroll

PHONE = {"width": 390, "height": 844}
PERCENT = re.compile(r"(\d+)\s%")


def assert_bars_match_their_shares(page: Page) -> int:
    """Each bar's fill is its share of the track, as the percentage beside it says; returns how
    many bars were measured."""
    bars = page.evaluate(
        """() => [...document.querySelectorAll('main .bar')].map(bar => ({
            track: bar.getBoundingClientRect().width,
            fill: bar.firstElementChild.getBoundingClientRect().width,
            text: bar.closest('td').innerText}))"""
    )
    for bar in bars:
        share = int(PERCENT.search(bar["text"]).group(1)) / 100
        assert bar["track"] > 40, bar
        assert abs(bar["fill"] - share * bar["track"]) <= 0.02 * bar["track"] + 1, bar
    return len(bars)


def assert_chart_segments_drawn(page: Page) -> int:
    """The SVG charts: every segment with a share above zero is drawn wider than a tick."""
    segments = page.evaluate(
        """() => [...document.querySelectorAll('main svg.chart rect[class]')].map(rect => ({
            width: rect.getBoundingClientRect().width,
            title: rect.textContent}))"""
    )
    drawn = 0
    for segment in segments:
        found = PERCENT.search(segment["title"])
        if found and int(found.group(1)) >= 5:
            assert segment["width"] > 5, segment
            drawn += 1
    return drawn


@pytest.mark.browser
def test_a_leader_reads_the_charts_the_insights_and_the_access_log(
    page, log_in, time_machine, org, counselor, other_team_counselor, leader
):
    year = outcome_data.build(time_machine, org, counselor, other_team_counselor, leader)
    time_machine.move_to(cast.at(outcome_data.TODAY), tick=False)
    log_in(leader)

    page.goto("/follow-up/dashboard/")
    assert assert_bars_match_their_shares(page) >= 3
    expect(page.locator("#h-teams")).to_be_visible()
    expect(page.locator("#h-counselors")).to_be_visible()
    assert "," not in page.locator("main .big").first.inner_text()  # "100 %", one style
    assert_accessible(page)

    page.goto("/insights/creaming/?start=2025-01-01&end=2025-12-31")
    assert assert_bars_match_their_shares(page) >= 4
    expect(page.locator(".quick a[aria-current='page']")).to_have_text("Hvem får en utplassering?")
    current = page.locator(".quick a[aria-current='page']").evaluate(
        "a => getComputedStyle(a).backgroundColor"
    )
    other = page.locator(".quick a:not([aria-current])").first.evaluate(
        "a => getComputedStyle(a).backgroundColor"
    )
    assert current != other  # the current tab looks current, not only to a screen reader

    page.goto("/insights/outcomes/?start=2025-01-01&end=2025-12-31")
    assert assert_chart_segments_drawn(page) >= 3

    page.goto("/insights/effects/")
    expect(page.locator("main form button[type=submit]")).to_have_text("Beregn")

    page.goto(f"/participants/{year.participants[0].pk}/access-log/")
    log = page.locator("main table tbody")
    expect(log).to_contain_text("Denne tilgangsloggen")
    expect(log).to_contain_text("Leder")
    expect(log).not_to_contain_text("page:")
    assert_accessible(page)

    # Error pages: the layout, a plain sentence, and the way back to where one came from.
    page.goto("/organisation/", referer=page.url)
    expect(page.locator("main h1")).to_have_text("Du har ikke tilgang til denne siden")
    expect(page.get_by_role("link", name="Tilbake til forrige side")).to_be_visible()
    expect(page.get_by_role("navigation", name="Hovedmeny")).to_be_visible()
    page.goto("/no-such-page/")
    expect(page.locator("main h1")).to_have_text("Siden ble ikke funnet")
    expect(page.get_by_role("link", name="Gå til forsiden")).to_be_visible()
    assert_accessible(page)

    page.set_viewport_size(PHONE)
    for path in ("/follow-up/dashboard/", "/insights/creaming/?start=2025-01-01&end=2025-12-31"):
        page.goto(path)
        assert_no_horizontal_scroll(page)
        assert assert_bars_match_their_shares(page) >= 3
    # The other tabs fit a phone too; the per-counselor fidelity table scrolls in its own box.
    for path in ("/insights/outcomes/?start=2025-01-01&end=2025-12-31", "/insights/fidelity/"):
        page.goto(path)
        assert_no_horizontal_scroll(page)
    expect(page.locator(".table-scroll[aria-labelledby=h-counselors] table")).to_be_visible()


@pytest.mark.browser
def test_a_mentor_sees_which_placement_waits_for_her_on_a_phone(
    page,
    log_in,
    time_machine,
    org,
    participant,
    employer,
    counselor,
    mentor_contact,
    mentor,
    employer_user,
):
    time_machine.move_to(cast.at(cast.TODAY), tick=False)
    cast.approve_all(
        cast.draft(participant, employer, counselor, mentor_contact, start=cast.START),
        counselor,
        employer_user,
    )
    other = make_participant(org, counselor, given_name="Per", family_name="Annen")
    cast.sent(
        cast.draft(
            other, employer, counselor, mentor_contact, start=cast.START, kind="mentor_support"
        ),
        counselor,
    )
    page.set_viewport_size(PHONE)
    log_in(mentor)

    rows = page.locator(".portal-list > li")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Venter på din godkjenning")
    expect(rows.first).to_contain_text("Mentorstøtte")
    expect(rows.nth(1)).to_contain_text("Klar til start")
    expect(rows.nth(1)).not_to_contain_text("Venter på din godkjenning")
    assert_no_horizontal_scroll(page)
    assert_accessible(page)


@pytest.mark.browser
def test_the_operator_finds_the_admin_in_norwegian(page, log_in, transactional_db):
    from django.contrib.auth import get_user_model

    from samspill.core.testing import PASSWORD

    operator = get_user_model().objects.create_superuser(
        email="operator@example.org", password=PASSWORD, full_name="Platform Operator"
    )
    log_in(operator)

    page.goto("/admin/")
    expect(page.get_by_role("link", name="Gå til hovedinnholdet")).to_be_attached()
    expect(page.locator("#content")).not_to_contain_text("Model name")
    assert_accessible(page)
