"""The referral permission matrix (pretix style): role x URL x expected status, for every page
in referrals/urls.py and every route of the referrals API.

The referral belongs to the counselor who takes it. A referral outside a user's scope is a 404,
never a 403; a role with no access to referrals at all (an administrator) gets a 403 on the
list pages. A refused write changes nothing; an allowed one changes something (so the refusals
are refusals of a request that would otherwise have worked).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, reverse

from samspill.accounts.models import User
from samspill.audit.models import AuditEvent
from samspill.core.testing import client_for
from samspill.participants.models import Participant
from samspill.referrals import urls as referral_urls
from samspill.referrals.api import router
from samspill.referrals.models import Referral

ROLES = [
    "anonymous",
    "counselor",  # takes the referral
    "colleague",  # another counselor in the same organisation
    "leader",
    "coordinator",
    "admin",  # organisation administrator: no access to referrals
    "outsider",  # counselor in another organisation
]


@dataclass
class World:
    referral: Referral
    users: dict[str, User | None]


@pytest.fixture
def world(counselor, colleague, leader, coordinator, admin, outsider, referral) -> World:
    return World(
        referral=referral,
        users={
            "anonymous": None,
            "counselor": counselor,
            "colleague": colleague,
            "leader": leader,
            "coordinator": coordinator,
            "admin": admin,
            "outsider": outsider,
        },
    )


def statuses(**by_role: int) -> dict[str, int]:
    assert set(by_role) == set(ROLES), set(ROLES) ^ set(by_role)
    return by_role


def pk_of(world: World) -> dict[str, int]:
    return {"pk": world.referral.pk}


# Every URL in referrals/urls.py, with how to build it from the world.
URLS: dict[str, Callable[[World], str]] = {
    "list": lambda w: reverse("referrals:list"),
    "create": lambda w: reverse("referrals:create"),
    "statistics": lambda w: reverse("referrals:statistics"),
    "statistics_csv": lambda w: reverse("referrals:statistics_csv"),
    "detail": lambda w: reverse("referrals:detail", kwargs=pk_of(w)),
    "edit": lambda w: reverse("referrals:edit", kwargs=pk_of(w)),
    "outcome": lambda w: reverse("referrals:outcome", kwargs=pk_of(w)),
    "make_participant": lambda w: reverse("referrals:make_participant", kwargs=pk_of(w)),
    "clarification": lambda w: reverse("referrals:clarification", kwargs=pk_of(w)),
}

# Who may read the referral.
RECORD = statuses(
    anonymous=302,
    counselor=200,
    colleague=404,
    leader=200,
    coordinator=200,
    admin=404,
    outsider=404,
)
# The list pages: everyone with a role that uses referrals, in their own organisation.
LIST = statuses(
    anonymous=302,
    counselor=200,
    colleague=200,
    leader=200,
    coordinator=200,
    admin=403,
    outsider=200,
)
# Counts only, for leaders and coordinators.
STATISTICS = statuses(
    anonymous=302,
    counselor=403,
    colleague=403,
    leader=200,
    coordinator=200,
    admin=403,
    outsider=403,
)
WRONG_METHOD = {**dict.fromkeys(ROLES, 405), "anonymous": 302}

GET_MATRIX: dict[str, dict[str, int]] = {
    "list": LIST,
    "create": LIST,
    "statistics": STATISTICS,
    "statistics_csv": STATISTICS,
    "detail": RECORD,
    "edit": RECORD,
    "outcome": WRONG_METHOD,
    "make_participant": WRONG_METHOD,
    "clarification": RECORD,
}

WRITE = statuses(
    anonymous=302,
    counselor=302,
    colleague=404,
    leader=302,
    coordinator=302,
    admin=404,
    outsider=404,
)
POST_MATRIX: dict[str, dict[str, int]] = {
    "list": WRONG_METHOD,
    # Anyone with access records referrals in their own organisation.
    "create": {
        **LIST,
        "counselor": 302,
        "colleague": 302,
        "leader": 302,
        "coordinator": 302,
        "outsider": 302,
    },
    "statistics": WRONG_METHOD,
    "statistics_csv": WRONG_METHOD,
    "detail": WRONG_METHOD,
    "edit": WRITE,
    "outcome": WRITE,
    "make_participant": WRITE,
    # An empty form is shown again with its errors to those who may record; nothing is saved.
    "clarification": statuses(
        anonymous=302,
        counselor=400,
        colleague=404,
        leader=400,
        coordinator=400,
        admin=404,
        outsider=404,
    ),
}
MAY_WRITE: dict[str, set[str]] = {
    "create": {"counselor", "colleague", "leader", "coordinator", "outsider"},
    "edit": {"counselor", "leader", "coordinator"},
    "outcome": {"counselor", "leader", "coordinator"},
    "make_participant": {"counselor", "leader", "coordinator"},
}


def post_data(name: str, world: World) -> dict[str, Any]:
    """A POST that succeeds for someone allowed to make it."""
    referral = world.referral
    if name in ("create", "edit"):
        return {
            "received_on": "2026-02-02",
            "source": "reception",
            "given_name": "Nina",
            "family_name": "Ny",
            "asked_for": "A job",
            "taken_by": referral.taken_by_id if name == "edit" else "",
            "revision": referral.revision,
        }
    if name == "outcome":
        return {"outcome": "education", "outcome_on": "2026-03-01", "revision": referral.revision}
    return {}


def snapshot() -> dict[str, Any]:
    """Everything a POST to these URLs or routes could change."""
    return {
        "referrals": list(
            Referral.objects.order_by("pk").values_list(
                "pk", "given_name", "source", "taken_by", "outcome", "outcome_on", "participant"
            )
        ),
        "participants": Participant.objects.count(),
        "events": AuditEvent.objects.count(),
    }


def cases(matrix: dict[str, dict[str, int]]) -> list[Any]:
    return [
        pytest.param(role, name, expected, id=f"{name}-{role}-{expected}")
        for name, by_role in matrix.items()
        for role, expected in by_role.items()
    ]


def test_every_referral_url_has_rows_for_every_role():
    names = {p.name for p in referral_urls.urlpatterns if isinstance(p, URLPattern)}

    assert names == set(URLS) == set(GET_MATRIX) == set(POST_MATRIX)
    for matrix in (GET_MATRIX, POST_MATRIX):
        for by_role in matrix.values():
            assert set(by_role) == set(ROLES)


@pytest.mark.parametrize(("role", "name", "expected"), cases(GET_MATRIX))
def test_get(world, role, name, expected):
    before = snapshot()

    response = client_for(world.users[role]).get(URLS[name](world))

    assert response.status_code == expected
    if role == "anonymous":
        assert response["Location"].startswith("/login/?next=")
    assert snapshot() == before, "a GET changed something"


@pytest.mark.parametrize(("role", "name", "expected"), cases(POST_MATRIX))
def test_post(world, role, name, expected):
    before = snapshot()

    response = client_for(world.users[role]).post(URLS[name](world), post_data(name, world))

    assert response.status_code == expected
    if role == "anonymous":
        assert response["Location"].startswith("/login/?next=")
    if role in MAY_WRITE.get(name, set()):
        assert snapshot() != before, "an allowed POST changed nothing"
    else:
        assert snapshot() == before, "a refused POST changed something"


def test_a_colleague_may_open_an_unassigned_referral(colleague, unassigned_referral):
    url = reverse("referrals:detail", kwargs={"pk": unassigned_referral.pk})

    assert client_for(colleague).get(url).status_code == 200


# The API: (method, path) -> how to call it; the same roles, by session.
API: dict[tuple[str, str], Callable[[Client, World], int]] = {
    ("GET", ""): lambda c, w: c.get("/api/v1/referrals").status_code,
    ("POST", ""): lambda c, w: (
        c.post(
            "/api/v1/referrals",
            {
                "source": "self",
                "received_on": "2026-02-02",
                "given_name": "Nina",
                "family_name": "Ny",
                "asked_for": "A job",
            },
            content_type="application/json",
        ).status_code
    ),
    ("GET", "/statistics"): lambda c, w: c.get("/api/v1/referrals/statistics").status_code,
    ("GET", "/{referral_id}"): lambda c, w: c.get(f"/api/v1/referrals/{w.referral.pk}").status_code,
    ("POST", "/{referral_id}/outcome"): lambda c, w: (
        c.post(
            f"/api/v1/referrals/{w.referral.pk}/outcome",
            {"outcome": "education", "outcome_on": "2026-03-01", "revision": w.referral.revision},
            content_type="application/json",
        ).status_code
    ),
}
# The participants API's convention: a role with no access at all is a 403 on every route
# (it learns nothing about ids); a referral outside the door is a 404.
API_RECORD = statuses(
    anonymous=401,
    counselor=200,
    colleague=404,
    leader=200,
    coordinator=200,
    admin=403,
    outsider=404,
)
API_MATRIX: dict[tuple[str, str], dict[str, int]] = {
    ("GET", ""): {**LIST, "anonymous": 401},
    ("POST", ""): {
        **LIST,
        "anonymous": 401,
        "counselor": 201,
        "colleague": 201,
        "leader": 201,
        "coordinator": 201,
        "outsider": 201,
    },
    ("GET", "/statistics"): {**STATISTICS, "anonymous": 401},
    ("GET", "/{referral_id}"): API_RECORD,
    ("POST", "/{referral_id}/outcome"): API_RECORD,
}
API_MAY_WRITE: dict[tuple[str, str], set[str]] = {
    ("POST", ""): {"counselor", "colleague", "leader", "coordinator", "outsider"},
    ("POST", "/{referral_id}/outcome"): {"counselor", "leader", "coordinator"},
}


def test_every_api_route_has_rows_for_every_role():
    routes = {
        (method, path)
        for path, view in router.path_operations.items()
        for operation in view.operations
        for method in operation.methods
    }

    assert routes == set(API) == set(API_MATRIX)
    for by_role in API_MATRIX.values():
        assert set(by_role) == set(ROLES)


@pytest.mark.parametrize(
    ("role", "route", "expected"),
    [
        pytest.param(role, route, expected, id=f"{route[0]} {route[1] or '/'}-{role}-{expected}")
        for route, by_role in API_MATRIX.items()
        for role, expected in by_role.items()
    ],
)
def test_api(world, role, route, expected):
    before = snapshot()

    status = API[route](client_for(world.users[role]), world)

    assert status == expected
    if role in API_MAY_WRITE.get(route, set()):
        assert snapshot() != before, "an allowed call changed nothing"
    else:
        assert snapshot() == before, "a refused call changed something"
