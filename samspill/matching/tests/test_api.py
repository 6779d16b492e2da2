"""The matching API: who gets suggestions, who gets a 403 or a 404, and what is logged."""

import pytest

from samspill.audit.models import AccessLog
from samspill.core.testing import client_for, make_participant
from samspill.employers.services import need_add
from samspill.participants.models import ConsentRecord
from samspill.participants.services import consent_give

pytestmark = pytest.mark.django_db
BASE = "/api/v1/matching"


@pytest.fixture
def need(employer, counselor):
    return need_add(employer=employer, by=counselor, role="Lagermedarbeider", tasks="truck")


@pytest.fixture
def shared(org, counselor):
    p = make_participant(org, counselor, given_name="Truls", what_i_can="Truckfører")
    consent_give(
        participant=p,
        by=counselor,
        recipient=ConsentRecord.Recipient.WORKPLACE,
        information=ConsentRecord.Information.STRENGTHS,
    )
    return p


def test_candidates_for_a_need(counselor, need, shared, participant):
    response = client_for(counselor).get(f"{BASE}/needs/{need.pk}/candidates?limit=5")
    assert response.status_code == 200
    body = response.json()
    assert body["suggestions"][0]["participant_id"] == shared.pk
    keys = [f["key"] for f in body["suggestions"][0]["factors"]]
    assert keys == ["skills", "wishes", "industry", "place", "hours", "mentor", "history"]
    assert body["pool_size"] == 2
    assert AccessLog.objects.filter(what=f"matching:need:{need.pk}").count() == 2


def test_needs_for_a_participant(counselor, need, shared):
    response = client_for(counselor).get(f"{BASE}/participants/{shared.pk}/needs")
    assert response.status_code == 200
    assert response.json()["suggestions"][0]["need_id"] == need.pk
    assert AccessLog.objects.filter(participant=shared, what__startswith="matching:").exists()


def test_a_counselor_never_gets_a_participant_they_may_not_see(
    org, counselor, other_team_counselor, need
):
    theirs = make_participant(org, other_team_counselor, what_i_can="truck")
    client = client_for(counselor)
    assert client.get(f"{BASE}/participants/{theirs.pk}/needs").status_code == 404
    ids = [
        s["participant_id"]
        for s in client.get(f"{BASE}/needs/{need.pk}/candidates").json()["suggestions"]
    ]
    assert theirs.pk not in ids
    assert not AccessLog.objects.filter(participant=theirs).exists()


@pytest.mark.parametrize("who", ["admin", "employer_user", "mentor"])
def test_staff_who_follow_nobody_and_the_employer_side_get_403(request, who, need, shared):
    client = client_for(request.getfixturevalue(who))
    assert client.get(f"{BASE}/needs/{need.pk}/candidates").status_code == 403
    assert client.get(f"{BASE}/participants/{shared.pk}/needs").status_code == 403
    assert not AccessLog.objects.exists()


def test_another_organisation_gets_404(outsider, need, shared):
    client = client_for(outsider)
    assert client.get(f"{BASE}/needs/{need.pk}/candidates").status_code == 404
    assert client.get(f"{BASE}/participants/{shared.pk}/needs").status_code == 404
    assert client.get(f"{BASE}/needs/99999999999999/candidates").status_code == 404


def test_anonymous_gets_401(need):
    assert client_for(None).get(f"{BASE}/needs/{need.pk}/candidates").status_code == 401


def test_bad_favour_is_422_and_logs_nothing(counselor, need, shared):
    response = client_for(counselor).get(f"{BASE}/needs/{need.pk}/candidates?favour=easiest")
    assert response.status_code == 422
    assert not AccessLog.objects.exists()


def test_schemas_are_in_openapi(counselor):
    spec = client_for(counselor).get("/api/v1/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert {"MatchResultOut", "MatchSuggestion", "MatchFactor", "MatchProposalIn"} <= set(schemas)
    # Both directions, and the decisions.
    assert {
        "/api/v1/matching/needs/{need_id}/candidates",
        "/api/v1/matching/participants/{participant_id}/needs",
        "/api/v1/matching/proposals",
    } <= set(spec["paths"])


def test_proposing_through_the_api_records_the_suggestion(counselor, need, shared):
    response = client_for(counselor).post(
        f"{BASE}/proposals",
        {"participant_id": shared.pk, "need_id": need.pk, "action": "propose"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["factors"]["skills"] > 0


def test_passing_over_through_the_api_needs_a_reason_and_hides_other_orgs(
    counselor, outsider, need, shared
):
    body = {"participant_id": shared.pk, "need_id": need.pk, "action": "pass"}
    client = client_for(counselor)
    assert (
        client.post(f"{BASE}/proposals", body, content_type="application/json").status_code == 422
    )
    assert (
        client_for(outsider)
        .post(f"{BASE}/proposals", body, content_type="application/json")
        .status_code
        == 404
    )
