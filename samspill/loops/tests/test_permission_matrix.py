"""Who may open each jobbLOOP page and API route: role x URL x expected status (STYLE.md 6).

Staff who follow participants (the loop's driver, a counselor, a leader) use the pages; a write
naming a participant is a 404 for one who may not open the participant (the driver here);
administrators and portal users (a mentor, a participant in the loop with their own login) get
a 403; staff of another organisation a 404 for any loop or gathering; anonymous visitors go to
the log-in page (401 from the API). The iCal address needs no login: its token is the key.
"""

from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, reverse

from samspill.accounts.models import User
from samspill.core.testing import PASSWORD
from samspill.loops import api as loops_api
from samspill.loops import services
from samspill.loops import urls as loops_urls

ROLES = [
    "driver",
    "counselor",
    "leader",
    "admin",
    "mentor",
    "participant_user",
    "outsider",
    "anonymous",
]
STAFF = {"driver", "counselor", "leader"}


@pytest.fixture
def world(loop, kick_off, coordinator, counselor, leader, admin, mentor, outsider, young):
    young[0].portal_user = User.objects.create_user(
        email="kari.login@example.org", password=PASSWORD, full_name="Kari"
    )
    young[0].save(update_fields=["portal_user"])
    feed = services.calendar_feed_create(organisation=loop.organisation, by=coordinator, loop=loop)
    invitation = kick_off.invitations.first()
    return {
        "loop": loop,
        "gathering": kick_off,
        "invitation": invitation,
        "feed": feed,
        "candidate": young[0],
        "employer": loop.employers.first().employer,
        "users": {
            "driver": coordinator,
            "counselor": counselor,
            "leader": leader,
            "admin": admin,
            "mentor": mentor,
            "participant_user": young[0].portal_user,
            "outsider": outsider,
            "anonymous": None,
        },
    }


def page(role: str, *, own_org_only: bool = True) -> int:
    """A staff page of one loop or gathering (or, with own_org_only=False, a list)."""
    if role == "anonymous":
        return 302
    if role in STAFF:
        return 200
    if role == "outsider":
        return 404 if own_org_only else 200
    return 403


def write(ok: int) -> Any:
    """A write of one loop or gathering, sent with an empty form: `ok` for staff."""

    def expected(role: str) -> int:
        status = page(role)
        return ok if status == 200 else status

    return expected


def calendar_page(role: str) -> int:
    return {"anonymous": 302, "admin": 403}.get(role, 200)


def calendar_make(role: str) -> int:
    return {"admin": 403}.get(role, 302)


def revoke(role: str) -> int:
    # The feed is the driver's loop feed: the owner and staff of the organisation may revoke.
    if role == "anonymous":
        return 302
    return 302 if role in STAFF else 404


def api(role: str, *, own_org_only: bool = True) -> int:
    if role == "anonymous":
        return 401
    status = page(role, own_org_only=own_org_only)
    return status


def api_on_candidate(role: str) -> int:
    """A write naming a candidate: the driver follows none of them, so the candidate is not
    found for them (the participant door), as for another organisation."""
    return 404 if role == "driver" else api(role)


# (name, method, url kwargs from the world, expected(role))
CASES: list[tuple[str, str, Any, Any]] = [
    ("loops:list", "get", lambda w: {}, lambda r: page(r, own_org_only=False)),
    ("loops:create", "get", lambda w: {}, lambda r: page(r, own_org_only=False)),
    ("loops:driver", "get", lambda w: {}, lambda r: page(r, own_org_only=False)),
    ("loops:detail", "get", lambda w: {"pk": w["loop"].pk}, page),
    ("loops:fill", "post", lambda w: {"pk": w["loop"].pk}, write(400)),
    ("loops:leave", "post", lambda w: {"pk": w["loop"].pk}, write(400)),
    ("loops:replace", "post", lambda w: {"pk": w["loop"].pk}, write(400)),
    ("loops:mentor", "post", lambda w: {"pk": w["loop"].pk}, write(400)),
    ("loops:wheel", "get", lambda w: {"pk": w["loop"].pk}, page),
    ("loops:gathering_create", "get", lambda w: {}, lambda r: page(r, own_org_only=False)),
    ("loops:gathering", "get", lambda w: {"pk": w["gathering"].pk}, page),
    ("loops:invite", "post", lambda w: {"pk": w["gathering"].pk}, write(400)),
    ("loops:propose", "post", lambda w: {"pk": w["gathering"].pk}, write(400)),
    (
        "loops:attendance",
        "post",
        lambda w: {"pk": w["gathering"].pk, "invitation_pk": w["invitation"].pk},
        write(302),
    ),
    ("loops:marks", "post", lambda w: {"pk": w["gathering"].pk}, write(302)),
    ("loops:formation", "post", lambda w: {"pk": w["gathering"].pk}, write(400)),
    ("loops:formation_swap", "post", lambda w: {"pk": w["gathering"].pk}, write(400)),
    ("loops:formation_accept", "post", lambda w: {"pk": w["gathering"].pk}, write(400)),
    ("loops:calendar", "get", lambda w: {}, calendar_page),
    ("loops:calendar", "post", lambda w: {}, calendar_make),
    ("loops:calendar_revoke", "post", lambda w: {"pk": w["feed"].pk}, revoke),
    ("loops:ical", "get", lambda w: {"token": w["feed"].token}, lambda r: 200),
]

API_CASES: list[tuple[str, str, Any, Any]] = [
    ("", "get", lambda w: "/api/v1/loops", lambda r: api(r, own_org_only=False)),
    ("/{loop_id}", "get", lambda w: f"/api/v1/loops/{w['loop'].pk}", api),
    ("/{loop_id}/schedule", "get", lambda w: f"/api/v1/loops/{w['loop'].pk}/schedule", api),
    (
        "/gatherings",
        "get",
        lambda w: "/api/v1/loops/gatherings",
        lambda r: api(r, own_org_only=False),
    ),
    (
        "/gatherings/{gathering_id}",
        "get",
        lambda w: f"/api/v1/loops/gatherings/{w['gathering'].pk}",
        api,
    ),
    (
        "/gatherings/{gathering_id}/marks",
        "get",
        lambda w: f"/api/v1/loops/gatherings/{w['gathering'].pk}/marks",
        api,
    ),
    (
        "/gatherings/{gathering_id}/marks",
        "put",
        lambda w: (
            f"/api/v1/loops/gatherings/{w['gathering'].pk}/marks",
            {
                "candidate_id": w["candidate"].pk,
                "employer_id": w["employer"].pk,
                "employer_mark": 1,
            },
        ),
        api_on_candidate,
    ),
    (
        "/gatherings/{gathering_id}/formation",
        "post",
        lambda w: (
            f"/api/v1/loops/gatherings/{w['gathering'].pk}/formation",
            {"loop_ids": [w["loop"].pk]},
        ),
        api,
    ),
]


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "method", "kwargs", "expected"), CASES, ids=lambda c: c if isinstance(c, str) else ""
)
def test_pages(world, role, name, method, kwargs, expected):
    client = client_for(world["users"][role])
    if name == "loops:ical":
        client = Client()  # a phone's calendar: no session
    response = getattr(client, method)(reverse(name, kwargs=kwargs(world)))
    assert response.status_code == expected(role), (role, name, method)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("route", "method", "url", "expected"), API_CASES, ids=lambda c: c if isinstance(c, str) else ""
)
def test_api(world, role, route, method, url, expected):
    client = client_for(world["users"][role])
    target = url(world)
    path, body = target if isinstance(target, tuple) else (target, {})
    response = getattr(client, method)(path, body, content_type="application/json")
    assert response.status_code == expected(role), (role, route, method, response.content[:200])


def test_every_url_has_a_case():
    names = {f"loops:{p.name}" for p in loops_urls.urlpatterns if isinstance(p, URLPattern)}
    assert names == {name for name, *_ in CASES}
    routes = {
        (path, method.lower())
        for path, operations in loops_api.router.path_operations.items()
        for operation in operations.operations
        for method in operation.methods
    }
    assert routes == {(route, method) for route, method, *_ in API_CASES}


def test_a_revoked_feed_is_a_404_for_everyone(world):
    services.calendar_feed_revoke(feed=world["feed"], by=world["users"]["driver"])
    assert Client().get(reverse("loops:ical", args=[world["feed"].token])).status_code == 404


def test_an_outsiders_loop_is_invisible_in_the_list(world, outsider):
    assert "Loop Vest" not in client_for(outsider).get(reverse("loops:list")).content.decode()
