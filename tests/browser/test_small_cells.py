"""Pages with hidden small counts: the bars leave the hidden ones out, and axe-core finds no
serious violation in the marker or its footnote."""

import datetime

import pytest

from samspill.followup.tests.test_small_cells import follow
from samspill.insights.tests.test_small_cells import end_periods
from tests.browser.axe import assert_accessible


@pytest.mark.browser
def test_the_outcomes_bars_leave_a_hidden_count_out(page, log_in, org, counselor, leader):
    end_periods(org, counselor)  # 3 to work and 2 with none in "permanently adapted work"
    log_in(leader)

    page.goto("/insights/outcomes/?start=2025-01-01&end=" + datetime.date.today().isoformat())

    # The need groups by key: good prospects, permanently adapted work, situational guidance.
    rows = page.locator("section[aria-labelledby=h-need_group] tbody tr")
    assert rows.nth(1).locator(".stack span").count() == 0  # 3 and 2: both hidden
    assert rows.nth(1).locator(".suppressed").count() >= 1
    assert rows.nth(2).locator(".stack span").count() == 2  # 7 to work, at the end and after
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
