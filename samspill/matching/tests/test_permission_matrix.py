"""The matching pages' permission matrix: every URL, every role.

Candidates and hit rates are for staff who follow participants; a person's suggestions and a
proposal are reached only through the participant door (404 outside it); presenting a candidate
to the employer is the coordinator's (or a leader's); administrators and the employer side get
403 (the employer side answers in the portal: portal/tests/test_permission_matrix.py)."""

from typing import Any

import pytest
from django.urls import URLPattern, reverse

from samspill.audit.models import AuditEvent
from samspill.core.testing import client_for, make_participant
from samspill.employers.services import need_add
from samspill.matching import services, urls
from samspill.matching.engine import candidates_for_need
from samspill.participants.services import consent_give

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "counselor",  # follows the person
    "other_team_counselor",
    "coordinator",  # follows nobody here
    "leader",
    "admin",
    "outsider",  # another organisation
    "employer_user",
    "mentor",
]
FOLLOWERS = {"counselor", "other_team_counselor", "coordinator", "leader"}
SEES_PERSON = {"counselor", "leader"}


@pytest.fixture
def world(request, org, counselor, employer, employer_contact) -> dict[str, Any]:
    need = need_add(employer=employer, by=counselor, role="Lager", tasks="truck")
    person = make_participant(org, counselor, given_name="Truls", what_i_can="truck")
    consent_give(participant=person, by=counselor, recipient="workplace", information="strengths")
    suggestion = next(
        s for s in candidates_for_need(counselor, need).suggestions if s.participant_id == person.pk
    )
    proposal = services.suggestion_propose(
        by=counselor, participant=person, need=need, suggestion=suggestion
    )
    return {
        "need": need,
        "person": person,
        "proposal": proposal,
        "contact": employer_contact,
        "users": {
            role: request.getfixturevalue(role) if role != "anonymous" else None for role in ROLES
        },
    }


def need_page(role: str) -> int:
    if role == "anonymous":
        return 302
    if role in FOLLOWERS:
        return 200
    return 404 if role == "outsider" else 403


def person_page(role: str) -> int:
    if role == "anonymous":
        return 302
    return 200 if role in SEES_PERSON else 404


def hit_rates(role: str) -> int:
    if role == "anonymous":
        return 302
    return 200 if role in FOLLOWERS | {"outsider"} else 403


def outcome(role: str) -> int:
    if role in SEES_PERSON | {"anonymous"}:
        return 302
    return 404 if role in FOLLOWERS | {"outsider"} else 403


def present(role: str) -> int:
    if role in {"leader", "anonymous"}:
        return 302
    return 404 if role == "coordinator" else 403


CASES: list[tuple[str, str, Any, Any, Any]] = [
    ("matching:need", "get", lambda w: {"pk": w["need"].pk}, None, need_page),
    ("matching:participant", "get", lambda w: {"pk": w["person"].pk}, None, person_page),
    ("matching:hit_rates", "get", lambda w: {}, None, hit_rates),
    (
        "matching:outcome",
        "post",
        lambda w: {"pk": w["proposal"].pk},
        lambda w: {"outcome": "meeting", "revision": w["proposal"].revision},
        outcome,
    ),
    (
        "matching:present",
        "post",
        lambda w: {"pk": w["proposal"].pk},
        lambda w: {"contact": w["contact"].pk, "revision": w["proposal"].revision},
        present,
    ),
]


def test_every_url_has_a_case():
    names = {f"matching:{p.name}" for p in urls.urlpatterns if isinstance(p, URLPattern)}
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
