"""Who may open the pages and API routes of choosing employers and of network meetings
(issue 22, items 2 and 3): role x URL x expected status, every URL with a case.

One door for both (selection.selection_loop): the organisation's staff who follow
participants and the loop's external driver; administrators and portal users a 403, another
organisation's staff a 404, anonymous visitors the log-in page (401 from the API)."""

from typing import Any

import pytest
from django.urls import URLPattern, reverse

from samspill.loops import api_meetings, api_selection
from samspill.loops import urls_meetings as meeting_urls
from samspill.loops import urls_selection as selection_urls
from samspill.loops.tests.test_evaluation_matrix import ROLES, client_for, driver_page


@pytest.fixture
def world(
    year_loop,
    employers,
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
    return {
        "loop": year_loop,
        "employer": employers[0],
        "users": {
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
        },
    }


def page(ok: int) -> Any:
    return lambda role: driver_page(role, ok)


def api(ok: int) -> Any:
    def expected(role: str) -> int:
        return 401 if role == "anonymous" else driver_page(role, ok)

    return expected


CASES: list[tuple[str, str, Any, Any]] = [
    ("loop_selection:employers", "get", lambda w: {"pk": w["loop"].pk}, page(200)),
    ("loop_selection:employers", "post", lambda w: {"pk": w["loop"].pk}, page(400)),
    ("loop_meetings:list", "get", lambda w: {"pk": w["loop"].pk}, page(200)),
    ("loop_meetings:list", "post", lambda w: {"pk": w["loop"].pk}, page(400)),
]

API_CASES: list[tuple[str, str, str, Any, Any]] = [
    (
        "selection",
        "/{loop_id}/employers",
        "get",
        lambda w: f"/api/v1/loop-selection/{w['loop'].pk}/employers",
        api(200),
    ),
    (
        "selection",
        "/{loop_id}/employers/{employer_id}",
        "put",
        lambda w: (
            f"/api/v1/loop-selection/{w['loop'].pk}/employers/{w['employer'].pk}",
            {"why": "Gode mentorer"},
        ),
        api(200),
    ),
    (
        "meetings",
        "/{loop_id}/meetings",
        "get",
        lambda w: f"/api/v1/loop-meetings/{w['loop'].pk}/meetings",
        api(200),
    ),
    (
        "meetings",
        "/{loop_id}/meetings",
        "post",
        lambda w: (
            f"/api/v1/loop-meetings/{w['loop'].pk}/meetings",
            {"held_on": "2026-01-05", "minutes": "Runde rundt bordet"},
        ),
        api(201),
    ),
    (
        "meetings",
        "/{loop_id}/meetings/{meeting_id}",
        "put",
        lambda w: (
            f"/api/v1/loop-meetings/{w['loop'].pk}/meetings/999999",
            {"held_on": "2026-01-05", "minutes": "Runde rundt bordet"},
        ),
        lambda role: 404 if driver_page(role) == 200 else api(200)(role),
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "method", "kwargs", "expected"), CASES, ids=lambda c: c if isinstance(c, str) else ""
)
def test_pages(world, role, name, method, kwargs, expected):
    response = getattr(client_for(world["users"][role]), method)(
        reverse(name, kwargs=kwargs(world))
    )
    assert response.status_code == expected(role), (role, name, method)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("router", "route", "method", "url", "expected"),
    API_CASES,
    ids=lambda c: c if isinstance(c, str) else "",
)
def test_api(world, role, router, route, method, url, expected):
    target = url(world)
    path, body = target if isinstance(target, tuple) else (target, {})
    response = getattr(client_for(world["users"][role]), method)(
        path, body, content_type="application/json"
    )
    assert response.status_code == expected(role), (role, route, method, response.content[:200])


def test_every_url_has_a_case():
    names = {
        f"{module.app_name}:{p.name}"
        for module in (selection_urls, meeting_urls)
        for p in module.urlpatterns
        if isinstance(p, URLPattern)
    }
    assert names == {name for name, *_ in CASES}
    for label, router in (("selection", api_selection.router), ("meetings", api_meetings.router)):
        routes = {
            (path, method.lower())
            for path, operations in router.path_operations.items()
            for operation in operations.operations
            for method in operation.methods
        }
        assert routes == {(r, m) for lbl, r, m, *_ in API_CASES if lbl == label}
