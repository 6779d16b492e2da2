"""The workshop pages' permission matrix: every URL, every role (issue 22, item 7).

Staff who follow participants open the organisation's workshops; whoever runs a workshop (the
facilitator, here the coordinator, or a leader) edits it, adds sessions and records attendance;
a counselor enrols their own participants and writes their profile. An administrator, a mentor
and an anonymous visitor are refused; a workshop of another organisation is not found. A
refused write changes nothing."""

from typing import Any

import pytest
from django.urls import URLPattern, reverse

from samspill.audit.models import AuditEvent
from samspill.core.testing import client_for
from samspill.workshops import urls as workshop_urls
from samspill.workshops.models import Workshop

ROLES = ["anonymous", "counselor", "coordinator", "leader", "admin", "outsider", "mentor"]


@pytest.fixture
def world(workshop, enrolled, session, counselor, coordinator, leader, admin, outsider, mentor):
    return {
        "workshop": workshop,
        "session": session,
        "enrolment": enrolled[0],
        "participant": enrolled[0].participant,
        "users": {
            "anonymous": None,
            "counselor": counselor,
            "coordinator": coordinator,
            "leader": leader,
            "admin": admin,
            "outsider": outsider,
            "mentor": mentor,
        },
    }


def by(expected: dict[str, int], refused_outside: int = 404) -> Any:
    """Anonymous to the log-in page; admin and mentor 403; the other organisation's staff 404
    (unless the page is not of one workshop); the rest as given."""
    table = {"anonymous": 302, "admin": 403, "mentor": 403, "outsider": refused_outside}
    return lambda role: {**table, **expected}.get(role, 403)


SEES = {"counselor": 200, "coordinator": 200, "leader": 200}
RUNS = {"counselor": 403, "coordinator": 200, "leader": 200}
WRITES = {"counselor": 302, "coordinator": 302, "leader": 302}
RUN_WRITES = {"counselor": 403, "coordinator": 302, "leader": 302}


def workshop(w: dict[str, Any]) -> dict[str, int]:
    return {"pk": w["workshop"].pk}


def edit_body(w: dict[str, Any]) -> dict[str, Any]:
    current = Workshop.objects.get(pk=w["workshop"].pk)
    return {
        "name": "Skjulte Talenter vår",
        "facilitator": current.facilitator_id,
        "starts_on": "2026-04-06",
        "description": "",
        "revision": current.revision,
    }


CASES: list[tuple[str, str, Any, Any, Any]] = [
    ("workshops:list", "get", lambda w: {}, None, by(SEES, 200)),
    ("workshops:create", "get", lambda w: {}, None, by(SEES, 200)),
    (
        "workshops:create",
        "post",
        lambda w: {},
        lambda w: {"name": "Ny runde", "facilitator": w["users"]["coordinator"].pk},
        # Without a start date the form is refused (400) before the service, for everyone
        # allowed; the matrix checks the doors.
        by({"counselor": 400, "coordinator": 400, "leader": 400}, 400),
    ),
    ("workshops:detail", "get", workshop, None, by(SEES)),
    ("workshops:edit", "get", workshop, None, by(RUNS)),
    ("workshops:edit", "post", workshop, edit_body, by(RUN_WRITES)),
    (
        "workshops:enrol",
        "post",
        workshop,
        lambda w: {"participant": w["participant"].pk},
        # Kari is on the roster already: the counselor may try (400), the others not at all.
        by({"counselor": 400, "coordinator": 400, "leader": 400}),
    ),
    (
        "workshops:session_add",
        "post",
        workshop,
        lambda w: {"date": "2026-03-09", "place": "KOM", "topic": "Hva jeg kan"},
        by(RUN_WRITES),
    ),
    ("workshops:session", "get", lambda w: {"pk": w["session"].pk}, None, by(RUNS)),
    (
        "workshops:session",
        "post",
        lambda w: {"pk": w["session"].pk},
        lambda w: {"present": [w["enrolment"].pk]},
        by(RUN_WRITES),
    ),
    (
        "workshops:profile",
        "get",
        lambda w: {"pk": w["enrolment"].pk},
        None,
        by({"counselor": 200, "coordinator": 200, "leader": 200}),
    ),
    (
        "workshops:cv_pdf",
        "get",
        lambda w: {"pk": w["enrolment"].pk},
        None,
        by({"counselor": 200, "coordinator": 200, "leader": 200}),
    ),
]


def test_every_url_has_a_case():
    names = {f"workshops:{p.name}" for p in workshop_urls.urlpatterns if isinstance(p, URLPattern)}
    assert names == {case[0] for case in CASES}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[1]}-{c[0]}")
def test_the_matrix(world, case, role):
    name, method, kwargs, data, expected = case
    client = client_for(world["users"][role])
    url = reverse(name, kwargs=kwargs(world))
    before = AuditEvent.objects.count()
    response = client.get(url) if method == "get" else client.post(url, data(world))
    assert response.status_code == expected(role)
    if method == "post":
        assert (AuditEvent.objects.count() > before) == (
            response.status_code == 302 and role != "anonymous"
        )
