"""Who may open each page and API route of a loop's evaluation: role x URL x expected status.

The driver's side (the organisation's staff who follow participants, the loop's external
driver) opens the evaluation, its close and outcome forms and the comparison; a young person's
answers are recorded only by staff who may open them (the counselor here; the driver and the
leader of another team a 404). The questionnaire and "my evaluations" are the portal's: an
employer contact, a mentor, a young person of the loop with their own login; the staff and
partners get a 403. Administrators and portal users get a 403 on the driver's side, another
organisation's staff a 404 for the loop (their own comparison is empty), anonymous visitors
the log-in page (401 from the API).
"""

from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, reverse

from samspill.accounts.models import User
from samspill.loops import api_evaluation
from samspill.loops import urls_evaluation as evaluation_urls
from samspill.participants.models import Participant

ROLES = [
    "coordinator",
    "counselor",
    "leader",
    "admin",
    "ext_driver",
    "mentor",
    "employer_user",
    "youth",
    "outsider",
    "anonymous",
]
DRIVERS = {"coordinator", "counselor", "leader", "ext_driver"}
PORTAL = {"mentor", "employer_user", "youth"}


@pytest.fixture
def world(
    opened,
    year_loop,
    young,
    coordinator,
    counselor,
    leader,
    admin,
    ext_driver,
    mentor,
    employer_user,
    youth_user,
    outsider,
):
    users: dict[str, User | None] = {
        "coordinator": coordinator,
        "counselor": counselor,
        "leader": leader,
        "admin": admin,
        "ext_driver": ext_driver.user,
        "mentor": mentor,
        "employer_user": employer_user,
        "youth": youth_user,
        "outsider": outsider,
        "anonymous": None,
    }
    opens = {
        role
        for role, user in users.items()
        if user is not None and Participant.objects.visible_to(user).filter(pk=young[1].pk).exists()
    }
    return {"loop": year_loop, "person": young[1], "users": users, "opens": opens}


def driver_page(role: str, ok: int = 200) -> int:
    if role == "anonymous":
        return 302
    if role in DRIVERS:
        return ok
    return 404 if role == "outsider" else 403


def driver_write(ok: int) -> Any:
    return lambda role, world: driver_page(role, ok)


def youth_page(role: str, world: dict[str, Any]) -> int:
    status = driver_page(role)
    if status != 200:
        return status
    return 200 if role in world["opens"] else 404


def portal_page(role: str, world: dict[str, Any] | None = None) -> int:
    if role == "anonymous":
        return 302
    return 200 if role in PORTAL else 403


def compare_page(role: str, world: dict[str, Any] | None = None) -> int:
    if role == "anonymous":
        return 302
    return 200 if role in DRIVERS | {"outsider"} else 403


def api(status: Any) -> Any:
    def expected(role: str, world: dict[str, Any]) -> int:
        if role == "anonymous":
            return 401
        result = status(role, world)
        return {302: 401}.get(result, result)

    return expected


CASES: list[tuple[str, str, Any, Any]] = [
    ("loop_evaluation:page", "get", lambda w: {"pk": w["loop"].pk}, driver_write(200)),
    # Already open: the second opening is refused with the page and its message.
    ("loop_evaluation:open", "post", lambda w: {"pk": w["loop"].pk}, driver_write(400)),
    ("loop_evaluation:close", "post", lambda w: {"pk": w["loop"].pk}, driver_write(400)),
    ("loop_evaluation:outcome", "post", lambda w: {"pk": w["loop"].pk}, driver_write(400)),
    (
        "loop_evaluation:youth",
        "get",
        lambda w: {"pk": w["loop"].pk, "participant_pk": w["person"].pk},
        youth_page,
    ),
    ("loop_evaluation:answer", "get", lambda w: {"pk": w["loop"].pk}, portal_page),
    ("loop_evaluation:mine", "get", lambda w: {}, portal_page),
    ("loop_evaluation:compare", "get", lambda w: {}, compare_page),
]

MY_ANSWER = {"worked": 4, "supported": 4, "again": 5}

API_CASES: list[tuple[str, str, Any, Any]] = [
    ("/compare", "get", lambda w: "/api/v1/loop-evaluations/compare", api(compare_page)),
    (
        "/{loop_id}",
        "get",
        lambda w: f"/api/v1/loop-evaluations/{w['loop'].pk}",
        api(driver_write(200)),
    ),
    (
        "/{loop_id}",
        "post",
        lambda w: f"/api/v1/loop-evaluations/{w['loop'].pk}",
        api(driver_write(422)),  # already open
    ),
    (
        "/{loop_id}/close",
        "post",
        lambda w: (
            f"/api/v1/loop-evaluations/{w['loop'].pk}/close",
            {"summary": "Ferdig", "revision": w["loop"].evaluation.revision},
        ),
        api(driver_write(200)),
    ),
    (
        "/{loop_id}/mine",
        "get",
        lambda w: f"/api/v1/loop-evaluations/{w['loop'].pk}/mine",
        api(portal_page),
    ),
    (
        "/{loop_id}/mine",
        "put",
        lambda w: (f"/api/v1/loop-evaluations/{w['loop'].pk}/mine", MY_ANSWER),
        api(portal_page),
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
    response = getattr(client, method)(reverse(name, kwargs=kwargs(world)))
    assert response.status_code == expected(role, world), (role, name, method)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("route", "method", "url", "expected"), API_CASES, ids=lambda c: c if isinstance(c, str) else ""
)
def test_api(world, role, route, method, url, expected):
    client = client_for(world["users"][role])
    target = url(world)
    path, body = target if isinstance(target, tuple) else (target, {})
    response = getattr(client, method)(path, body, content_type="application/json")
    assert response.status_code == expected(role, world), (
        role,
        route,
        method,
        response.content[:200],
    )


def test_every_url_has_a_case():
    names = {
        f"loop_evaluation:{p.name}"
        for p in evaluation_urls.urlpatterns
        if isinstance(p, URLPattern)
    }
    assert names == {name for name, *_ in CASES}
    routes = {
        (path, method.lower())
        for path, operations in api_evaluation.router.path_operations.items()
        for operation in operations.operations
        for method in operation.methods
    }
    assert routes == {(route, method) for route, method, *_ in API_CASES}
