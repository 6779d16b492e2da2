"""The insights pages' permission matrix: leaders and administrators of the organisation only;
each sees their own organisation's numbers and nothing of another's."""

import datetime

import pytest
from django.urls import URLPattern, reverse

from samspill.accounts.models import User
from samspill.core.testing import PASSWORD, client_for, make_staff
from samspill.insights import urls as insights_urls
from samspill.organisations.models import Membership
from samspill.participants.services import period_end

ALLOWED = {"leader", "admin"}
ROLES = [
    "anonymous",
    "counselor",
    "coordinator",
    "leader",
    "admin",
    "outsider",
    "mentor",
    "participant_user",
]
CASES = [
    ("insights:effects", "get", ""),
    ("insights:effects_run", "post", ""),
    ("insights:fidelity", "get", "?date=2026-03-01"),
    ("insights:creaming", "get", ""),
    ("insights:outcomes", "get", ""),
    ("insights:outcomes", "get", "?format=csv"),
]


@pytest.fixture
def users(counselor, coordinator, leader, admin, outsider, mentor, participant):
    own = User.objects.create_user(email="own@example.org", password=PASSWORD, full_name="Kari")
    participant.portal_user = own
    participant.save(update_fields=["portal_user"])
    return {
        "anonymous": None,
        "counselor": counselor,
        "coordinator": coordinator,
        "leader": leader,
        "admin": admin,
        "outsider": outsider,
        "mentor": mentor,
        "participant_user": own,
    }


def test_every_url_has_a_case():
    names = {f"insights:{p.name}" for p in insights_urls.urlpatterns if isinstance(p, URLPattern)}
    assert names == {name for name, _method, _query in CASES}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[1]}-{c[0]}{c[2]}")
def test_the_matrix(users, case, role):
    name, method, query = case
    client = client_for(users[role])
    url = reverse(name) + query
    response = client.get(url) if method == "get" else client.post(url)
    if role == "anonymous":
        assert response.status_code == 302
    elif role in ALLOWED:
        assert response.status_code == (302 if method == "post" else 200)
    else:
        assert response.status_code == 403


def test_a_leader_sees_only_their_own_organisation(org, other_org, counselor, participant):
    period_end(
        participant=participant,
        by=counselor,
        end_date=datetime.date(2026, 6, 1),
        outcome="ordinary_work",
    )
    theirs = make_staff(other_org, "leader@other.example", Membership.Role.LEADER)
    url = reverse("insights:outcomes") + "?start=2026-01-01&end=2026-12-01"
    mine = client_for(counselor)  # not allowed at all
    assert mine.get(url).status_code == 403
    response = client_for(theirs).get(url)
    assert response.status_code == 200
    assert response.context["result"]["groups"]["organisation"] == {}
    api = client_for(theirs).get("/api/v1/insights/outcomes?start=2026-01-01&end=2026-12-01")
    assert api.json()["groups"]["organisation"] == {}
