"""The API's input rules, shared by every router: ids are bounded whole numbers, dates are
"YYYY-MM-DD", yes/no is true or false, a body that is not JSON is a 400; and the OpenAPI
document names every answer a route can give."""

import pytest
from django.test import Client

from samspill.core.testing import client_for
from samspill.employers.models import IntentionAgreement
from samspill.referrals.models import Referral

ENGLISH = {"accept-language": "en"}
REFERRAL = {
    "source": "introduction_programme",
    "received_on": "2026-04-01",
    "given_name": "Olena",
    "family_name": "Kovalenko",
    "asked_for": "Norwegian course and work practice.",
}
NOT_DATES = ["abc", "0", "2026-13-45", "2026-01-01T00:00", "2026-01-01T00:00:00Z", "20260101"]


@pytest.mark.parametrize("value", NOT_DATES)
def test_a_query_date_that_is_not_a_day_is_a_422(leader, value):
    client = client_for(leader)

    for url in (
        f"/api/v1/referrals?received_to={value}",
        f"/api/v1/referrals/statistics?start={value}",
        f"/api/v1/follow-up/continuity?start={value}",
    ):
        response = client.get(url, headers=ENGLISH)
        assert response.status_code == 422, url
        assert response.json()["errors"][0]["field"] in ("received_to", "start")


def test_a_bad_date_is_refused_in_words(leader):
    response = client_for(leader).get("/api/v1/referrals?received_to=abc", headers=ENGLISH)

    assert response.json()["errors"] == [
        {"field": "received_to", "message": "Enter a date as YYYY-MM-DD."}
    ]


@pytest.mark.parametrize("value", ["notadate", 0, 20260101, "2026-02-30", "2001-01-01T00:00"])
def test_a_body_date_that_is_not_a_day_is_a_422_and_nothing_is_written(counselor, value):
    response = client_for(counselor).post(
        "/api/v1/referrals",
        {**REFERRAL, "birth_date": value},
        content_type="application/json",
        headers=ENGLISH,
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "birth_date"
    assert not Referral.objects.exists()


@pytest.mark.parametrize("value", ["yes", "1", "on", "maybe", "True"])
def test_a_query_yes_or_no_is_true_or_false_only(counselor, value):
    response = client_for(counselor).get(f"/api/v1/referrals?mine={value}", headers=ENGLISH)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "mine"


@pytest.mark.parametrize("value", ["+5", " 5", "5.0", "5_0", "1e1"])
def test_a_query_number_is_plain_digits(counselor, value):
    response = client_for(counselor).get(f"/api/v1/referrals?limit={value}", headers=ENGLISH)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "limit"


def test_true_and_false_are_read_in_a_query(counselor):
    client = client_for(counselor)

    assert client.get("/api/v1/referrals?mine=true&no_outcome=false").status_code == 200


def test_a_path_id_that_is_not_a_number_is_a_422_and_one_too_big_a_404(counselor):
    client = client_for(counselor)

    assert client.get("/api/v1/referrals/1.5").status_code == 422
    assert client.get(f"/api/v1/referrals/{2**64}").status_code == 404


def test_a_body_that_is_not_json_is_a_400_in_json(counselor):
    response = client_for(counselor).post(
        "/api/v1/referrals", "{not json", content_type="application/json", headers=ENGLISH
    )

    assert response.status_code == 400
    assert response.json() == {"detail": "The request body is not valid JSON.", "errors": []}


def test_the_openapi_document_names_every_answer_of_every_route(db):
    document = Client().get("/api/v1/openapi.json").json()

    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            answers = set(operation["responses"])
            assert {"400", "401", "403", "422", "429"} <= answers, (method, path)
            error = operation["responses"]["422"]["content"]["application/json"]["schema"]
            assert error == {"$ref": "#/components/schemas/Error"}


def test_the_openapi_document_gives_ids_their_range_and_dates_their_format(db):
    document = Client().get("/api/v1/openapi.json").json()
    formation = document["paths"]["/api/v1/loops/gatherings/{gathering_id}/formation"]["post"]
    body = formation["requestBody"]["content"]["application/json"]["schema"]
    schemas = document["components"]["schemas"]

    loop_ids = schemas[body["$ref"].rsplit("/", 1)[1]]["properties"]["loop_ids"]
    assert loop_ids["items"] == {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}
    path = {p["name"]: p["schema"] for p in formation["parameters"]}["gathering_id"]
    assert (path["type"], path["minimum"], path["maximum"]) == ("integer", 1, 2**63 - 1)
    referrals = document["paths"]["/api/v1/referrals"]["get"]["parameters"]
    received_to = next(p for p in referrals if p["name"] == "received_to")["schema"]
    assert {"type": "string", "format": "date"} in received_to.get("anyOf", [received_to])


@pytest.mark.parametrize("body", ["[]", "null", "true", "0", '"text"'])
def test_a_body_that_is_json_but_no_object_is_a_400_and_writes_nothing(counselor, employer, body):
    response = client_for(counselor).post(
        f"/api/v1/employers/{employer.pk}/agreements",
        body,
        content_type="application/json",
        headers=ENGLISH,
    )

    assert response.status_code == 400
    assert response.json() == {"detail": "The request body must be a JSON object.", "errors": []}
    assert not IntentionAgreement.objects.exists()
