"""Belief in the labour market (issue 22, item 13): an optional second question in the belief
check-in, shown beside the belief in the job seeker on the record and in the leader's views."""

import datetime

import pytest
from django.urls import reverse

from samspill.core.testing import client_for, make_participant
from samspill.followup.models import BeliefCheckIn
from samspill.followup.services import checkin_record

DAY = datetime.date(2026, 3, 2)


def test_it_records_the_belief_in_the_labour_market_beside_the_belief_in_the_person(
    participant, counselor
):
    result = checkin_record(
        participant=participant, by=counselor, belief=4, market_belief=2, asked_on=DAY
    )
    assert (result.checkin.belief, result.checkin.market_belief) == (4, 2)


def test_the_second_question_is_optional(participant, counselor):
    result = checkin_record(participant=participant, by=counselor, belief=4, asked_on=DAY)
    assert result.checkin.market_belief is None


def test_it_refuses_an_answer_outside_the_five_steps_and_saves_nothing(participant, counselor):
    with pytest.raises(Exception, match="market_belief|valid choice"):
        checkin_record(
            participant=participant, by=counselor, belief=4, market_belief=9, asked_on=DAY
        )
    assert not BeliefCheckIn.objects.exists()


def test_the_counselor_answers_it_on_the_belief_page_and_sees_it_in_the_trend(
    participant, counselor
):
    client = client_for(counselor)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    url = reverse("followup:belief", kwargs={"pk": participant.pk})

    response = client.post(
        url, {"belief": "4", "market_belief": "2", "self_belief": "", "asked_on": "2026-03-02"}
    )
    assert response.status_code == 302
    assert BeliefCheckIn.objects.get().market_belief == 2

    html = client.get(url).content.decode()
    assert "Belief in the labour market" in html
    assert "Probably not" in html  # the market answer, beside the counselor's "Probably"


def test_a_bad_answer_gets_a_message_and_records_nothing(participant, counselor):
    client = client_for(counselor)
    url = reverse("followup:belief", kwargs={"pk": participant.pk})
    response = client.post(url, {"belief": "4", "market_belief": "7", "asked_on": "2026-03-02"})
    assert response.status_code == 400
    assert response.context["form"].errors["market_belief"]
    assert not BeliefCheckIn.objects.exists()


def test_the_employer_contact_and_the_colleague_on_another_team_do_not_see_it(
    participant, counselor, other_team_counselor, employer_user, outsider
):
    checkin_record(participant=participant, by=counselor, belief=4, market_belief=2, asked_on=DAY)
    url = reverse("followup:belief", kwargs={"pk": participant.pk})
    assert client_for(other_team_counselor).get(url).status_code in (403, 404)
    assert client_for(employer_user).get(url).status_code in (403, 404)
    assert client_for(outsider).get(url).status_code == 404


def _follow(org, counselor, count: int, market: int | None, name: str) -> None:
    for index in range(count):
        p = make_participant(org, counselor, family_name=f"{name}{index}", start_date=DAY)
        checkin_record(participant=p, by=counselor, belief=4, market_belief=market, asked_on=DAY)


@pytest.fixture
def answered(org, counselor, other_team_counselor) -> None:
    _follow(org, counselor, 6, market=3, name="A")
    _follow(org, counselor, 2, market=None, name="N")  # did not answer the second question
    _follow(org, other_team_counselor, 5, market=2, name="B")


def test_the_leader_sees_the_market_belief_per_team_beside_the_belief(answered, leader):
    client = client_for(leader)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = client.get(reverse("followup:dashboard"))
    market = {row.team: row for row in response.context["market_belief"]}
    assert market["Team A"].counts == {3: 6}
    assert market["Team B"].counts == {2: 5}
    belief = {row.team: row for row in response.context["belief"]}
    assert belief["Team A"].total == 8
    assert "Belief in the labour market per team" in response.content.decode()


def test_the_metrics_api_counts_the_market_belief_for_leaders_only(answered, leader, counselor):
    body = client_for(leader).get("/api/v1/follow-up/market-belief-by-team").json()
    assert {row["team"]: row["counts"] for row in body} == {
        "Team A": {"3": 6},
        "Team B": {"2": 5},
    }
    assert client_for(counselor).get("/api/v1/follow-up/market-belief-by-team").status_code == 403


def test_the_checkin_api_takes_and_returns_the_market_belief(participant, counselor):
    client = client_for(counselor)
    response = client.post(
        f"/api/v1/participants/{participant.pk}/checkins",
        {"belief": 4, "market_belief": 3, "asked_on": "2026-03-02"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["checkin"]["market_belief"] == 3
    listed = client.get(f"/api/v1/participants/{participant.pk}/checkins").json()
    assert listed[0]["market_belief"] == 3
