"""Who may open each loop-partner page and API route: role x URL x expected status.

The external driver and NAV's loop coordinator reach only their own pages (a loop or
gathering not theirs is a 404; the gathering page is the driver's); the organisation's
administrator and coordinator manage partners (another organisation's partner is a 404);
everyone else gets a 403, anonymous visitors the log-in page (401 from the API).
"""

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, reverse

from samspill.accounts.models import User
from samspill.loops import api_partners, drivers, services
from samspill.loops import urls_partners as partner_urls
from samspill.loops.models import LoopPartner

DAY = datetime.date(2026, 11, 2)

ROLES = [
    "ext_driver",
    "nav",
    "coordinator",
    "counselor",
    "leader",
    "admin",
    "mentor",
    "outsider",
    "anonymous",
]
PARTNERS = {"ext_driver", "nav"}
MANAGERS = {"coordinator", "admin"}


@pytest.fixture
def world(
    open_loop, org, coordinator, counselor, leader, admin, mentor, outsider, employer_contact
):
    ext = drivers.loop_partner_invite(
        organisation=org,
        by=coordinator,
        email="ext@example.org",
        full_name="Ext Driver",
        role=LoopPartner.Role.EXTERNAL_DRIVER,
    )
    nav = drivers.loop_partner_invite(
        organisation=org,
        by=admin,
        email="nav@example.org",
        full_name="Nav Koordinator",
        role=LoopPartner.Role.NAV_COORDINATOR,
    )
    for partner in (ext, nav):
        drivers.loop_partner_assign(partner=partner, loop=open_loop, by=coordinator)
    gathering = services.gathering_create(
        organisation=org, by=coordinator, date=DAY, loop=open_loop
    )
    return {
        "loop": open_loop,
        "gathering": gathering,
        "partner": ext,
        "contact": employer_contact,
        "users": {
            "ext_driver": ext.user,
            "nav": nav.user,
            "coordinator": coordinator,
            "counselor": counselor,
            "leader": leader,
            "admin": admin,
            "mentor": mentor,
            "outsider": outsider,
            "anonymous": None,
        },
    }


def partner_page(role: str) -> int:
    if role == "anonymous":
        return 302
    return 200 if role in PARTNERS else 403


def driver_page(role: str) -> int:
    if role == "anonymous":
        return 302
    return 200 if role == "ext_driver" else 403


def driver_write(role: str) -> int:
    return 400 if role == "ext_driver" else driver_page(role)


def partner_write(role: str) -> int:
    """An empty referral form: a 400 for NAV; the driver may not refer (403)."""
    if role == "nav":
        return 400
    return 403 if role == "ext_driver" else partner_page(role)


def manager_page(role: str) -> int:
    if role == "anonymous":
        return 302
    return 200 if role in MANAGERS else 403


def manager_write(role: str) -> int:
    return 400 if role in MANAGERS else manager_page(role)


def own_partner(role: str) -> int:
    """A partner of the organisation: managers of another organisation would get a 404."""
    return manager_page(role)


def api_partner(role: str) -> int:
    if role == "anonymous":
        return 401
    return 200 if role in PARTNERS else 403


def api_driver(role: str) -> int:
    if role == "anonymous":
        return 401
    return 200 if role == "ext_driver" else 403


def api_driver_write(role: str) -> int:
    return 201 if role == "ext_driver" else api_driver(role)


def api_nav(role: str) -> int:
    if role == "anonymous":
        return 401
    return 200 if role == "nav" else 403


def api_nav_write(role: str) -> int:
    return 201 if role == "nav" else api_nav(role)


def api_manager(role: str) -> int:
    if role == "anonymous":
        return 401
    return 200 if role in MANAGERS else 403


def api_manager_write(role: str) -> int:
    return 201 if role in MANAGERS else api_manager(role)


CASES: list[tuple[str, str, Any, Any]] = [
    ("loop_partners:home", "get", lambda w: {}, partner_page),
    ("loop_partners:loop", "get", lambda w: {"pk": w["loop"].pk}, partner_page),
    ("loop_partners:loop", "post", lambda w: {"pk": w["loop"].pk}, partner_write),
    ("loop_partners:gathering", "get", lambda w: {"pk": w["gathering"].pk}, driver_page),
    ("loop_partners:invite", "post", lambda w: {"pk": w["gathering"].pk}, driver_write),
    (
        "loop_partners:invitation",
        "get",
        lambda w: {"uidb64": "MQ", "token": "forged"},
        lambda r: 404,
    ),
    ("loop_partners:list", "get", lambda w: {}, manager_page),
    ("loop_partners:list", "post", lambda w: {}, manager_write),
    ("loop_partners:manage", "get", lambda w: {"pk": w["partner"].pk}, own_partner),
]

API_CASES: list[tuple[str, str, Any, Any]] = [
    ("/me/loops", "get", lambda w: "/api/v1/loop-partners/me/loops", api_partner),
    (
        "/me/gatherings/{gathering_id}/candidates",
        "get",
        lambda w: f"/api/v1/loop-partners/me/gatherings/{w['gathering'].pk}/candidates",
        api_driver,
    ),
    (
        "/me/gatherings/{gathering_id}/invitations",
        "post",
        lambda w: (
            f"/api/v1/loop-partners/me/gatherings/{w['gathering'].pk}/invitations",
            {"contact_id": w["contact"].pk},
        ),
        api_driver_write,
    ),
    ("/me/referrals", "get", lambda w: "/api/v1/loop-partners/me/referrals", api_nav),
    (
        "/me/loops/{loop_id}/referrals",
        "post",
        lambda w: (
            f"/api/v1/loop-partners/me/loops/{w['loop'].pk}/referrals",
            {"given_name": "Amir", "family_name": "Hansen", "asked_for": "Praksis"},
        ),
        api_nav_write,
    ),
    ("", "get", lambda w: "/api/v1/loop-partners", api_manager),
    (
        "",
        "post",
        lambda w: (
            "/api/v1/loop-partners",
            {"full_name": "Ny Driver", "email": "ny@example.org", "role": "external_driver"},
        ),
        api_manager_write,
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
    names = {
        f"loop_partners:{p.name}" for p in partner_urls.urlpatterns if isinstance(p, URLPattern)
    }
    assert names == {name for name, *_ in CASES}
    routes = {
        (path, method.lower())
        for path, operations in api_partners.router.path_operations.items()
        for operation in operations.operations
        for method in operation.methods
    }
    assert routes == {(route, method) for route, method, *_ in API_CASES}


def test_another_organisations_manager_gets_a_404_for_our_partner(world, other_org):
    from samspill.core.testing import make_staff
    from samspill.organisations.models import Membership

    other_admin = make_staff(other_org, "oadmin@example.org", Membership.Role.ADMIN)
    url = reverse("loop_partners:manage", kwargs={"pk": world["partner"].pk})
    assert client_for(other_admin).get(url).status_code == 404
