"""The coordination API (/api/v1/coordination/): series, meetings, actions, events, and the
same door as the pages."""

import datetime

import pytest
from django.utils import timezone

from samspill.core.testing import client_for
from samspill.employers import services
from samspill.outbox.models import Message

BASE = "/api/v1/coordination"
TODAY = timezone.localdate()
MONDAY = TODAY - datetime.timedelta(days=TODAY.weekday() + 7)


def _json(client, method, url, data=None):
    return getattr(client, method)(url, data or {}, content_type="application/json")


@pytest.fixture
def api_series(coordinator, counselor):
    client = client_for(coordinator)
    response = _json(
        client,
        "post",
        f"{BASE}/series",
        {
            "title": "Koordinatormøte",
            "weekday": 0,
            "interval_weeks": 2,
            "starts_on": MONDAY.isoformat(),
            "start_time": "09:00",
            "member_ids": [coordinator.pk, counselor.pk],
        },
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_the_meeting_journey_over_the_api(api_series, coordinator, counselor, employer):
    client = client_for(coordinator)
    assert api_series["interval_weeks"] == 2
    response = _json(
        client,
        "post",
        f"{BASE}/series/{api_series['id']}/meetings",
        {"held_on": MONDAY.isoformat()},
    )
    assert response.status_code == 201, response.content
    meeting = response.json()
    response = _json(
        client,
        "put",
        f"{BASE}/meetings/{meeting['id']}",
        {
            "revision": meeting["revision"],
            "minutes": "Referat",
            "attendance": {str(coordinator.pk): "present", str(counselor.pk): "absent"},
        },
    )
    assert response.status_code == 200, response.content
    assert response.json()["attendance"] == {
        str(coordinator.pk): "present",
        str(counselor.pk): "absent",
    }
    stale = _json(
        client,
        "put",
        f"{BASE}/meetings/{meeting['id']}",
        {"revision": meeting["revision"], "minutes": "Gammelt"},
    )
    assert stale.status_code == 409
    response = _json(
        client,
        "post",
        f"{BASE}/meetings/{meeting['id']}/actions",
        {"what": "Ring", "responsible_id": counselor.pk, "employer_id": employer.pk},
    )
    assert response.status_code == 201, response.content
    action = response.json()
    mine = client_for(counselor).get(f"{BASE}/actions/mine").json()
    assert [a["id"] for a in mine] == [action["id"]]
    response = _json(
        client_for(counselor),
        "post",
        f"{BASE}/actions/{action['id']}/done",
        {"revision": action["revision"], "done": True},
    )
    assert response.status_code == 200
    assert response.json()["done"] is True
    assert client_for(counselor).get(f"{BASE}/actions/mine").json() == []


def test_the_event_journey_over_the_api(coordinator, employer, employer_contact):
    client = client_for(coordinator)
    response = _json(
        client,
        "post",
        f"{BASE}/events",
        {"title": "Frokost", "held_on": (TODAY - datetime.timedelta(days=3)).isoformat()},
    )
    assert response.status_code == 201, response.content
    event = response.json()
    response = _json(
        client, "post", f"{BASE}/events/{event['id']}/invitations", {"employer_ids": [employer.pk]}
    )
    assert response.status_code == 201, response.content
    assert Message.objects.filter(to=[employer_contact.email]).exists()
    (invitation,) = response.json()["invitations"]
    assert invitation["stage_at_event"] == "prospect"
    services.employer_set_stage(employer=employer, by=coordinator, stage="first_meeting")
    response = _json(
        client,
        "put",
        f"{BASE}/events/{event['id']}/invitations/{invitation['id']}",
        {"revision": invitation["revision"], "response": "yes", "attended": True},
    )
    assert response.status_code == 200, response.content
    detail = response.json()
    assert (detail["came"], detail["moved_forward"]) == (1, 1)
    assert detail["invitations"][0]["stage_now"] == "first_meeting"


def test_the_api_door(api_series, admin, outsider, mentor):
    assert client_for(admin).get(f"{BASE}/series").status_code == 403
    assert client_for(mentor).get(f"{BASE}/events").status_code == 403
    assert client_for(outsider).get(f"{BASE}/series/{api_series['id']}").status_code == 404
    assert client_for(outsider).get(f"{BASE}/series").json()["count"] == 0


def test_the_openapi_document_lists_the_routes(coordinator):
    paths = client_for(coordinator).get("/api/v1/openapi.json").json()["paths"]
    assert f"{BASE}/series" in paths
    assert f"{BASE}/events/{{event_id}}/invitations/{{invitation_id}}" in paths


def test_a_time_with_a_time_zone_is_a_422_and_plans_nothing(coordinator, counselor):
    from samspill.employers.models_coordination import EmployerEvent, MeetingSeries

    client = client_for(coordinator)
    event = {"title": "Frokost", "held_on": TODAY.isoformat(), "start_time": "08:00:00+01:00"}
    assert _json(client, "post", f"{BASE}/events", event).status_code == 422
    series = {
        "title": "Koordinatormøte",
        "weekday": 0,
        "starts_on": MONDAY.isoformat(),
        "start_time": "09:00Z",
        "member_ids": [coordinator.pk, counselor.pk],
    }
    assert _json(client, "post", f"{BASE}/series", series).status_code == 422
    assert not EmployerEvent.objects.exists() and not MeetingSeries.objects.exists()
