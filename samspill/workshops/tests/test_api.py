"""The workshop and clarification API: the same least access as the pages."""

import pytest

from samspill.core.testing import client_for
from samspill.referrals.models import Clarification
from samspill.referrals.services import referral_make_participant
from samspill.referrals.tests.conftest import make_referral
from samspill.workshops.models import Attendance

BASE = "/api/v1/workshops"


def test_the_roster_is_whole_for_the_facilitator_and_own_for_a_counselor(
    workshop, enrolled, coordinator, counselor, participant
):
    url = f"{BASE}/{workshop.pk}"
    whole = client_for(coordinator).get(url).json()["roster"]
    own = client_for(counselor).get(url).json()["roster"]

    assert len(whole) == 2
    assert [row["participant_id"] for row in own] == [participant.pk]


@pytest.mark.parametrize("who, status", [("outsider", 404), ("mentor", 403)])
def test_the_wrong_people_are_refused(request, workshop, who, status):
    response = client_for(request.getfixturevalue(who)).get(f"{BASE}/{workshop.pk}")

    assert response.status_code == status


def test_only_the_facilitator_records_attendance(session, enrolled, coordinator, counselor):
    url = f"{BASE}/sessions/{session.pk}/attendance"
    payload = {"present": [enrolled[0].pk]}

    refused = client_for(counselor).put(url, payload, content_type="application/json")
    done = client_for(coordinator).put(url, payload, content_type="application/json")

    assert refused.status_code == 403
    assert done.status_code == 200
    assert Attendance.objects.filter(present=True).count() == 1


def test_a_clarification_is_recorded_through_the_api(org, counselor, outsider):
    referral = make_referral(org, counselor, taken_by=counselor)
    referral_make_participant(referral=referral, by=counselor)
    url = f"/api/v1/referrals/{referral.pk}/clarifications"
    payload = {
        "first_day": referral.received_on.isoformat(),
        "last_day": referral.received_on.isoformat(),
        "days_attended": 1,
        "attendance_ok": True,
        "motivation": "high",
        "result": "ready",
    }

    assert (
        client_for(outsider).post(url, payload, content_type="application/json").status_code == 404
    )
    created = client_for(counselor).post(url, payload, content_type="application/json")
    bad = client_for(counselor).post(
        url, {**payload, "days_attended": 5}, content_type="application/json"
    )

    assert created.status_code == 201
    assert bad.status_code in (400, 422)
    assert Clarification.objects.count() == 1
    assert client_for(counselor).get(url).json()[0]["result"] == "ready"
