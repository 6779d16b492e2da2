"""The employers API's permission matrix (pretix style): role x route x expected status, for
every route of the employers router.

Staff who work with participants (counselor, coordinator, leader) use their organisation's
employer base; an administrator gets a 403 on every route (it learns nothing about ids); an
employer of another organisation, and anything that hangs off it, is a 404. A refused call
changes nothing; an allowed write changes something (so the refusals are refusals of a call
that would otherwise have worked).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from samspill.accounts.auth import api_token_create
from samspill.accounts.models import User
from samspill.audit.models import AuditEvent
from samspill.core.testing import client_for
from samspill.employers import services
from samspill.employers.api import router
from samspill.employers.models import (
    ContactPersonChange,
    Employer,
    EmployerContact,
    IntentionAgreement,
    MentorSupportContact,
    OutreachActivity,
    RecruitmentNeed,
)

BASE = "/api/v1/employers"
VALID_ORGNR = "974760673"  # Brønnøysundregistrene's own number (a real, valid orgnr)
ROLES = ["anonymous", "counselor", "coordinator", "leader", "admin", "outsider"]


@dataclass
class World:
    employer: Employer
    need: RecruitmentNeed
    mentor: EmployerContact
    leader: User
    users: dict[str, User | None]


@pytest.fixture
def world(employer, counselor, coordinator, leader, admin, outsider) -> World:
    need = services.need_add(employer=employer, by=counselor, role="Cook")
    services.agreement_create(employer=employer, by=counselor, status="draft")
    services.outreach_add(
        employer=employer, by=counselor, kind="call", occurred_on=timezone.localdate()
    )
    mentor = services.contact_add(
        employer=employer, by=counselor, name="Mona", phone="99999999", is_mentor=True
    )
    services.mentor_support_add(
        mentor=mentor,
        by=counselor,
        contact_on=timezone.localdate(),
        channel="phone",
        topic="First week",
        going="well",
    )
    return World(
        employer=employer,
        need=need,
        mentor=mentor,
        leader=leader,
        users={
            "anonymous": None,
            "counselor": counselor,
            "coordinator": coordinator,
            "leader": leader,
            "admin": admin,
            "outsider": outsider,
        },
    )


def statuses(**by_role: int) -> dict[str, int]:
    assert set(by_role) == set(ROLES), set(ROLES) ^ set(by_role)
    return by_role


def today() -> str:
    return timezone.localdate().isoformat()


def emp(w: World) -> str:
    return f"{BASE}/{w.employer.pk}"


def rev(w: World) -> int:
    """The employer's revision as the caller would read it now (a change sends it back)."""
    return Employer.objects.get(pk=w.employer.pk).revision


def post(client: Client, url: str, body: dict[str, Any]) -> int:
    return client.post(url, body, content_type="application/json").status_code


def patch(client: Client, url: str, body: dict[str, Any]) -> int:
    return client.patch(url, body, content_type="application/json").status_code


Call = Callable[[Client, World, User | None], int]

# (method, path as the router names it) -> a call that succeeds for someone allowed to make it.
API: dict[tuple[str, str], Call] = {
    ("GET", ""): lambda c, w, u: c.get(BASE).status_code,
    ("POST", ""): lambda c, w, u: post(
        c,
        BASE,
        {
            "name": "Nytt Verksted AS",
            "org_number": VALID_ORGNR,
            # The caller's organisation's staff: for the outsider, themselves.
            "contact_person_id": (u or w.leader).pk,
        },
    ),
    ("GET", "/{employer_id}"): lambda c, w, u: c.get(emp(w)).status_code,
    ("PATCH", "/{employer_id}"): lambda c, w, u: patch(
        c, emp(w), {"revision": rev(w), "municipality": "Bodø"}
    ),
    ("POST", "/{employer_id}/contact-person"): lambda c, w, u: post(
        c,
        f"{emp(w)}/contact-person",
        {"revision": rev(w), "contact_person_id": w.leader.pk, "reason": "balancing"},
    ),
    ("POST", "/{employer_id}/stage"): lambda c, w, u: post(
        c,
        f"{emp(w)}/stage",
        {
            "revision": rev(w),
            "stage": "first_meeting",
            "next_step": "Call",
            "next_step_on": today(),
        },
    ),
    ("GET", "/{employer_id}/needs"): lambda c, w, u: c.get(f"{emp(w)}/needs").status_code,
    ("POST", "/{employer_id}/needs"): lambda c, w, u: post(
        c, f"{emp(w)}/needs", {"role": "Baker", "positions": 2}
    ),
    ("PATCH", "/{employer_id}/needs/{need_id}"): lambda c, w, u: patch(
        c, f"{emp(w)}/needs/{w.need.pk}", {"is_open": False}
    ),
    ("GET", "/{employer_id}/outreach"): lambda c, w, u: c.get(f"{emp(w)}/outreach").status_code,
    ("POST", "/{employer_id}/outreach"): lambda c, w, u: post(
        c, f"{emp(w)}/outreach", {"kind": "visit", "occurred_on": today(), "summary": "Tour"}
    ),
    ("GET", "/{employer_id}/agreements"): lambda c, w, u: c.get(f"{emp(w)}/agreements").status_code,
    ("POST", "/{employer_id}/agreements"): lambda c, w, u: post(
        c, f"{emp(w)}/agreements", {"status": "draft", "work_training_places": 2}
    ),
    ("GET", "/{employer_id}/contacts"): lambda c, w, u: c.get(f"{emp(w)}/contacts").status_code,
    ("POST", "/{employer_id}/contacts"): lambda c, w, u: post(
        c, f"{emp(w)}/contacts", {"name": "Per", "email": "per@example.org"}
    ),
    ("PATCH", "/{employer_id}/contacts/{contact_id}"): lambda c, w, u: patch(
        c, f"{emp(w)}/contacts/{w.mentor.pk}", {"confidentiality_signed_on": today()}
    ),
    ("GET", "/{employer_id}/contacts/{contact_id}/support-log"): lambda c, w, u: (
        c.get(f"{emp(w)}/contacts/{w.mentor.pk}/support-log").status_code
    ),
    ("POST", "/{employer_id}/contacts/{contact_id}/support-log"): lambda c, w, u: post(
        c,
        f"{emp(w)}/contacts/{w.mentor.pk}/support-log",
        {"contact_on": today(), "channel": "visit", "topic": "Second week", "going": "mixed"},
    ),
}

# The employer base of one's own organisation: the outsider has their own.
BASE_READ = statuses(
    anonymous=401, counselor=200, coordinator=200, leader=200, admin=403, outsider=200
)
BASE_CREATE = statuses(
    anonymous=401, counselor=201, coordinator=201, leader=201, admin=403, outsider=201
)
# The organisation's employer and what hangs off it: another organisation's is a 404.
READ = statuses(anonymous=401, counselor=200, coordinator=200, leader=200, admin=403, outsider=404)
CHANGE = READ
CREATE = statuses(
    anonymous=401, counselor=201, coordinator=201, leader=201, admin=403, outsider=404
)

API_MATRIX: dict[tuple[str, str], dict[str, int]] = {
    ("GET", ""): BASE_READ,
    ("POST", ""): BASE_CREATE,
    ("GET", "/{employer_id}"): READ,
    ("PATCH", "/{employer_id}"): CHANGE,
    ("POST", "/{employer_id}/contact-person"): CHANGE,
    ("POST", "/{employer_id}/stage"): CHANGE,
    ("GET", "/{employer_id}/needs"): READ,
    ("POST", "/{employer_id}/needs"): CREATE,
    ("PATCH", "/{employer_id}/needs/{need_id}"): CHANGE,
    ("GET", "/{employer_id}/outreach"): READ,
    ("POST", "/{employer_id}/outreach"): CREATE,
    ("GET", "/{employer_id}/agreements"): READ,
    ("POST", "/{employer_id}/agreements"): CREATE,
    ("GET", "/{employer_id}/contacts"): READ,
    ("POST", "/{employer_id}/contacts"): CREATE,
    ("PATCH", "/{employer_id}/contacts/{contact_id}"): CHANGE,
    ("GET", "/{employer_id}/contacts/{contact_id}/support-log"): READ,
    ("POST", "/{employer_id}/contacts/{contact_id}/support-log"): CREATE,
}
ALLOWED = {"counselor", "coordinator", "leader"}
# The routes that write, and who may: the outsider writes only in their own organisation.
API_MAY_WRITE: dict[tuple[str, str], set[str]] = {
    route: ALLOWED | ({"outsider"} if route == ("POST", "") else set())
    for route in API_MATRIX
    if route[0] != "GET"
}


def snapshot() -> dict[str, Any]:
    """Everything a call to these routes could change."""
    return {
        "employers": list(
            Employer.objects.order_by("pk").values_list(
                "pk", "name", "municipality", "stage", "next_step", "contact_person"
            )
        ),
        "contact_history": ContactPersonChange.objects.count(),
        "needs": list(RecruitmentNeed.objects.order_by("pk").values_list("pk", "role", "is_open")),
        "outreach": OutreachActivity.objects.count(),
        "agreements": IntentionAgreement.objects.count(),
        "contacts": list(
            EmployerContact.objects.order_by("pk").values_list(
                "pk", "name", "confidentiality_signed_on"
            )
        ),
        "support": MentorSupportContact.objects.count(),
        "events": AuditEvent.objects.count(),
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
    user = world.users[role]

    status = API[route](client_for(user), world, user)

    assert status == expected
    if role in API_MAY_WRITE.get(route, set()):
        assert snapshot() != before, "an allowed call changed nothing"
    else:
        assert snapshot() == before, "a refused call changed something"


def test_a_refused_write_by_an_outsider_leaves_the_audit_log_alone(world, outsider):
    events = AuditEvent.objects.count()
    client = client_for(outsider)

    statuses_seen = {
        API[route](client, world, outsider)
        for route in API_MAY_WRITE
        if route != ("POST", "")  # the outsider's own organisation: allowed
    }

    assert statuses_seen == {404}
    assert AuditEvent.objects.count() == events


def test_another_organisations_need_or_contact_is_a_404_through_ones_own_employer(
    world, counselor, other_employer, outsider
):
    other_need = services.need_add(employer=other_employer, by=outsider, role="Driver")
    other_contact = services.contact_add(
        employer=other_employer, by=outsider, name="Otto", phone="11111111", is_mentor=True
    )
    client = client_for(counselor)
    contact_url = f"{emp(world)}/contacts/{other_contact.pk}"
    before = snapshot()

    answers = [
        patch(client, f"{emp(world)}/needs/{other_need.pk}", {"is_open": False}),
        patch(client, contact_url, {"name": "Renamed"}),
        client.get(f"{contact_url}/support-log").status_code,
        post(
            client,
            f"{contact_url}/support-log",
            {"contact_on": today(), "channel": "phone", "topic": "Hi", "going": "well"},
        ),
    ]

    assert answers == [404, 404, 404, 404]
    assert snapshot() == before


def test_a_token_reaches_the_same_routes_as_a_session(world, counselor, admin):
    def bearer(user: User) -> Client:
        _token, key = api_token_create(user=user, name="Test integration")
        return Client(headers={"authorization": f"Bearer {key}"})

    assert API[("GET", "/{employer_id}")](bearer(counselor), world, counselor) == 200
    assert API[("POST", "/{employer_id}/needs")](bearer(counselor), world, counselor) == 201
    assert API[("GET", "")](bearer(admin), world, admin) == 403
