"""The organisation pages' permission matrix: role x URL x expected status, for every URL.

Only an active administrator of the organisation reaches its staff, teams, tokens and
settings. Everyone else who is logged in gets a 403; another organisation's administrator gets
their own organisation's lists and a 404 for this organisation's staff, teams and tokens; a
refused write changes nothing here, an allowed one changes something.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, reverse

from samspill.accounts import services as account_services
from samspill.accounts.auth import api_token_create
from samspill.accounts.models import ApiToken, User
from samspill.audit.models import AuditEvent
from samspill.core.testing import client_for, make_staff
from samspill.organisations import services
from samspill.organisations import urls as organisation_urls
from samspill.organisations.models import Membership, Organisation, Team

ROLES = [
    "anonymous",
    "counselor",
    "coordinator",
    "leader",
    "admin",
    "other_admin",  # administrator of another organisation
    "outsider",  # counselor of another organisation
    "mentor",  # portal user
]
REFUSED = {"counselor", "coordinator", "leader", "outsider", "mentor"}


@pytest.fixture
def world(
    org,
    other_org,
    team_a,
    team_b,
    counselor,
    colleague,
    coordinator,
    leader,
    admin,
    outsider,
    mentor,
) -> dict[str, Any]:
    other_admin = make_staff(other_org, "otheradmin@example.org", Membership.Role.ADMIN)
    invitee = services.staff_invite(
        organisation=org, by=admin, email="nina@example.org", full_name="Nina Ny", role="counselor"
    )
    gone = services.staff_invite(
        organisation=org, by=admin, email="gone@example.org", full_name="Gone", role="counselor"
    )
    services.membership_deactivate(membership=gone, by=admin)
    empty_team = services.team_create(organisation=org, by=admin, name="Empty")
    token, _key = api_token_create(user=counselor, name="Integration", by=admin)
    other_team = services.team_create(organisation=other_org, by=other_admin, name="Other")
    other_token, _key = api_token_create(user=outsider, name="Theirs", by=other_admin)
    # The colleague has signed in once with the organisation's account (OpenID Connect).
    for person in (colleague, outsider):
        claims = {"sub": f"sub-{person.pk}", "email": person.email, "email_verified": True}
        account_services.staff_oidc_sign_in(claims=claims)
    return {
        "org": org,
        "users": {
            "anonymous": None,
            "counselor": counselor,
            "coordinator": coordinator,
            "leader": leader,
            "admin": admin,
            "other_admin": other_admin,
            "outsider": outsider,
            "mentor": mentor,
        },
        "colleague": Membership.objects.get(user=colleague),
        "counselor_membership": Membership.objects.get(user=counselor),
        "invitee": invitee,
        "gone": gone,
        "team": team_b,
        "team_a": team_a,
        "empty_team": empty_team,
        "token": token,
        "other_member": Membership.objects.get(user=outsider),
        "other_team": other_team,
        "other_token": other_token,
    }


@dataclass
class Case:
    name: str
    method: str
    kwargs: Callable[[dict[str, Any]], dict[str, int]] = lambda w: {}
    data: Callable[[dict[str, Any]], dict[str, Any]] = lambda w: {}
    # For the organisation's administrator: 200 for a page, 302 for a write that redirects.
    ok_status: int = 200
    # Does the URL name one of this organisation's objects (so another organisation's
    # administrator gets a 404), or is it a list of one's own organisation?
    object_url: bool = False
    # Which object of another organisation to try the same URL with (an administrator -> 404).
    other_kwargs: Callable[[dict[str, Any]], dict[str, int]] | None = None
    # Another organisation's administrator, when not as above (naming our staff in a form of
    # their own organisation is bad input: the form says so, and nothing changes).
    other_admin_status: int | None = None


CASES = [
    Case("staff", "get"),
    Case("invite", "get"),
    Case(
        "invite",
        "post",
        data=lambda w: {"full_name": "Ola Ny", "email": "ola@example.org", "role": "counselor"},
        ok_status=302,
    ),
    Case(
        "member",
        "get",
        kwargs=lambda w: {"pk": w["colleague"].pk},
        object_url=True,
        other_kwargs=lambda w: {"pk": w["other_member"].pk},
    ),
    Case(
        "member",
        "post",
        kwargs=lambda w: {"pk": w["colleague"].pk},
        data=lambda w: {"role": "coordinator", "team": w["team_a"].pk, "revision": 0},
        ok_status=302,
        object_url=True,
        other_kwargs=lambda w: {"pk": w["other_member"].pk},
    ),
    Case(
        "member_resend",
        "post",
        kwargs=lambda w: {"pk": w["invitee"].pk},
        ok_status=302,
        object_url=True,
        other_kwargs=lambda w: {"pk": w["other_member"].pk},
    ),
    Case(
        "member_deactivate",
        "post",
        kwargs=lambda w: {"pk": w["colleague"].pk},
        ok_status=302,
        object_url=True,
        other_kwargs=lambda w: {"pk": w["other_member"].pk},
    ),
    Case(
        "member_reactivate",
        "post",
        kwargs=lambda w: {"pk": w["gone"].pk},
        ok_status=302,
        object_url=True,
        other_kwargs=lambda w: {"pk": w["other_member"].pk},
    ),
    Case(
        "member_oidc_unlink",
        "post",
        kwargs=lambda w: {"pk": w["colleague"].pk},
        ok_status=302,
        object_url=True,
        other_kwargs=lambda w: {"pk": w["other_member"].pk},
    ),
    Case("teams", "get"),
    Case("teams", "post", data=lambda w: {"name": "Team C"}, ok_status=302),
    Case(
        "team",
        "get",
        kwargs=lambda w: {"pk": w["team"].pk},
        object_url=True,
        other_kwargs=lambda w: {"pk": w["other_team"].pk},
    ),
    Case(
        "team",
        "post",
        kwargs=lambda w: {"pk": w["team"].pk},
        data=lambda w: {"name": "Team Z"},
        ok_status=302,
        object_url=True,
        other_kwargs=lambda w: {"pk": w["other_team"].pk},
    ),
    Case(
        "team_delete",
        "post",
        kwargs=lambda w: {"pk": w["empty_team"].pk},
        ok_status=302,
        object_url=True,
        other_kwargs=lambda w: {"pk": w["other_team"].pk},
    ),
    Case("tokens", "get"),
    Case(
        "tokens",
        "post",
        data=lambda w: {"member": w["counselor_membership"].pk, "name": "Reports"},
        ok_status=200,
        other_admin_status=400,
    ),
    Case(
        "token_revoke",
        "post",
        kwargs=lambda w: {"pk": w["token"].pk},
        ok_status=302,
        object_url=True,
        other_kwargs=lambda w: {"pk": w["other_token"].pk},
    ),
    Case("settings", "get"),
    Case(
        "settings",
        "post",
        data=lambda w: {
            "name": "Nytt Navn AS",
            "team_sees_team_participants": "on",
            "belief_checkin_weeks": "8",
            "revision": "0",
        },
        ok_status=302,
    ),
]


def expected_status(case: Case, role: str) -> int:
    if role == "anonymous":
        return 302
    if role in REFUSED:
        return 403
    if role == "other_admin" and case.other_admin_status is not None:
        return case.other_admin_status
    if role == "other_admin" and case.object_url:
        return 404
    return case.ok_status


def snapshot(org: Organisation) -> dict[str, Any]:
    """Everything in `org` that a POST to these URLs could change."""
    org = Organisation.objects.get(pk=org.pk)
    return {
        "settings": (org.name, org.team_sees_team_participants, org.belief_checkin_weeks),
        "revision": org.revision,
        "memberships": list(
            Membership.objects.filter(organisation=org)
            .order_by("pk")
            .values_list("pk", "role", "team", "is_active", "invited_at", "revision")
        ),
        "users": list(
            User.objects.filter(memberships__organisation=org)
            .order_by("pk")
            .values_list("pk", "is_active", "is_staff", "is_superuser", "password", "oidc_subject")
        ),
        "teams": list(
            Team.objects.filter(organisation=org).order_by("pk").values_list("pk", "name")
        ),
        "tokens": list(
            ApiToken.objects.filter(user__memberships__organisation=org)
            .order_by("pk")
            .values_list("pk", "revoked_at")
        ),
        "events": AuditEvent.objects.filter(organisation=org).count(),
    }


def params() -> list[Any]:
    return [
        pytest.param(case, role, id=f"{case.method}-{case.name}-{role}")
        for case in CASES
        for role in ROLES
    ]


def test_the_matrix_covers_every_organisation_url():
    names = {p.name for p in organisation_urls.urlpatterns if isinstance(p, URLPattern)}

    # The invitation link is public and proves itself by its token (test_pages.py).
    assert names - {"invitation"} == {case.name for case in CASES}


@pytest.mark.parametrize(("case", "role"), params())
def test_each_role_gets_the_expected_answer(world, case, role):
    client = client_for(world["users"][role])
    url = reverse(f"organisation:{case.name}", kwargs=case.kwargs(world))
    before = snapshot(world["org"])

    response = client.get(url) if case.method == "get" else client.post(url, case.data(world))

    assert response.status_code == expected_status(case, role)
    if role == "anonymous":
        assert response["Location"].startswith("/login/?next=")
    if case.method == "post" and role == "admin":
        assert snapshot(world["org"]) != before, "an allowed POST changed nothing"
    else:
        assert snapshot(world["org"]) == before, "a refused request changed something"


@pytest.mark.parametrize(
    "case", [pytest.param(c, id=f"{c.method}-{c.name}") for c in CASES if c.other_kwargs]
)
def test_an_administrator_gets_404_for_another_organisations_object(world, case):
    assert case.other_kwargs is not None
    other_org = world["other_member"].organisation
    before = snapshot(other_org)

    url = reverse(f"organisation:{case.name}", kwargs=case.other_kwargs(world))
    client = client_for(world["users"]["admin"])
    response = client.get(url) if case.method == "get" else client.post(url, case.data(world))

    assert response.status_code == 404
    assert snapshot(other_org) == before
