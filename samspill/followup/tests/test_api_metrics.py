import datetime

import pytest

from samspill.core.testing import client_for, make_participant
from samspill.followup.services import checkin_record
from samspill.participants import services


@pytest.fixture
def data(org, counselor, colleague, leader):
    """Five participants, each handed to the colleague (fewer would be hidden)."""
    for index in range(5):
        p = make_participant(
            org, counselor, family_name=f"D{index}", start_date=datetime.date(2026, 1, 5)
        )
        services.counselor_assign(
            participant=p, counselor=colleague, by=leader, reason="long_leave"
        )
        checkin_record(participant=p, by=colleague, belief=4, asked_on=datetime.date(2026, 11, 1))


def test_a_leader_gets_the_continuity_report(data, leader):
    response = client_for(leader).get(
        "/api/v1/follow-up/continuity?start=2026-01-01&end=2026-12-31"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["organisation"]["periods"] == 5
    assert body["organisation"]["changes"] == 5
    assert body["organisation"]["without_change"] == 0
    assert body["organisation"]["suppressed"] is False
    assert [t["team"] for t in body["teams"]] == ["Team A"]


def test_a_leader_gets_belief_per_team(data, leader):
    response = client_for(leader).get("/api/v1/follow-up/belief-by-team")
    assert response.status_code == 200
    assert response.json() == [
        {"team": "Team A", "participants": 5, "counts": {"4": 5}, "suppressed": False}
    ]


@pytest.mark.parametrize(
    "url", ["/api/v1/follow-up/continuity", "/api/v1/follow-up/belief-by-team"]
)
def test_only_leaders_get_the_metrics(url, data, counselor, admin, outsider):
    assert client_for(None).get(url).status_code == 401
    assert client_for(counselor).get(url).status_code == 403
    assert client_for(admin).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 403


def test_a_window_that_ends_before_it_starts_is_refused_clearly(leader, data):
    response = client_for(leader).get(
        "/api/v1/follow-up/continuity?start=2026-12-01&end=2026-01-01"
    )
    assert response.status_code == 422
    assert "start" in response.json()["detail"].lower() or response.json()["errors"]


def test_the_metrics_routes_are_in_the_openapi_document(db):
    paths = client_for(None).get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/follow-up/continuity" in paths
    assert "/api/v1/follow-up/belief-by-team" in paths
