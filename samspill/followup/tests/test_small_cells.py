"""The leaders' dashboard and the metrics API hide counts of 1-4 participants or periods, with a
second count wherever a team's or the organisation's total would give one away
(core/smallcells.py)."""

import datetime

import pytest
from django.urls import reverse

from samspill.core.testing import client_for, make_participant
from samspill.followup.services import checkin_record

START = datetime.date(2026, 1, 5)
WINDOW = {"start": "2026-01-01", "end": "2026-12-31"}


def follow(org, counselor, count: int, belief: int | None = None, name: str = "") -> None:
    for index in range(count):
        p = make_participant(org, counselor, family_name=f"{name}{index}", start_date=START)
        if belief is not None:
            checkin_record(participant=p, by=counselor, belief=belief, asked_on=START)


@pytest.fixture
def followed(org, counselor, colleague, other_team_counselor) -> None:
    """Team A: the counselor follows 6, the colleague 2 (the small cell); team B: 5."""
    follow(org, counselor, 6, belief=4, name="C")
    follow(org, colleague, 2, belief=2, name="K")
    follow(org, other_team_counselor, 5, belief=3, name="O")


def test_the_continuity_api_hides_a_small_caseload_and_its_complement(
    followed, leader, counselor, colleague, other_team_counselor
):
    body = client_for(leader).get("/api/v1/follow-up/continuity", WINDOW).json()

    periods = {row["counselor"]: row["figures"]["periods"] for row in body["counselors"]}
    assert periods[colleague.full_name] is None  # 2
    assert periods[counselor.full_name] is None  # else team A's 8 less 6 gives the 2
    assert periods[other_team_counselor.full_name] == 5
    teams = {row["team"]: row["figures"] for row in body["teams"]}
    assert (teams["Team A"]["periods"], teams["Team B"]["periods"]) == (8, 5)
    assert body["organisation"]["periods"] == 13
    colleague_row = next(r for r in body["counselors"] if r["counselor"] == colleague.full_name)
    assert colleague_row["figures"]["share_without_change"] is None
    assert colleague_row["figures"]["participant_years"] is None
    assert colleague_row["figures"]["suppressed"] is True
    assert colleague_row["median_months_with_same_counselor"] is None
    assert teams["Team B"]["suppressed"] is False


def test_the_belief_api_hides_a_small_step_and_its_complement(followed, leader):
    body = client_for(leader).get("/api/v1/follow-up/belief-by-team").json()

    team_a, team_b = body
    # 6 at belief 4 and 2 at belief 2, 8 in all: the 2 is hidden, so the 6 is too
    assert team_a == {
        "team": "Team A",
        "participants": 8,
        "counts": {"2": None, "4": None},
        "suppressed": True,
    }
    assert team_b["counts"] == {"3": 5}


def test_the_dashboard_says_hidden_and_draws_no_bar_for_it(followed, leader):
    client = client_for(leader)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    response = client.get(reverse("followup:dashboard"))

    html = response.content.decode()
    belief = {row.team: row for row in response.context["belief"]}
    assert belief["Team A"].counts == {2: None, 4: None}
    assert ">hidden<" in html
    assert "Hidden: counts of 1 to 4 people are not shown" in html
    assert "None" not in html
    assert "(25%)" not in html and "(75%)" not in html  # 2 and 6 of 8


def test_the_openapi_document_says_what_null_means(client):
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]

    assert "fewer than 5" in schema["ContinuityOut"]["properties"]["suppressed"]["description"]
    assert "fewer than 5" in schema["BeliefTeam"]["properties"]["suppressed"]["description"]
