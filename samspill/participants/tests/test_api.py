"""The participants API: who may call which route, the list, the record and its access log."""

import datetime

import pytest
from django.test import Client

from samspill.accounts.auth import api_token_create, api_token_revoke
from samspill.accounts.models import User
from samspill.audit.models import AccessLog
from samspill.core.testing import client_for, make_participant
from samspill.participants import services
from samspill.participants.models import ConsentRecord, FollowUpPeriod, Participant

ENGLISH = {"accept-language": "en"}


def bearer_client(user: User) -> Client:
    _token, key = api_token_create(user=user, name="Test integration")
    return Client(headers={"authorization": f"Bearer {key}"})


def revoked_bearer_client(user: User) -> Client:
    token, key = api_token_create(user=user, name="Old integration")
    api_token_revoke(token=token)
    return Client(headers={"authorization": f"Bearer {key}"})


def call(client: Client, route: str, participant: Participant) -> int:
    url = f"/api/v1/participants/{participant.pk}"
    if route == "list":
        return client.get("/api/v1/participants").status_code
    if route == "detail":
        return client.get(url).status_code
    if route == "note":
        body = {"kind": "phone", "text": "Called about the interview.", "occurred_on": "2026-02-02"}
        return client.post(f"{url}/notes", body, content_type="application/json").status_code
    body = {"kind": "meeting", "title": "Meet the employer", "due_date": "2026-02-10"}
    return client.post(f"{url}/activities", body, content_type="application/json").status_code


ROUTES = ("list", "detail", "note", "activity")
# Who calls (a fixture, and how they authenticate) -> the status for each route in ROUTES.
MATRIX = {
    ("nobody", "anonymous"): (401, 401, 401, 401),
    ("counselor", "session"): (200, 200, 201, 201),
    ("counselor", "token"): (200, 200, 201, 201),
    # The test organisation does not let a team see the team's participants.
    ("colleague", "session"): (200, 404, 404, 404),
    ("other_team_counselor", "session"): (200, 404, 404, 404),
    ("leader", "session"): (200, 200, 201, 201),
    ("leader", "token"): (200, 200, 201, 201),
    ("admin", "session"): (403, 403, 403, 403),
    ("admin", "token"): (403, 403, 403, 403),
    ("outsider", "session"): (200, 404, 404, 404),
    ("outsider", "token"): (200, 404, 404, 404),
    ("counselor", "revoked token"): (401, 401, 401, 401),
}
CASES = [
    (who, auth, route, status)
    for (who, auth), statuses in MATRIX.items()
    for route, status in zip(ROUTES, statuses, strict=True)
]


def client_as(request: pytest.FixtureRequest, who: str, auth: str) -> Client:
    if who == "nobody":
        return Client()
    user = request.getfixturevalue(who)
    if auth == "token":
        return bearer_client(user)
    if auth == "revoked token":
        return revoked_bearer_client(user)
    return client_for(user)


@pytest.mark.parametrize(("who", "auth", "route", "expected"), CASES)
def test_the_permission_matrix(request, participant, who, auth, route, expected):
    client = client_as(request, who, auth)

    assert call(client, route, participant) == expected


def test_it_answers_404_in_json_for_a_participant_outside_the_door(outsider, participant):
    response = client_for(outsider).get(f"/api/v1/participants/{participant.pk}", headers=ENGLISH)

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "errors": []}


def test_it_answers_the_same_404_for_an_id_that_does_not_exist(outsider, participant):
    hidden = client_for(outsider).get(f"/api/v1/participants/{participant.pk}")
    missing = client_for(outsider).get(f"/api/v1/participants/{participant.pk + 1000}")
    too_big = client_for(outsider).get("/api/v1/participants/99999999999999999999999")

    assert hidden.json() == missing.json() == too_big.json()
    assert hidden.status_code == missing.status_code == too_big.status_code == 404


def test_it_answers_403_to_an_administrator_with_a_message(admin, participant):
    response = client_for(admin).get("/api/v1/participants", headers=ENGLISH)

    assert response.status_code == 403
    assert response.json()["detail"] == "You do not have access to participants."


def test_it_lists_the_counselors_participants(counselor, team_a, participant):
    response = client_for(counselor).get("/api/v1/participants")

    assert response.status_code == 200
    assert response.json() == {
        "count": 1,
        "items": [
            {
                "id": participant.pk,
                "given_name": "Kari",
                "family_name": "Nordmann",
                "birth_date": None,
                "counselor_name": counselor.full_name,
                "team_name": team_a.name,
                "next_follow_up_on": None,
                "last_contact_on": None,
                "active": True,
            }
        ],
    }


def test_it_hides_other_organisations_participants(outsider, participant, other_participant):
    items = client_for(outsider).get("/api/v1/participants").json()["items"]

    assert [item["id"] for item in items] == [other_participant.pk]


def test_it_hides_a_colleagues_participants(colleague, participant):
    assert client_for(colleague).get("/api/v1/participants").json() == {"count": 0, "items": []}


def test_it_lists_the_whole_organisation_for_a_leader(org, leader, colleague, participant):
    make_participant(org, colleague, given_name="Per", family_name="Annen")

    response = client_for(leader).get("/api/v1/participants")

    assert response.json()["count"] == 2


def test_it_searches_names_like_the_caseload(org, counselor, participant):
    make_participant(org, counselor, given_name="Ola", family_name="Nordby")
    make_participant(org, counselor, given_name="Anne", family_name="Kari")
    client = client_for(counselor)

    def names(q: str) -> list[str]:
        items = client.get("/api/v1/participants", {"q": q}).json()["items"]
        return [f"{item['given_name']} {item['family_name']}" for item in items]

    assert names("nord") == ["Ola Nordby", "Kari Nordmann"]
    assert names("kari") == ["Anne Kari", "Kari Nordmann"]
    assert names("kari nordm") == ["Kari Nordmann"]
    assert names("ari") == []


def test_it_filters_by_status(org, counselor, leader, participant):
    ended = make_participant(org, counselor, given_name="Ended", family_name="Person")
    services.period_end(
        participant=ended,
        by=counselor,
        end_date=datetime.date(2026, 3, 1),
        outcome=FollowUpPeriod.EndReason.ORDINARY_WORK,
    )
    # A leader sees every participant in the organisation, with or without an open period.
    client = client_for(leader)

    def ids(status: str) -> set[int]:
        items = client.get("/api/v1/participants", {"status": status}).json()["items"]
        return {item["id"] for item in items}

    assert ids("active") == {participant.pk}
    assert ids("ended") == {ended.pk}
    assert ids("all") == {participant.pk, ended.pk}


def test_it_pages_with_limit_and_offset(org, counselor):
    for number in range(7):
        make_participant(org, counselor, given_name=f"P{number}", family_name="Page")
    client = client_for(counselor)

    first = client.get("/api/v1/participants", {"limit": 3}).json()
    last = client.get("/api/v1/participants", {"limit": 3, "offset": 6}).json()
    beyond = client.get("/api/v1/participants", {"offset": 10**30}).json()

    assert first["count"] == last["count"] == beyond["count"] == 7
    assert [item["given_name"] for item in first["items"]] == ["P0", "P1", "P2"]
    assert [item["given_name"] for item in last["items"]] == ["P6"]
    assert beyond["items"] == []


def test_it_pages_25_by_default(org, counselor):
    for number in range(27):
        make_participant(org, counselor, given_name=f"P{number:02}", family_name="Page")

    response = client_for(counselor).get("/api/v1/participants")

    assert len(response.json()["items"]) == 25


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"limit": 101}, "limit"),
        ({"limit": 10**40}, "limit"),
        ({"limit": 0}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"offset": -1}, "offset"),
        ({"status": "deleted"}, "status"),
        ({"q": "a\x00b"}, "q"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_it_rejects_bad_list_parameters_with_422(counselor, participant, query, field):
    response = client_for(counselor).get("/api/v1/participants", query)

    assert response.status_code == 422
    body = response.json()
    assert body["detail"]
    assert [error["field"] for error in body["errors"]] == [field]


def test_it_rejects_a_participant_id_that_is_not_a_number(counselor):
    response = client_for(counselor).get("/api/v1/participants/abc")

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "participant_id"


@pytest.mark.parametrize("limit", [10, 50])
def test_the_list_runs_the_same_queries_whatever_the_page_size(
    org, counselor, limit, django_assert_num_queries
):
    for number in range(60):
        make_participant(org, counselor, given_name=f"P{number:02}", family_name="Many")
    client = client_for(counselor)

    # Session, user, membership, count, page: the page's counselor and team are joined in.
    with django_assert_num_queries(5):
        response = client.get("/api/v1/participants", {"limit": limit})

    assert len(response.json()["items"]) == limit


def test_it_returns_the_record(counselor, team_a, participant):
    Participant.objects.filter(pk=participant.pk).update(
        dreams="Work with animals", need_group="needs_guidance", preferred_language="en"
    )

    response = client_for(counselor).get(f"/api/v1/participants/{participant.pk}")

    assert response.status_code == 200
    record = response.json()
    assert record["id"] == participant.pk
    assert record["dreams"] == "Work with animals"
    assert record["need_group"] == "needs_guidance"
    assert record["preferred_language"] == "en"
    assert record["needs"] == "Sensitive health detail"
    assert record["counselor"] == {
        "id": counselor.pk,
        "name": counselor.full_name,
        "email": counselor.email,
    }
    assert record["team"] == {"id": team_a.pk, "name": "Team A"}
    assert record["active"] is True
    assert "national_id" not in record


def test_the_record_lists_only_current_consents(counselor, participant):
    kept = services.consent_give(
        participant=participant,
        by=counselor,
        recipient=ConsentRecord.Recipient.NAV,
        information=ConsentRecord.Information.PLAN,
    )
    withdrawn = services.consent_give(
        participant=participant,
        by=counselor,
        recipient=ConsentRecord.Recipient.WORKPLACE,
        information=ConsentRecord.Information.CONTACT,
    )
    services.consent_withdraw(consent=withdrawn, by=counselor)

    record = client_for(counselor).get(f"/api/v1/participants/{participant.pk}").json()

    assert [consent["id"] for consent in record["consents"]] == [kept.pk]
    assert record["consents"][0]["recipient"] == "nav"
    assert record["consents"][0]["information"] == "plan"


@pytest.mark.parametrize(("who", "why"), [("counselor", "counselor"), ("leader", "leader")])
def test_a_read_writes_one_access_log_row(request, participant, who, why):
    user = request.getfixturevalue(who)

    client_for(user).get(f"/api/v1/participants/{participant.pk}")

    log = AccessLog.objects.get()
    assert (log.actor, log.participant, log.what, log.why) == (
        user,
        participant,
        "api:participant",
        why,
    )


def test_a_token_read_is_logged_as_the_tokens_user(counselor, participant):
    bearer_client(counselor).get(f"/api/v1/participants/{participant.pk}")

    assert AccessLog.objects.get().actor == counselor


@pytest.mark.parametrize("who", ["colleague", "admin", "outsider"])
def test_a_refused_read_writes_no_access_log(request, participant, who):
    client_for(request.getfixturevalue(who)).get(f"/api/v1/participants/{participant.pk}")

    assert not AccessLog.objects.exists()


def test_the_list_writes_no_access_log(counselor, participant):
    client_for(counselor).get("/api/v1/participants")

    assert not AccessLog.objects.exists()


def test_the_openapi_document_lists_every_route(db):
    response = Client().get("/api/v1/openapi.json")

    assert response.status_code == 200
    document = response.json()
    paths = document["paths"]
    assert set(paths["/api/v1/participants"]) == {"get"}
    assert set(paths["/api/v1/participants/{participant_id}"]) == {"get"}
    assert set(paths["/api/v1/participants/{participant_id}/notes"]) == {"post"}
    assert set(paths["/api/v1/participants/{participant_id}/activities"]) == {"post"}
    schemas = document["components"]["schemas"]
    assert {"ParticipantPage", "ParticipantDetail", "NoteIn", "ActivityIn", "Error"} <= set(schemas)
    assert set(document["components"]["securitySchemes"]) == {"BearerTokenAuth", "SessionAuth"}


def test_every_enum_in_the_openapi_document_is_its_own_fields(db):
    """Several models have a `Kind`, a `Status` or a `Reason`: each field lists its own values,
    and no two different enums share one named schema."""
    from samspill.employers.models import ContactPersonChange, IntentionAgreement, OutreachActivity
    from samspill.participants.models import CounselorAssignment
    from samspill.plans.models import Activity, Note

    schemas = Client().get("/api/v1/openapi.json").json()["components"]["schemas"]

    def values(schema: str, field: str) -> list[str]:
        prop = schemas[schema]["properties"][field]
        if "$ref" in prop:
            prop = schemas[prop["$ref"].rsplit("/", 1)[1]]
        return prop["enum"]

    assert values("NoteIn", "kind") == Note.Kind.values
    assert values("ActivityIn", "kind") == Activity.Kind.values
    assert values("ActivityIn", "status") == Activity.Status.values
    assert values("OutreachIn", "kind") == OutreachActivity.Kind.values
    assert values("AgreementIn", "status") == IntentionAgreement.Status.values
    assert values("ContactPersonIn", "reason") == ContactPersonChange.Reason.values
    assert values("AssignmentIn", "reason") == CounselorAssignment.Reason.values
    assert not {"Kind", "Status", "Reason"} & set(schemas)
