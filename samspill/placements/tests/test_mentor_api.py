"""The placements API's mentor side (mentor_api.py): the arrangement and the monthly record,
the 409 of a stale write, and the door: portal users 403, other organisations and counselors
404, and the challenges and social side on follow-ups and evaluations."""

import datetime

import pytest

from samspill.accounts.models import User
from samspill.core.testing import PASSWORD, client_for
from samspill.placements.models import MentorMonth
from samspill.placements.tests.cast import at

pytestmark = pytest.mark.usefixtures("clock")

APRIL = datetime.date(2026, 4, 15)
ARRANGEMENT = {
    "chosen_with_employer": True,
    "chosen_on": "2026-02-20",
    "why": "Works beside the oven",
    "hours_per_week": "3",
    "compensation": "mentor_grant",
    "rate": "NOK 2,000 a month",
    "paid_by": "NAV",
}


def put(client, path, body):
    return client.put(path, body, content_type="application/json")


def test_the_counselor_records_the_arrangement_and_a_month(
    approved, counselor, employer_contact, time_machine, django_assert_max_num_queries
):
    time_machine.move_to(at(APRIL), tick=False)
    client = client_for(counselor)
    base = f"/api/v1/placements/{approved.pk}/mentor"
    saved = put(client, f"{base}/arrangement", {**ARRANGEMENT, "leader_id": employer_contact.pk})
    assert saved.status_code == 200, saved.json()
    assert saved.json()["leader"]["name"] == "Eirik Eier"
    stale = put(client, f"{base}/arrangement", {**ARRANGEMENT, "revision": 5})
    assert stale.status_code == 409
    month = put(client, f"{base}/months", {"month": "2026-04-03", "hours": "6", "note": "Ovn"})
    assert month.json()["month"] == "2026-04-01"
    again = put(client, f"{base}/months", {"month": "2026-04-20", "hours": "7", "revision": 0})
    assert again.json()["revision"] == 1
    assert put(client, f"{base}/months", {"month": "2026-04-20", "hours": "8"}).status_code == 409
    with django_assert_max_num_queries(12):
        body = client.get(base).json()
    assert body["total_hours"] == "7.0" or float(body["total_hours"]) == 7
    assert body["arrangement"]["compensation"] == "mentor_grant"


def test_a_leader_at_another_employer_is_refused(
    approved, counselor, other_employer, outsider, time_machine
):
    from samspill.employers.services import contact_add

    stranger = contact_add(employer=other_employer, by=outsider, name="X", phone="12345678")
    response = put(
        client_for(counselor),
        f"/api/v1/placements/{approved.pk}/mentor/arrangement",
        {**ARRANGEMENT, "leader_id": stranger.pk},
    )
    assert response.status_code == 422


def test_the_door_refuses_everyone_else(
    approved, participant, outsider, other_team_counselor, mentor, employer_user, time_machine
):
    time_machine.move_to(at(APRIL), tick=False)
    account = User.objects.create_user(
        email="kari@example.org", password=PASSWORD, full_name="Kari"
    )
    participant.portal_user = account
    participant.save(update_fields=["portal_user"])
    base = f"/api/v1/placements/{approved.pk}/mentor"
    expected = {outsider: 404, other_team_counselor: 404, mentor: 403, employer_user: 403}
    expected[account] = 403
    for user, status in expected.items():
        client = client_for(user)
        assert client.get(base).status_code == status, user
        month = put(client, f"{base}/months", {"month": "2026-04-01", "hours": "1"})
        assert month.status_code == status, user
        assert put(client, f"{base}/arrangement", ARRANGEMENT).status_code == status
    assert not MentorMonth.objects.exists()


def test_follow_ups_and_evaluations_carry_challenges_and_the_social_side(
    approved, counselor, time_machine
):
    time_machine.move_to(at(APRIL), tick=False)
    client = client_for(counselor)
    base = f"/api/v1/placements/{approved.pk}"
    follow_up = client.post(
        f"{base}/follow-ups",
        {
            "held_on": "2026-04-15",
            "going": "mixed",
            "counselor_present": True,
            "challenges": ["social", "language"],
        },
        content_type="application/json",
    )
    assert follow_up.status_code == 201, follow_up.json()
    assert follow_up.json()["challenges"] == ["language", "social"]
    evaluation = put(
        client,
        f"{base}/evaluations/midway",
        {
            "held_on": "2026-04-15",
            "tasks_mastered": "Deig",
            "attendance": "good",
            "cooperation": "good",
            "challenges": ["practical"],
            "functions_socially": "good",
            "feels_recognised": "variable",
            "enjoys_work": "very_good",
        },
    )
    assert evaluation.status_code == 200, evaluation.json()
    assert evaluation.json()["enjoys_work"] == "very_good"
    bad = put(
        client,
        f"{base}/evaluations/midway",
        {
            "held_on": "2026-04-15",
            "tasks_mastered": "Deig",
            "attendance": "good",
            "cooperation": "good",
            "challenges": ["boredom"],
        },
    )
    assert bad.status_code == 422
