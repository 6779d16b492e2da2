"""The measures and apprenticeship offices over the API (issue 22): staff read the catalogue,
only an administrator rewrites it (a stale revision is a 409), only staff who follow
participants list the offices."""

import json

import pytest

from samspill.core.testing import client_for

pytestmark = pytest.mark.django_db
WORDS = {
    "name": "Lønnstilskudd",
    "what": "Kort forklart.",
    "who": "Unge.",
    "employer_gets": "Del av lønnen.",
    "how_long": "Ett år.",
}


def put(user, body):
    return client_for(user).put(
        "/api/v1/catalogue/measures/wage_subsidy", json.dumps(body), content_type="application/json"
    )


def test_staff_read_the_catalogue_and_only_the_administrator_rewrites_it(counselor, admin):
    listed = client_for(counselor).get("/api/v1/catalogue/measures")
    assert listed.status_code == 200
    assert [m["key"] for m in listed.json()][:2] == ["wage_subsidy", "mentor_grant"]
    assert put(counselor, WORDS).status_code == 403
    saved = put(admin, WORDS)
    assert saved.status_code == 200 and saved.json()["revision"] == 1
    assert put(admin, {**WORDS, "revision": 0}).status_code == 409
    assert put(admin, {**WORDS, "what": "", "revision": 1}).status_code == 422


def test_the_offices_are_for_staff_who_follow_participants(counselor, admin, mentor):
    assert client_for(counselor).get("/api/v1/catalogue/apprenticeship-offices").json() == []
    assert client_for(admin).get("/api/v1/catalogue/apprenticeship-offices").status_code == 403
    assert client_for(mentor).get("/api/v1/catalogue/apprenticeship-offices").status_code == 403
