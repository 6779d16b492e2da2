"""The jobbLOOP API: loops with the grid, gatherings, marks, the formation and the schedule."""

import pytest
from django.test import Client

from samspill.core.testing import client_for
from samspill.loops.models import LoopPlacement


def test_it_lists_loops_and_gives_the_grid(loop, counselor, young):
    client = client_for(counselor)
    listed = client.get("/api/v1/loops").json()
    assert [item["name"] for item in listed] == ["Loop Vest"]
    detail = client.get(f"/api/v1/loops/{loop.pk}").json()
    assert [p["number"] for p in detail["periods"]] == [1, 2, 3]
    assert {r["participant_id"] for r in detail["rows"]} == {p.pk for p in young}
    cell = detail["rows"][0]["cells"][0]
    placement = LoopPlacement.objects.get(seat__loop=loop, seat__row=0, period=0).placement
    assert cell["placement_id"] == placement.pk


def test_a_colleague_sees_names_but_no_placement_ids(loop, other_team_counselor):
    detail = client_for(other_team_counselor).get(f"/api/v1/loops/{loop.pk}").json()
    assert all(c["placement_id"] is None for r in detail["rows"] for c in r["cells"])


def test_the_schedule_has_the_wheel_events(loop, coordinator):
    events = client_for(coordinator).get(f"/api/v1/loops/{loop.pk}/schedule").json()
    assert events[-1]["uid"] == f"loop-{loop.pk}-closing@samspill"


def test_marks_are_read_and_written(kick_off, counselor, young, employers):
    client = client_for(counselor)
    marks = client.get(f"/api/v1/loops/gatherings/{kick_off.pk}/marks").json()
    assert len(marks) == 9
    response = client.put(
        f"/api/v1/loops/gatherings/{kick_off.pk}/marks",
        {
            "candidate_id": young[0].pk,
            "employer_id": employers[0].pk,
            "is_forbidden": True,
            "forbidden_reason": "Travel",
        },
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["is_forbidden"] and body["forbidden_reason"] == "Travel"
    assert body["employer_mark"] == 0  # unchanged from the fixture: (0 + 0) % 3


def test_the_formation_returns_the_solvers_shape(kick_off, open_loop, coordinator):
    response = client_for(coordinator).post(
        f"/api/v1/loops/gatherings/{kick_off.pk}/formation",
        {"loop_ids": [open_loop.pk]},
        content_type="application/json",
    )
    body = response.json()
    assert response.status_code == 200
    assert set(body) == {"objective", "seated", "seats", "waiting", "status", "bound"}
    assert body["seated"] == 3 and body["status"] == "optimal"
    assert body["bound"] == body["objective"]
    assert all(s["loop"] == f"L{open_loop.pk}" for s in body["seats"])


@pytest.mark.parametrize("who", ["admin", "mentor"])
def test_admins_and_portal_users_get_a_403(loop, who, request):
    user = request.getfixturevalue(who)
    assert client_for(user).get(f"/api/v1/loops/{loop.pk}").status_code == 403


def test_another_organisation_gets_a_404_and_anonymous_a_401(loop, kick_off, outsider):
    assert client_for(outsider).get(f"/api/v1/loops/{loop.pk}").status_code == 404
    assert client_for(outsider).get(f"/api/v1/loops/gatherings/{kick_off.pk}").status_code == 404
    assert Client().get("/api/v1/loops").status_code == 401
