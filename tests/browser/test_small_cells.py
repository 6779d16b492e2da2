"""Pages with hidden small counts: the bars leave the hidden ones out, and axe-core finds no
serious violation in the marker or its footnote."""

import datetime

import pytest
from django.utils import translation

from samspill.followup.tests.test_small_cells import follow
from samspill.insights.tests.test_small_cells import end_periods
from samspill.participants.models import NeedGroup
from tests.browser.axe import assert_accessible


@pytest.mark.browser
def test_the_outcomes_bars_leave_a_hidden_count_out(page, log_in, org, counselor, leader):
    end_periods(org, counselor)  # 3 to work and 2 unknown in "permanently adapted work"
    log_in(leader)

    page.goto("/insights/outcomes/?start=2025-01-01&end=" + datetime.date.today().isoformat())

    with translation.override("nb"):
        hidden = str(NeedGroup.LITTLE_PROSPECT.label)
        shown = str(NeedGroup.NEEDS_GUIDANCE.label)
    section = page.locator("section[aria-labelledby=h-need_group]")
    bars = section.locator("svg.chart rect title")
    titles = [bars.nth(i).text_content() or "" for i in range(bars.count())]
    # At the end, 3 to work and 2 unknown: hidden, no bar; 7 to work: drawn. (Six and twelve
    # months after, none of them has a status recorded: 0 % of those due, drawn for both.)
    # The needs-guidance bar at the end is the only 100 %: it names the point.
    at_end = next(t for t in titles if t.startswith(shown) and t.endswith("100 %"))
    at_end = at_end.removeprefix(f"{shown},").split(":")[0]
    assert not [t for t in titles if t.startswith(f"{hidden},{at_end}:")]
    assert [t for t in titles if t.startswith(f"{shown},{at_end}:")]
    row = section.locator("tbody tr", has=page.locator("th", has_text=hidden))
    assert row.locator(".suppressed").count() >= 1
    assert page.locator(".small-cells").count() == 1
    assert_accessible(page)


@pytest.mark.browser
def test_the_dashboard_with_hidden_counts_has_no_serious_violations(
    page, log_in, org, counselor, colleague, leader
):
    follow(org, counselor, 6, belief=4, name="C")
    follow(org, colleague, 2, belief=2, name="K")  # 2 at belief 2: hidden, and the 6 with it
    log_in(leader)

    page.goto("/follow-up/dashboard/")

    assert page.locator(".suppressed").count() >= 1
    assert_accessible(page)
