"""The plans API: notes and activities are created through the services, bad input changes
nothing and is answered in JSON."""

import datetime
import json

import pytest

from samspill.audit.models import AuditEvent
from samspill.core.testing import client_for, make_participant
from samspill.employers.models import Employer
from samspill.participants.models import Participant
from samspill.plans import services
from samspill.plans.models import Activity, Note

ENGLISH = {"accept-language": "en"}


def notes_url(participant: Participant) -> str:
    return f"/api/v1/participants/{participant.pk}/notes"


def activities_url(participant: Participant) -> str:
    return f"/api/v1/participants/{participant.pk}/activities"


def post_json(client, url: str, body: object, **extra):
    return client.post(url, json.dumps(body), content_type="application/json", **extra)


def test_it_adds_a_note(counselor, participant):
    body = {
        "kind": "phone",
        "text": "  Called about the interview.  ",
        "occurred_on": "2026-02-02",
        "next_follow_up_on": "2026-02-16",
    }

    response = post_json(client_for(counselor), notes_url(participant), body)

    assert response.status_code == 201
    note = Note.objects.get()
    assert response.json() == {
        "id": note.pk,
        "participant_id": participant.pk,
        "kind": "phone",
        "text": "Called about the interview.",
        "occurred_on": "2026-02-02",
        "author_id": counselor.pk,
        "created_at": response.json()["created_at"],
    }
    participant.refresh_from_db()
    assert participant.last_contact_on == datetime.date(2026, 2, 2)
    assert participant.next_follow_up_on == datetime.date(2026, 2, 16)
    assert AuditEvent.objects.filter(action="note.added", actor=counselor).count() == 1


def test_a_note_is_a_conversation_unless_told(counselor, participant):
    body = {"text": "Talked.", "occurred_on": "2026-02-02"}

    response = post_json(client_for(counselor), notes_url(participant), body)

    assert response.json()["kind"] == "conversation"


def test_it_adds_an_activity(org, counselor, participant):
    goal = services.goal_add(participant=participant, by=counselor, title="Find work training")
    employer = Employer.objects.create(organisation=org, name="Bakeriet", org_number="974760673")
    body = {
        "kind": "work_training",
        "title": "Work training at the bakery",
        "due_date": "2026-03-01",
        "status": "in_progress",
        "goal_id": goal.pk,
        "employer_id": employer.pk,
    }

    response = post_json(client_for(counselor), activities_url(participant), body)

    assert response.status_code == 201
    activity = Activity.objects.get()
    assert (activity.goal, activity.employer, activity.created_by) == (goal, employer, counselor)
    assert response.json()["id"] == activity.pk
    assert response.json()["status"] == "in_progress"
    assert response.json()["goal_id"] == goal.pk


def test_it_refuses_another_participants_goal_as_if_it_did_not_exist(org, counselor, participant):
    other = make_participant(org, counselor, given_name="Per")
    goal = services.goal_add(participant=other, by=counselor, title="Not yours")
    body = {"kind": "meeting", "title": "Meeting", "due_date": "2026-03-01"}

    response = post_json(
        client_for(counselor), activities_url(participant), {**body, "goal_id": goal.pk}
    )
    missing = post_json(
        client_for(counselor), activities_url(participant), {**body, "goal_id": goal.pk + 99}
    )

    assert response.status_code == missing.status_code == 422
    assert response.json() == missing.json()
    assert response.json()["errors"][0]["field"] == "goal_id"
    assert not Activity.objects.exists()


def test_it_refuses_another_organisations_employer(other_org, counselor, participant):
    employer = Employer.objects.create(organisation=other_org, name="Elsewhere", org_number="1")
    body = {"kind": "meeting", "title": "Meeting", "due_date": "2026-03-01"}

    response = post_json(
        client_for(counselor), activities_url(participant), {**body, "employer_id": employer.pk}
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "employer_id"
    assert not Activity.objects.exists()


def test_it_explains_a_service_refusal_per_field(counselor, participant):
    body = {"text": "Talked.", "occurred_on": "2026-02-02", "next_follow_up_on": "2026-01-01"}

    response = post_json(client_for(counselor), notes_url(participant), body, headers=ENGLISH)

    assert response.status_code == 422
    assert response.json() == {
        "detail": "The request is not valid.",
        "errors": [
            {
                "field": "next_follow_up_on",
                "message": "The next follow-up cannot be before the note's date.",
            }
        ],
    }


def test_it_explains_schema_errors_per_field(counselor, participant):
    body = {"kind": "letter", "text": 5, "occurred_on": "2026-02-30"}

    response = post_json(client_for(counselor), notes_url(participant), body, headers=ENGLISH)

    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "The request is not valid."
    assert [error["field"] for error in body["errors"]] == ["kind", "text", "occurred_on"]
    assert all(error["message"] for error in body["errors"])


GOOD_NOTE = {"kind": "phone", "text": "Called.", "occurred_on": "2026-02-02"}
BAD_NOTES = {
    "malformed JSON": "{not json",
    "a list": "[]",
    "an empty body": "",
    "no text": json.dumps({**GOOD_NOTE, "text": None}),
    "a blank text": json.dumps({**GOOD_NOTE, "text": "   "}),
    "a number as text": json.dumps({**GOOD_NOTE, "text": 12}),
    "a NUL in the text": json.dumps({**GOOD_NOTE, "text": "a\x00b"}),
    "a lone surrogate": '{"kind": "phone", "text": "\\ud800", "occurred_on": "2026-02-02"}',
    "a text too long": json.dumps({**GOOD_NOTE, "text": "x" * 10001}),
    "an unknown kind": json.dumps({**GOOD_NOTE, "kind": "telepathy"}),
    "February 30th": json.dumps({**GOOD_NOTE, "occurred_on": "2026-02-30"}),
    "a date as words": json.dumps({**GOOD_NOTE, "occurred_on": "yesterday"}),
    "a follow-up before the note": json.dumps({**GOOD_NOTE, "next_follow_up_on": "2026-01-01"}),
}


@pytest.mark.parametrize("body", BAD_NOTES.values(), ids=BAD_NOTES.keys())
def test_bad_input_changes_nothing(counselor, participant, body):
    response = client_for(counselor).post(
        notes_url(participant), body, content_type="application/json"
    )

    assert response.status_code in (400, 422)
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]
    assert not Note.objects.exists()
    assert not AuditEvent.objects.filter(action="note.added").exists()
    participant.refresh_from_db()
    assert participant.last_contact_on is None


def test_it_answers_malformed_json_with_400(counselor, participant):
    response = client_for(counselor).post(
        notes_url(participant), "{not json", content_type="application/json", headers=ENGLISH
    )

    assert response.status_code == 400
    assert response.json() == {"detail": "The request body is not valid JSON.", "errors": []}


@pytest.mark.parametrize(
    "change",
    [
        {"kind": "knitting"},
        {"status": "maybe"},
        {"due_date": "2026-13-01"},
        {"title": ""},
        {"title": "x" * 201},
        {"goal_id": 10**30},
        {"employer_id": -1},
    ],
)
def test_bad_activity_input_changes_nothing(counselor, participant, change):
    body = {"kind": "meeting", "title": "Meeting", "due_date": "2026-03-01", **change}

    response = post_json(client_for(counselor), activities_url(participant), body)

    assert response.status_code == 422
    assert response.json()["errors"]
    assert not Activity.objects.exists()


def test_a_body_too_large_is_a_json_400(counselor, participant, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = {**GOOD_NOTE, "text": "x" * 2000}

    response = post_json(client_for(counselor), notes_url(participant), body)

    assert response.status_code == 400
    assert response.json()["detail"]
    assert not Note.objects.exists()


def test_a_write_outside_the_door_changes_nothing(outsider, participant):
    response = post_json(client_for(outsider), notes_url(participant), GOOD_NOTE)

    assert response.status_code == 404
    assert not Note.objects.exists()
