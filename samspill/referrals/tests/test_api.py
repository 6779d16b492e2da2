"""The referrals API: the list, create, the record (access-logged), the outcome and the
statistics, with the participants API's auth and error conventions."""

import datetime

import pytest
from django.test import Client

from samspill.accounts.auth import api_token_create
from samspill.accounts.models import User
from samspill.core.testing import client_for
from samspill.referrals.models import Referral, ReferralAccessLog
from samspill.referrals.tests.conftest import make_referral

BASE = "/api/v1/referrals"
ENGLISH = {"accept-language": "en"}


def bearer_client(user: User) -> Client:
    _token, key = api_token_create(user=user, name="Test integration")
    return Client(headers={"authorization": f"Bearer {key}"})


def body(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "source": "introduction_programme",
        "received_on": "2026-04-01",
        "given_name": "Olena",
        "family_name": "Kovalenko",
        "asked_for": "Norwegian course and work practice.",
    }
    data.update(changes)
    return data


def test_it_lists_the_referrals_the_caller_may_see(
    counselor, referral, unassigned_referral, colleagues_referral
):
    response = client_for(counselor).get(BASE)

    assert response.status_code == 200
    page = response.json()
    assert page["count"] == 2
    assert {item["given_name"] for item in page["items"]} == {"Siri", "Ulf"}
    siri = next(item for item in page["items"] if item["given_name"] == "Siri")
    assert siri == {
        "id": referral.pk,
        "received_on": "2026-01-12",
        "given_name": "Siri",
        "family_name": "Henvist",
        "source": "youth_department",
        "outcome": "",
        "taken_by_id": counselor.pk,
        "taken_by_name": counselor.full_name,
        "participant_id": None,
    }


def test_the_list_filters_and_pages(org, leader):
    for n in range(30):
        make_referral(
            org,
            leader,
            given_name=f"R{n:02}",
            source="self" if n % 3 else "other",
            source_other="Skole" if not n % 3 else "",
        )
    client = client_for(leader)

    page = client.get(BASE, {"source": "self", "limit": "5", "offset": "15"}).json()
    none = client.get(BASE, {"no_outcome": "true", "q": "r0"}).json()

    assert page["count"] == 20
    assert len(page["items"]) == 5
    assert none["count"] == 10


def test_the_list_runs_the_same_queries_whatever_the_page_size(
    org, leader, django_assert_num_queries
):
    for n in range(30):
        make_referral(org, leader, given_name=f"R{n:02}", taken_by=leader)
    client = client_for(leader)

    for limit in (5, 30):
        with django_assert_num_queries(5):
            response = client.get(BASE, {"limit": limit})
        assert len(response.json()["items"]) == limit


def test_it_creates_a_referral(org, counselor):
    response = bearer_client(counselor).post(
        BASE,
        body(taken_by_id=counselor.pk, need_group="partial_work"),
        content_type="application/json",
    )

    assert response.status_code == 201
    referral = Referral.objects.get()
    assert response.json()["id"] == referral.pk
    assert referral.organisation == org
    assert referral.taken_by == counselor
    assert referral.need_group == "partial_work"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"source": "the_moon"}, "source"),
        ({"source": "other"}, "source_other"),
        ({"received_on": "2099-01-01"}, "received_on"),
        ({"given_name": ""}, "given_name"),
        ({"email": "nope"}, "email"),
        ({"need_group": "none"}, "need_group"),
        ({"given_name": "Nul\x00"}, "given_name"),
    ],
)
def test_bad_input_is_refused_clearly_and_writes_nothing(counselor, changes, field):
    response = client_for(counselor).post(
        BASE, body(**changes), content_type="application/json", headers=ENGLISH
    )

    assert response.status_code == 422
    assert response.json()["detail"] == "The request is not valid."
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert not Referral.objects.exists()


def test_a_taker_from_another_organisation_reads_like_one_that_does_not_exist(
    counselor, outsider, admin
):
    client = client_for(counselor)

    foreign = client.post(BASE, body(taken_by_id=outsider.pk), content_type="application/json")
    not_a_follower = client.post(BASE, body(taken_by_id=admin.pk), content_type="application/json")

    assert foreign.status_code == not_a_follower.status_code == 422
    assert foreign.json()["errors"][0]["field"] == "taken_by_id"
    assert not_a_follower.json()["errors"][0]["field"] == "taken_by_id"
    assert not Referral.objects.exists()


def test_it_returns_the_record_and_logs_the_read(counselor, referral):
    response = client_for(counselor).get(f"{BASE}/{referral.pk}")

    assert response.status_code == 200
    assert response.json()["asked_for"] == "Help to find a practice place."
    assert response.json()["phone"] == "+47 900 00 000"
    [log] = ReferralAccessLog.objects.all()
    assert (log.actor, log.what, log.why) == (counselor, "api:referral", "taker")


def test_it_answers_the_same_404_for_hidden_and_missing_referrals(outsider, referral):
    client = client_for(outsider)

    hidden = client.get(f"{BASE}/{referral.pk}", headers=ENGLISH)
    missing = client.get(f"{BASE}/{referral.pk + 1000}", headers=ENGLISH)
    too_big = client.get(f"{BASE}/99999999999999999999999", headers=ENGLISH)

    assert hidden.status_code == missing.status_code == too_big.status_code == 404
    assert (
        hidden.json() == missing.json() == too_big.json() == {"detail": "Not found.", "errors": []}
    )
    assert not ReferralAccessLog.objects.exists()


def test_an_administrator_is_refused_with_a_message(admin, referral):
    response = client_for(admin).get(BASE, headers=ENGLISH)

    assert response.status_code == 403
    assert response.json()["detail"] == "You do not have access to referrals."


def test_it_sets_the_outcome(counselor, referral):
    response = client_for(counselor).post(
        f"{BASE}/{referral.pk}/outcome",
        {"revision": 1, "outcome": "ordinary_work", "outcome_on": "2026-06-20"},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json()["outcome"] == "ordinary_work"
    referral.refresh_from_db()
    assert referral.outcome_on == datetime.date(2026, 6, 20)


def test_a_bad_outcome_is_refused(counselor, referral):
    response = client_for(counselor).post(
        f"{BASE}/{referral.pk}/outcome",
        {"revision": 1, "outcome": "education", "outcome_on": "2025-01-01"},
        content_type="application/json",
        headers=ENGLISH,
    )

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "outcome_on",
            "message": "The outcome cannot be before the referral was received.",
        }
    ]
    referral.refresh_from_db()
    assert referral.outcome == ""


def test_the_statistics_count_by_source_and_outcome(
    leader, counselor, referral, unassigned_referral
):
    from samspill.referrals import services

    services.referral_set_outcome(referral=referral, by=counselor, outcome="other_measure")

    response = client_for(leader).get(
        f"{BASE}/statistics", {"start": "2026-01-01", "end": "2026-12-31"}
    )

    assert response.status_code == 200
    stats = response.json()  # two referrals: every count of them is hidden (test_small_cells)
    assert (stats["total"], stats["suppressed"]) == (None, True)
    assert stats["totals"]["other_measure"] is None
    assert stats["totals"]["ordinary_work"] == 0
    youth = stats["sources"][0]
    assert (youth["source"], youth["total"], youth["counts"]["other_measure"]) == (
        "youth_department",
        None,
        None,
    )


def test_the_statistics_are_for_leaders_and_coordinators(counselor, coordinator, referral):
    assert client_for(coordinator).get(f"{BASE}/statistics").status_code == 200
    response = client_for(counselor).get(f"{BASE}/statistics", headers=ENGLISH)

    assert response.status_code == 403
    assert response.json()["detail"] == "Only leaders and coordinators see the referral statistics."


def test_a_period_that_ends_before_it_starts_is_refused(leader):
    response = client_for(leader).get(
        f"{BASE}/statistics", {"start": "2026-06-01", "end": "2026-01-01"}, headers=ENGLISH
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == "The end must be on or after the start."


def test_the_routes_are_in_the_openapi_document(db):
    paths = Client().get("/api/v1/openapi.json").json()["paths"]

    assert set(paths[BASE]) == {"get", "post"}
    assert "get" in paths[f"{BASE}/statistics"]
    assert "get" in paths[f"{BASE}/{{referral_id}}"]
    assert "post" in paths[f"{BASE}/{{referral_id}}/outcome"]
