"""The follow-up API: who may read and record belief check-ins and change the counselor, what
the routes answer, that bad input changes nothing, and that every read is access-logged."""

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from samspill.accounts.auth import api_token_create, api_token_revoke
from samspill.accounts.models import User
from samspill.audit.models import AccessLog, AuditEvent
from samspill.core.testing import client_for, make_participant
from samspill.followup import services
from samspill.followup.models import BeliefCheckIn
from samspill.organisations.models import Organisation
from samspill.participants import services as participant_services
from samspill.participants.models import CounselorAssignment, FollowUpPeriod, Participant

ENGLISH = {"accept-language": "en"}
DAY = datetime.date(2026, 3, 2)


def checkins_url(participant: Participant) -> str:
    return f"/api/v1/participants/{participant.pk}/checkins"


def assignments_url(participant: Participant) -> str:
    return f"/api/v1/participants/{participant.pk}/assignments"


def post_json(client: Client, url: str, body: object, **extra):
    return client.post(url, json.dumps(body), content_type="application/json", **extra)


def allow_team_view(org: Organisation) -> None:
    org.team_sees_team_participants = True
    org.save(update_fields=["team_sees_team_participants"])


def reassign(participant: Participant, to: User, by: User, **extra) -> CounselorAssignment:
    return participant_services.counselor_assign(
        participant=participant, counselor=to, by=by, reason="caseload_balancing", **extra
    )


# The permission matrix -------------------------------------------------------------------


def call(client: Client, route: str, participant: Participant, new_counselor: User) -> int:
    if route == "read checkins":
        return client.get(checkins_url(participant)).status_code
    if route == "record checkin":
        body = {"belief": 4, "asked_on": "2026-02-02"}
        return post_json(client, checkins_url(participant), body).status_code
    if route == "read assignments":
        return client.get(assignments_url(participant)).status_code
    body = {"counselor_id": new_counselor.pk, "reason": "caseload_balancing"}
    return post_json(client, assignments_url(participant), body).status_code


ROUTES = ("read checkins", "record checkin", "read assignments", "change counselor")
# Who calls (a fixture, and how they authenticate) -> the status for each route in ROUTES.
MATRIX = {
    ("nobody", "anonymous"): (401, 401, 401, 401),
    ("counselor", "session"): (200, 201, 200, 201),
    ("counselor", "token"): (200, 201, 200, 201),
    # The test organisation does not let a team see the team's participants...
    ("colleague", "session"): (404, 404, 404, 404),
    # ...and when it does, a team colleague still never sees or records belief answers.
    ("colleague", "session, team view"): (403, 403, 200, 201),
    ("other_team_counselor", "session, team view"): (404, 404, 404, 404),
    ("leader", "session"): (200, 403, 200, 201),
    ("leader", "token"): (200, 403, 200, 201),
    ("admin", "session"): (403, 403, 403, 403),
    ("admin", "token"): (403, 403, 403, 403),
    ("outsider", "session"): (404, 404, 404, 404),
    ("outsider", "token"): (404, 404, 404, 404),
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
        _token, key = api_token_create(user=user, name="Test integration")
        return Client(headers={"authorization": f"Bearer {key}"})
    if auth == "revoked token":
        token, key = api_token_create(user=user, name="Old integration")
        api_token_revoke(token=token)
        return Client(headers={"authorization": f"Bearer {key}"})
    if auth == "session, team view":
        allow_team_view(request.getfixturevalue("org"))
    return client_for(user)


@pytest.mark.parametrize(("who", "auth", "route", "expected"), CASES)
def test_the_permission_matrix(
    request, participant, other_team_counselor, who, auth, route, expected
):
    client = client_as(request, who, auth)

    assert call(client, route, participant, other_team_counselor) == expected


def test_it_tells_a_team_colleague_why_belief_answers_are_refused(org, colleague, participant):
    allow_team_view(org)

    response = client_for(colleague).get(checkins_url(participant), headers=ENGLISH)

    assert response.status_code == 403
    assert response.json() == {
        "detail": "Only the counselor and leaders see belief check-ins.",
        "errors": [],
    }


def test_it_tells_a_leader_that_only_the_counselor_records(leader, participant):
    body = {"belief": 4, "asked_on": "2026-02-02"}

    response = post_json(client_for(leader), checkins_url(participant), body, headers=ENGLISH)

    assert response.status_code == 403
    assert response.json()["detail"] == "Only the participant's counselor records belief check-ins."
    assert not BeliefCheckIn.objects.exists()


@pytest.mark.parametrize("url", [checkins_url, assignments_url])
def test_it_answers_the_same_404_outside_the_door_as_for_a_missing_id(outsider, participant, url):
    client = client_for(outsider)

    hidden = client.get(url(participant))
    missing = client.get(url(Participant(pk=participant.pk + 1000)))

    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


# Belief check-ins --------------------------------------------------------------------------


def test_it_lists_the_checkins_oldest_first(counselor, participant):
    later = services.checkin_record(
        participant=participant, by=counselor, belief=3, asked_on=DAY, strengthen="Mer praksis"
    ).checkin
    earlier = services.checkin_record(
        participant=participant,
        by=counselor,
        belief=5,
        asked_on=DAY - datetime.timedelta(weeks=6),
        self_belief=4,
    ).checkin

    response = client_for(counselor).get(checkins_url(participant), headers=ENGLISH)

    assert response.status_code == 200
    assert response.json() == [
        {
            "id": earlier.pk,
            "period_id": participant.active_period_id,
            "asked_on": "2026-01-19",
            "belief": 5,
            "belief_label": "Yes, certainly",
            "self_belief": 4,
            "market_belief": None,
            "strengthen": "",
            "counselor_name": counselor.full_name,
        },
        {
            "id": later.pk,
            "period_id": participant.active_period_id,
            "asked_on": "2026-03-02",
            "belief": 3,
            "belief_label": "Unsure",
            "self_belief": None,
            "market_belief": None,
            "strengthen": "Mer praksis",
            "counselor_name": counselor.full_name,
        },
    ]


def test_it_lists_only_this_participants_checkins(org, counselor, participant):
    other = make_participant(org, counselor, given_name="Per")
    services.checkin_record(participant=other, by=counselor, belief=2, asked_on=DAY)

    assert client_for(counselor).get(checkins_url(participant)).json() == []


def test_it_records_a_checkin(counselor, participant):
    body = {
        "belief": 4,
        "asked_on": "2026-02-02",
        "strengthen": "  Arbeidstrening  ",
        "self_belief": 3,
    }

    response = post_json(client_for(counselor), checkins_url(participant), body, headers=ENGLISH)

    assert response.status_code == 201
    checkin = BeliefCheckIn.objects.get()
    assert response.json() == {
        "checkin": {
            "id": checkin.pk,
            "period_id": participant.active_period_id,
            "asked_on": "2026-02-02",
            "belief": 4,
            "belief_label": "Probably",
            "self_belief": 3,
            "market_belief": None,
            "strengthen": "Arbeidstrening",
            "counselor_name": counselor.full_name,
        },
        "suggest_sparring": False,
        "previous_belief": None,
    }
    assert (checkin.counselor, checkin.period_id) == (counselor, participant.active_period_id)
    assert AuditEvent.objects.filter(action="belief.checked_in", actor=counselor).count() == 1


def test_it_suggests_sparring_after_a_lost_belief(counselor, participant):
    services.checkin_record(participant=participant, by=counselor, belief=5, asked_on=DAY)
    body = {"belief": 3, "asked_on": "2026-03-30"}

    response = post_json(client_for(counselor), checkins_url(participant), body)

    assert response.status_code == 201
    assert response.json()["suggest_sparring"] is True
    assert response.json()["previous_belief"] == 5


def test_a_checkin_read_is_not_a_write(counselor, participant):
    client_for(counselor).get(checkins_url(participant))

    assert not BeliefCheckIn.objects.exists()
    assert not AuditEvent.objects.filter(action="belief.checked_in").exists()


GOOD_CHECKIN = {"belief": 4, "asked_on": "2026-02-02"}
BAD_CHECKINS = {
    "belief 0": ({**GOOD_CHECKIN, "belief": 0}, "belief"),
    "belief 6": ({**GOOD_CHECKIN, "belief": 6}, "belief"),
    "belief as words": ({**GOOD_CHECKIN, "belief": "high"}, "belief"),
    "no belief": ({"asked_on": "2026-02-02"}, "belief"),
    "self-belief 0": ({**GOOD_CHECKIN, "self_belief": 0}, "self_belief"),
    "self-belief 6": ({**GOOD_CHECKIN, "self_belief": 6}, "self_belief"),
    "no date": ({"belief": 4}, "asked_on"),
    "February 30th": ({**GOOD_CHECKIN, "asked_on": "2026-02-30"}, "asked_on"),
    "a NUL in strengthen": ({**GOOD_CHECKIN, "strengthen": "a\x00b"}, "strengthen"),
    "strengthen too long": ({**GOOD_CHECKIN, "strengthen": "x" * 10001}, "strengthen"),
}


@pytest.mark.parametrize(("body", "field"), BAD_CHECKINS.values(), ids=BAD_CHECKINS.keys())
def test_bad_checkin_input_changes_nothing(counselor, participant, body, field):
    response = post_json(client_for(counselor), checkins_url(participant), body, headers=ENGLISH)

    assert response.status_code == 422
    assert response.json()["detail"] == "The request is not valid."
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert all(error["message"] for error in response.json()["errors"])
    assert not BeliefCheckIn.objects.exists()
    assert not AuditEvent.objects.filter(action="belief.checked_in").exists()


def test_it_refuses_a_checkin_dated_in_the_future(counselor, participant):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    body = {"belief": 4, "asked_on": tomorrow.isoformat()}

    response = post_json(client_for(counselor), checkins_url(participant), body, headers=ENGLISH)

    assert response.status_code == 422
    assert response.json() == {
        "detail": "The request is not valid.",
        "errors": [{"field": "asked_on", "message": "The date cannot be in the future."}],
    }
    assert not BeliefCheckIn.objects.exists()


def end_period(participant: Participant, by: User) -> None:
    participant_services.period_end(
        participant=participant,
        by=by,
        end_date=DAY,
        outcome=FollowUpPeriod.EndReason.ORDINARY_WORK,
    )


def test_after_the_period_nobody_records_a_checkin(counselor, leader, participant):
    end_period(participant, counselor)

    # The participant leaves the caseload; a leader still sees them, but never records.
    by_counselor = post_json(client_for(counselor), checkins_url(participant), GOOD_CHECKIN)
    by_leader = post_json(client_for(leader), checkins_url(participant), GOOD_CHECKIN)

    assert (by_counselor.status_code, by_leader.status_code) == (404, 403)
    assert not BeliefCheckIn.objects.exists()


# The counselor history ---------------------------------------------------------------------


def test_it_lists_the_counselor_history_across_periods(counselor, colleague, leader, participant):
    first_period = participant.active_period_id
    participant_services.period_end(
        participant=participant,
        by=counselor,
        end_date=DAY,
        outcome=FollowUpPeriod.EndReason.OTHER_MEASURE,
    )
    participant_services.period_start(
        participant=participant, by=leader, counselor=counselor, start_date=DAY
    )
    participant.refresh_from_db()
    second_period = participant.active_period_id
    reassign(participant, colleague, leader, reason_text="Fewer cases", handover_note="Mornings")

    response = client_for(leader).get(assignments_url(participant))

    assert response.status_code == 200
    rows = response.json()
    assert [(row["period_id"], row["counselor_id"], row["reason"]) for row in rows] == [
        (first_period, counselor.pk, "initial"),
        (second_period, counselor.pk, "initial"),
        (second_period, colleague.pk, "caseload_balancing"),
    ]
    assert rows[0]["ended_at"] is not None
    assert rows[1]["ended_at"] is not None
    current = CounselorAssignment.objects.get(counselor=colleague)
    assert rows[2] == {
        "id": current.pk,
        "period_id": second_period,
        "counselor_id": colleague.pk,
        "counselor_name": colleague.full_name,
        "started_at": rows[2]["started_at"],
        "ended_at": None,
        "assigned_by_name": leader.full_name,
        "reason": "caseload_balancing",
        "reason_text": "Fewer cases",
        "handover_note": "Mornings",
    }


@pytest.mark.parametrize(
    ("who", "notes"),
    [
        ("colleague", ["", "Likes mornings"]),  # the counselor now
        ("leader", ["", "Likes mornings"]),
        ("counselor", [None, None]),  # the counselor before, now one of the team
    ],
)
def test_the_handover_note_is_for_the_current_counselor_and_leaders(
    request, org, counselor, colleague, participant, who, notes
):
    allow_team_view(org)
    reassign(participant, colleague, counselor, handover_note="Likes mornings")

    rows = client_for(request.getfixturevalue(who)).get(assignments_url(participant)).json()

    assert [row["handover_note"] for row in rows] == notes


def test_it_changes_the_counselor(counselor, colleague, leader, participant):
    body = {
        "counselor_id": colleague.pk,
        "reason": "participant_wish",
        "reason_text": "  Wants a fresh start  ",
        "handover_note": "Prefers phone calls.",
    }

    response = post_json(client_for(leader), assignments_url(participant), body)

    assert response.status_code == 201
    new = CounselorAssignment.objects.get(ended_at__isnull=True)
    assert response.json() == {
        "assignment": {
            "id": new.pk,
            "period_id": participant.active_period_id,
            "counselor_id": colleague.pk,
            "counselor_name": colleague.full_name,
            "started_at": response.json()["assignment"]["started_at"],
            "ended_at": None,
            "assigned_by_name": leader.full_name,
            "reason": "participant_wish",
            "reason_text": "Wants a fresh start",
            "handover_note": "Prefers phone calls.",
        },
        "changes_in_period": 1,
    }
    participant.refresh_from_db()
    assert participant.counselor == colleague
    assert CounselorAssignment.objects.get(counselor=counselor).ended_at is not None
    assert AuditEvent.objects.filter(action="counselor.assigned", actor=leader).count() == 1


def test_the_counselor_who_hands_over_keeps_no_copy_of_the_note(counselor, colleague, participant):
    body = {"counselor_id": colleague.pk, "reason": "long_leave", "handover_note": "Mornings."}

    response = post_json(client_for(counselor), assignments_url(participant), body)

    assert response.status_code == 201
    assert response.json()["assignment"]["handover_note"] is None
    assert CounselorAssignment.objects.get(counselor=colleague).handover_note == "Mornings."


def test_it_counts_the_changes_in_the_open_period(leader, counselor, colleague, participant):
    reassign(participant, colleague, leader)
    body = {"counselor_id": counselor.pk, "reason": "long_leave"}

    response = post_json(client_for(leader), assignments_url(participant), body)

    assert response.json()["changes_in_period"] == 2


def test_it_refuses_a_change_after_the_period(counselor, colleague, leader, participant):
    end_period(participant, counselor)
    body = {"counselor_id": colleague.pk, "reason": "caseload_balancing"}

    response = post_json(client_for(leader), assignments_url(participant), body, headers=ENGLISH)

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": None, "message": "Start a follow-up period before assigning a counselor."}
    ]
    assert CounselorAssignment.objects.get().counselor == counselor


GOOD_CHANGE = {"reason": "caseload_balancing"}
BAD_CHANGES = {
    "no reason": ({}, "reason", None),
    "reason initial": (
        {"reason": "initial"},
        "reason",
        "“initial” is only for the first counselor in a period: give the reason.",
    ),
    "an unknown reason": ({"reason": "bored"}, "reason", None),
    "other without words": (
        {"reason": "other"},
        "reason_text",
        "Describe the reason when you choose “Other”.",
    ),
    "reason text too long": ({**GOOD_CHANGE, "reason_text": "x" * 301}, "reason_text", None),
    "a NUL in the note": ({**GOOD_CHANGE, "handover_note": "a\x00b"}, "handover_note", None),
}


@pytest.mark.parametrize(
    ("change", "field", "message"), BAD_CHANGES.values(), ids=BAD_CHANGES.keys()
)
def test_bad_change_input_changes_nothing(
    counselor, colleague, participant, change, field, message
):
    body = {"counselor_id": colleague.pk, **change}

    response = post_json(client_for(counselor), assignments_url(participant), body, headers=ENGLISH)

    assert response.status_code == 422
    assert response.json()["detail"] == "The request is not valid."
    errors = response.json()["errors"]
    assert [error["field"] for error in errors] == [field]
    assert errors[0]["message"] == message if message else errors[0]["message"]
    assert_nothing_changed(participant, counselor)


def assert_nothing_changed(participant: Participant, counselor: User) -> None:
    assert CounselorAssignment.objects.count() == 1
    assert CounselorAssignment.objects.get().ended_at is None
    participant.refresh_from_db()
    assert participant.counselor == counselor
    # The one assignment, and its audit event, are the first counselor's.
    assert AuditEvent.objects.filter(action="counselor.assigned").count() == 1


def test_it_refuses_a_counselor_from_another_organisation_as_if_unknown(
    counselor, outsider, participant
):
    client = client_for(counselor)

    foreign = post_json(
        client,
        assignments_url(participant),
        {**GOOD_CHANGE, "counselor_id": outsider.pk},
        headers=ENGLISH,
    )
    unknown = post_json(
        client,
        assignments_url(participant),
        {**GOOD_CHANGE, "counselor_id": outsider.pk + 999},
        headers=ENGLISH,
    )

    assert foreign.status_code == unknown.status_code == 422
    assert (
        foreign.json()
        == unknown.json()
        == {
            "detail": "The request is not valid.",
            "errors": [
                {"field": "counselor_id", "message": "Choose a counselor in your organisation."}
            ],
        }
    )
    assert_nothing_changed(participant, counselor)


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("admin", "This person cannot follow participants in this organisation."),
        ("counselor", "Counselor is already the counselor."),
    ],
)
def test_it_refuses_someone_who_cannot_take_over(request, counselor, participant, who, message):
    body = {**GOOD_CHANGE, "counselor_id": request.getfixturevalue(who).pk}

    response = post_json(client_for(counselor), assignments_url(participant), body, headers=ENGLISH)

    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "counselor_id", "message": message}]
    assert_nothing_changed(participant, counselor)


@pytest.mark.parametrize("counselor_id", [0, -1, 10**30, "abc", None])
def test_it_refuses_a_counselor_id_that_is_not_an_id(counselor, participant, counselor_id):
    body = {**GOOD_CHANGE, "counselor_id": counselor_id}

    response = post_json(client_for(counselor), assignments_url(participant), body)

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["counselor_id"]
    assert_nothing_changed(participant, counselor)


# The access log and the OpenAPI document -------------------------------------------------


@pytest.mark.parametrize(
    ("url", "what"), [(checkins_url, "api:checkins"), (assignments_url, "api:assignments")]
)
@pytest.mark.parametrize(("who", "why"), [("counselor", "counselor"), ("leader", "leader")])
def test_a_read_writes_one_access_log_row(request, participant, url, what, who, why):
    user = request.getfixturevalue(who)

    client_for(user).get(url(participant))

    log = AccessLog.objects.get()
    assert (log.actor, log.participant, log.what, log.why) == (user, participant, what, why)


def test_a_team_read_of_the_history_is_logged_as_team(org, colleague, participant):
    allow_team_view(org)

    client_for(colleague).get(assignments_url(participant))

    assert AccessLog.objects.get().why == "team"


@pytest.mark.parametrize("url", [checkins_url, assignments_url])
@pytest.mark.parametrize("who", ["colleague", "admin", "outsider"])
def test_a_refused_read_writes_no_access_log(request, participant, url, who):
    client_for(request.getfixturevalue(who)).get(url(participant))

    assert not AccessLog.objects.exists()


def test_a_belief_read_refused_to_the_team_writes_no_access_log(org, colleague, participant):
    allow_team_view(org)

    client_for(colleague).get(checkins_url(participant))

    assert not AccessLog.objects.exists()


def test_writes_are_not_logged_as_reads(counselor, colleague, participant):
    client = client_for(counselor)
    post_json(client, checkins_url(participant), GOOD_CHECKIN)
    post_json(client, assignments_url(participant), {**GOOD_CHANGE, "counselor_id": colleague.pk})

    assert not AccessLog.objects.exists()


def test_the_openapi_document_lists_the_follow_up_routes(db):
    document = Client().get("/api/v1/openapi.json").json()

    paths = document["paths"]
    checkins = paths["/api/v1/participants/{participant_id}/checkins"]
    assignments = paths["/api/v1/participants/{participant_id}/assignments"]
    assert set(checkins) == set(assignments) == {"get", "post"}
    assert checkins["get"]["tags"] == ["follow-up"]
    assert set(checkins["post"]["responses"]) == {"201", "400", "401", "403", "404", "422", "429"}
    schemas = document["components"]["schemas"]
    assert {"CheckInIn", "CheckInCreated", "AssignmentIn", "AssignmentCreated"} <= set(schemas)
