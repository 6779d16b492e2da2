"""Continuity metrics against a small case computed by hand."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samspill.core.testing import client_for, make_participant
from samspill.followup import continuity, dashboard
from samspill.followup.services import checkin_record
from samspill.participants import services
from samspill.participants.models import CounselorAssignment

START, END = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)


def at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def case(org, counselor, colleague, leader):
    """Three periods in 2026:
    A: 1 Jan - open, one change on 1 Jul (counselor -> colleague)    365 days followed
    B: 1 Apr - 30 Jun, no change                                       91 days
    C: 1 Oct - open, two changes                                       92 days
    """
    a = make_participant(org, counselor, family_name="A", start_date=datetime.date(2026, 1, 1))
    services.counselor_assign(
        participant=a,
        counselor=colleague,
        by=leader,
        reason="long_leave",
        started_at=at(datetime.date(2026, 7, 1)),
    )
    b = make_participant(org, counselor, family_name="B", start_date=datetime.date(2026, 4, 1))
    services.period_end(
        participant=b, by=leader, end_date=datetime.date(2026, 6, 30), end_reason="ordinary_work"
    )
    c = make_participant(org, counselor, family_name="C", start_date=datetime.date(2026, 10, 1))
    services.counselor_assign(
        participant=c,
        counselor=colleague,
        by=leader,
        reason="participant_wish",
        started_at=at(datetime.date(2026, 10, 15)),
    )
    services.counselor_assign(
        participant=c,
        counselor=counselor,
        by=leader,
        reason="caseload_balancing",
        started_at=at(datetime.date(2026, 11, 1)),
    )
    return a, b, c


def test_the_organisation_figures_match_the_hand_computed_case(org, case):
    figures = continuity.organisation_continuity(org.pk, START, END)
    assert figures.periods == 3
    assert figures.without_change == 1
    assert figures.changes == 3
    assert figures.participant_years == pytest.approx((365 + 91 + 92) / 365.25)
    assert figures.changes_per_100_years == pytest.approx(100 * 3 / ((365 + 91 + 92) / 365.25))


def test_a_window_before_a_change_does_not_count_it(org, case):
    first_half = continuity.organisation_continuity(org.pk, START, datetime.date(2026, 6, 30))
    assert first_half.periods == 2  # A and B
    assert first_half.without_change == 2
    assert first_half.changes == 0


def test_periods_count_for_the_last_counselor_in_the_window(org, case, counselor, colleague):
    by_counselor = continuity.continuity_by_counselor(org.pk, START, END)
    assert by_counselor[colleague.pk].periods == 1  # A ends the year with the colleague
    assert by_counselor[counselor.pk].periods == 2  # B, and C after its second change


def test_the_median_months_with_the_same_counselor(org, case):
    # Assignments in force in 2026 and their lengths to 31 Dec at the latest:
    # A1 181 d, A2 183.5 d, B1 ~91 d (ended when B ended... open assignments end with the period)
    months = continuity.median_months_with_same_counselor(org.pk, START, END)
    assert months is not None and 0 < months < 12


def _months(*lengths: datetime.timedelta) -> float:
    return round(
        sum(lengths, datetime.timedelta()).total_seconds() / len(lengths) / 86400 / 30.44, 1
    )


def test_the_median_months_per_counselor_and_team_are_the_middle_assignments(
    org, counselor, other_team_counselor, leader, team_a, team_b
):
    """Six participants start with the counselor (team A) on 1 Jan and are handed to a
    counselor in team B on 1 Feb, 1 Mar, 1 May, 1 Jul, 1 Aug and 1 Sep: the counselor's six
    assignments are about 1, 2, 4, 6, 7 and 8 months long (median: the mean of the middle two),
    team B's six run from the handover to the end of the window (4 to 11 months). Six, as a
    median of fewer than five people's time is not shown (test_a_median_of_a_few_is_hidden).
    """
    handovers = [datetime.date(2026, month, 1) for month in (2, 3, 5, 7, 8, 9)]
    for index, day in enumerate(handovers):
        p = make_participant(
            org, counselor, family_name=f"M{index}", start_date=datetime.date(2026, 1, 1)
        )
        services.counselor_assign(
            participant=p,
            counselor=other_team_counselor,
            by=leader,
            reason="counselor_left",
            started_at=at(day),
        )
    tz = timezone.get_current_timezone()
    started = datetime.datetime.combine(datetime.date(2026, 1, 1), datetime.time(8), tzinfo=tz)
    window_end = datetime.datetime.combine(END, datetime.time.max, tzinfo=tz)
    first = [at(day) - started for day in handovers]
    second = sorted(window_end - at(day) for day in handovers)
    expected_counselor = _months(first[2], first[3])
    expected_b = _months(second[2], second[3])
    assert 4.5 < expected_counselor < 5.5 and 6.5 < expected_b < 7.5

    by_counselor = continuity.median_months_by(org.pk, START, END, group="counselor")
    assert by_counselor == {counselor.pk: expected_counselor, other_team_counselor.pk: expected_b}
    by_team = continuity.median_months_by(org.pk, START, END, group="team")
    assert by_team == {
        team_a.pk: expected_counselor,
        team_b.pk: expected_b,
    }
    # The organisation's median over all twelve: the mean of the 6th and 7th shortest.
    everything = sorted(first + second)
    assert continuity.median_months_with_same_counselor(org.pk, START, END) == _months(
        everything[5], everything[6]
    )
    # A window that ends before 1 July: team B has three assignments, too few for a median;
    # the counselor still six (the open ones end with the window).
    june = continuity.median_months_by(org.pk, START, datetime.date(2026, 6, 30))
    june_end = datetime.datetime.combine(datetime.date(2026, 6, 30), datetime.time.max, tzinfo=tz)
    assert june[counselor.pk] == _months(first[2], june_end - started)
    assert other_team_counselor.pk not in june


def test_the_dashboard_and_the_api_show_the_median_per_team_and_counselor(
    org, counselor, other_team_counselor, leader
):
    for index in range(5):  # five: a median of fewer is hidden
        p = make_participant(
            org, counselor, family_name=f"P{index}", start_date=datetime.date(2026, 1, 1)
        )
        services.counselor_assign(
            participant=p,
            counselor=other_team_counselor,
            by=leader,
            reason="counselor_left",
            started_at=at(datetime.date(2026, 4, 1)),
        )
    page = client_for(leader).get(reverse("followup:dashboard")).content.decode()
    assert page.count("<td>3.0</td>") + page.count("<td>3,0</td>") >= 2  # counselor and team A
    report = (
        client_for(leader)
        .get("/api/v1/follow-up/continuity", {"start": "2026-01-01", "end": "2026-12-31"})
        .json()
    )
    medians = {
        row["counselor"]: row["median_months_with_same_counselor"] for row in report["counselors"]
    }
    assert medians[counselor.full_name] == 3.0
    assert {row["team"]: row["median_months_with_same_counselor"] for row in report["teams"]}[
        "Team A"
    ] == 3.0


def test_the_cost_of_a_change_follows_the_research():
    assert continuity.relative_chance_after(0) == 100
    assert continuity.relative_chance_after(1) == 78
    assert continuity.relative_chance_after(2) == 61


def test_the_belief_distribution_is_counted_per_team_from_the_latest_checkin(
    org, counselor, team_a
):
    for index in range(5):  # five: fewer would be hidden (test_small_cells)
        p = make_participant(
            org, counselor, family_name=f"B{index}", start_date=datetime.date(2026, 1, 5)
        )
        checkin_record(participant=p, by=counselor, belief=5, asked_on=datetime.date(2026, 2, 1))
        checkin_record(participant=p, by=counselor, belief=3, asked_on=datetime.date(2026, 5, 1))
    rows = dashboard.belief_by_team(org.pk)
    assert [(r.team, r.counts, r.total) for r in rows] == [("Team A", {3: 5}, 5)]


def test_the_quarters_end_with_the_current_one():
    windows = dashboard.quarters_back(datetime.date(2026, 11, 23))
    assert [(w.start, w.end) for w in windows] == [
        (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)),
        (datetime.date(2026, 4, 1), datetime.date(2026, 6, 30)),
        (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)),
        (datetime.date(2026, 10, 1), datetime.date(2026, 11, 23)),
    ]


def test_the_dashboard_runs_a_fixed_number_of_queries(org, counselor, leader, case):
    client = client_for(leader)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("followup:dashboard")).status_code == 200
        return len(context)

    few = count_queries()
    for index in range(20):
        make_participant(org, counselor, family_name=f"X{index}")
    assert count_queries() == few
    assert few <= 30


def test_only_leaders_see_the_dashboard(counselor, admin, outsider, leader):
    assert client_for(counselor).get(reverse("followup:dashboard")).status_code == 403
    assert client_for(admin).get(reverse("followup:dashboard")).status_code == 403
    assert client_for(outsider).get(reverse("followup:dashboard")).status_code == 403
    assert client_for(None).get(reverse("followup:dashboard")).status_code == 302
    assert CounselorAssignment.objects.count() == 0


def test_the_dashboard_shows_a_team_with_no_check_ins_and_teams_apart_from_counselors(
    org, counselor, team_a, team_b, leader
):
    for index in range(5):
        p = make_participant(
            org, counselor, family_name=f"B{index}", start_date=datetime.date(2026, 1, 5)
        )
        checkin_record(participant=p, by=counselor, belief=4, asked_on=datetime.date(2026, 2, 1))

    rows = dashboard.belief_by_team(org.pk)
    page = client_for(leader).get(reverse("followup:dashboard")).content.decode()

    assert [(r.team, r.total) for r in rows] == [("Team A", 5), ("Team B", 0)]
    belief = page.split('id="h-belief"')[1]
    assert "Team B" in belief and "Ingen vurderinger ennå." in belief
    teams = page.split('id="h-teams"')[1].split("</table>")[0]
    counselors = page.split('id="h-counselors"')[1].split("</table>")[0]
    assert "Team A" in teams and counselor.full_name not in teams
    assert counselor.full_name in counselors
    assert "(100\u00a0%)" in belief  # the one way this page writes a share
