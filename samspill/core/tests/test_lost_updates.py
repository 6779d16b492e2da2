"""No lost updates (issue 19, item 5): two colleagues open the same edit form, both save; the
second is told what the first saved, and the first's change stands. The API answers a stale
revision with a 409, and replays a write sent again with the same `Idempotency-Key`.

The loop's forms are tested with the loop fixtures, in samspill/loops/tests."""

import datetime
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from samspill.core.revisions import StaleRevision
from samspill.core.testing import client_for as logged_in
from samspill.employers import services as employer_services
from samspill.employers.models import Employer, IntentionAgreement, RecruitmentNeed
from samspill.participants import services as participant_services
from samspill.participants.models import Participant
from samspill.plans import services as plan_services
from samspill.plans.models import Activity, Goal
from samspill.referrals import services as referral_services
from samspill.referrals.models import Referral, Source

API = "/api/v1"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def client_for(user: Any) -> Any:
    """A client that reads the pages in English, the source language."""
    client = logged_in(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def opened(client: Any, url: str) -> dict[str, Any]:
    """The edit form as the browser got it: what it would post back unchanged."""
    response = client.get(url)
    assert response.status_code == 200
    data = {}
    for field in response.context["form"]:
        value = field.value()
        if value is None or value is False:
            continue
        data[field.html_name] = "on" if value is True else value
    assert "revision" in data
    return data


def conflict_of(response: Any) -> str:
    """The non-field error of a refused save (the form is shown again, nothing redirected)."""
    assert response.status_code in (200, 400)
    [message] = response.context["form"].non_field_errors()
    assert "Someone else saved" in message
    return str(message)


@pytest.fixture
def referral(org, counselor) -> Referral:
    return referral_services.referral_create(
        organisation=org,
        by=counselor,
        source=Source.YOUTH_DEPARTMENT,
        received_on=datetime.date(2026, 1, 12),
        given_name="Siri",
        family_name="Henvist",
        asked_for="Help to find a practice place.",
        taken_by=counselor,
    )


@pytest.fixture
def agreement(employer, counselor) -> IntentionAgreement:
    return employer_services.agreement_create(
        employer=employer, by=counselor, status="draft", work_training_places=1
    )


# The edit forms.


def test_the_second_save_of_a_profile_is_refused_and_names_what_changed(
    counselor, leader, participant
):
    url = reverse("participants:edit", args=[participant.pk])
    first, second = client_for(counselor), client_for(leader)
    mine, theirs = opened(first, url), opened(second, url)

    saved = first.post(url, {**mine, "phone": "+47 912 34 567", "national_id": "17059006819"})
    refused = second.post(url, {**theirs, "phone": "+47 400 00 000", "dreams": "A bakery"})

    assert saved.status_code == 302
    message = conflict_of(refused)
    assert "Phone (now: +47 912 34 567)" in message
    assert "Dreams" in message
    # A colleague's identity number (and birth date) are named, never quoted.
    assert "National identity number" in message or "national" in message.lower()
    assert "17059006819" not in message and "1990" not in message
    participant.refresh_from_db()
    assert (participant.phone, participant.dreams) == ("+47 912 34 567", "")
    # The form keeps the second user's text and now carries the current revision: saving
    # again, after a look, is a deliberate overwrite.
    assert refused.context["form"]["phone"].value() == "+47 400 00 000"
    again = second.post(url, dict(refused.context["form"].data.items()))
    assert again.status_code == 302
    participant.refresh_from_db()
    assert participant.phone == "+47 400 00 000"


def test_a_note_that_moves_the_next_follow_up_counts_as_a_change_of_the_profile(
    counselor, participant
):
    url = reverse("participants:edit", args=[participant.pk])
    client = client_for(counselor)
    form = opened(client, url)
    plan_services.note_add(
        participant=participant,
        by=counselor,
        kind="phone",
        text="Called",
        occurred_on=datetime.date(2026, 2, 1),
        next_follow_up_on=datetime.date(2026, 3, 1),
    )

    refused = client.post(url, {**form, "phone": "+47 912 34 567"})

    assert "Next follow-up" in conflict_of(refused)
    assert Participant.objects.get(pk=participant.pk).next_follow_up_on == datetime.date(2026, 3, 1)


def test_services_called_without_a_revision_are_not_checked(counselor, participant):
    participant_services.participant_update(participant=participant, by=counselor, phone="11111111")
    updated = participant_services.participant_update(
        participant=participant, by=counselor, phone="22222222"
    )

    assert updated.revision == 3
    with pytest.raises(StaleRevision):
        participant_services.participant_update(
            participant=participant, by=counselor, revision=1, phone="33333333"
        )
    assert Participant.objects.get(pk=participant.pk).phone == "22222222"


def test_the_second_save_of_an_employer_is_refused(counselor, colleague, employer):
    url = reverse("employers:edit", args=[employer.pk])
    first, second = client_for(counselor), client_for(colleague)
    mine, theirs = opened(first, url), opened(second, url)

    assert first.post(url, {**mine, "name": "Bakeriet Nord AS"}).status_code == 302
    refused = second.post(url, {**theirs, "municipality": "Narvik"})

    message = conflict_of(refused)
    assert "Name (now: Bakeriet Nord AS)" in message
    employer.refresh_from_db()
    assert (employer.name, employer.municipality) == ("Bakeriet Nord AS", "")


def test_the_second_move_in_the_pipeline_is_refused(counselor, colleague, employer):
    page = reverse("employers:detail", args=[employer.pk])
    url = reverse("employers:stage", args=[employer.pk])
    revision = client_for(colleague).get(page).context["stage_form"]["revision"].value()
    client_for(counselor).post(
        url, {"stage": "first_meeting", "next_step": "Call", "revision": revision}
    )

    refused = client_for(colleague).post(
        url, {"stage": "intention_agreement", "next_step": "Sign", "revision": revision}
    )

    assert refused.status_code == 400
    [message] = refused.context["stage_form"].non_field_errors()
    assert "Stage (now: First meeting)" in message
    assert "Next step (now: Call)" in message
    assert Employer.objects.get(pk=employer.pk).stage == "first_meeting"


def test_the_second_save_of_an_intention_agreement_is_refused(
    counselor, colleague, employer, agreement
):
    url = reverse("employers:agreement_edit", args=[employer.pk, agreement.pk])
    first, second = client_for(counselor), client_for(colleague)
    mine, theirs = opened(first, url), opened(second, url)

    assert first.post(url, {**mine, "hires": "2"}).status_code == 302
    refused = second.post(url, {**theirs, "notes": "They want to wait."})

    assert "(now: 2)" in conflict_of(refused)
    agreement.refresh_from_db()
    assert (agreement.hires, agreement.notes) == (2, "")


def test_the_second_save_of_a_referral_is_refused(counselor, leader, referral):
    url = reverse("referrals:edit", args=[referral.pk])
    first, second = client_for(counselor), client_for(leader)
    mine, theirs = opened(first, url), opened(second, url)

    assert first.post(url, {**mine, "phone": "+47 911 22 333"}).status_code == 302
    refused = second.post(url, {**theirs, "given_name": "Sara"})

    message = conflict_of(refused)
    assert "+47 911 22 333" in message
    referral.refresh_from_db()
    assert (referral.phone, referral.given_name) == ("+47 911 22 333", "Siri")


@pytest.mark.parametrize("what", ["goal", "activity"])
def test_the_second_status_change_on_the_plan_is_refused(counselor, leader, participant, what):
    if what == "goal":
        obj: Goal | Activity = plan_services.goal_add(
            participant=participant, by=counselor, title="Driving licence"
        )
        choices = ("reached", "dropped")
    else:
        obj = plan_services.activity_add(
            participant=participant,
            by=counselor,
            kind=Activity.Kind.WORK_TRAINING,
            title="Trial week",
            due_date=datetime.date(2026, 3, 1),
        )
        choices = ("done", "cancelled")
    url = reverse(f"participants:{what}_status", args=[participant.pk, obj.pk])
    client_for(counselor).post(url, {"status": choices[0], "revision": obj.revision})

    refused = client_for(leader).post(url, {"status": choices[1], "revision": obj.revision})

    [message] = [str(m) for m in get_messages(refused.wsgi_request)]
    assert message.startswith(f"Someone else changed “{obj.title}”")
    assert "its status is now" in message
    obj.refresh_from_db()
    assert obj.status == choices[0]


# The API.


def test_a_stale_api_write_is_a_409_that_gives_the_current_revision(counselor, colleague, employer):
    url = f"{API}/employers/{employer.pk}"
    read = client_for(colleague).get(url).json()
    client_for(counselor).patch(
        url, {"revision": read["revision"], "name": "Bakeriet Nord AS"}, "application/json"
    )

    response = client_for(colleague).patch(
        url, {"revision": read["revision"], "municipality": "Narvik"}, "application/json"
    )

    assert response.status_code == 409
    body = response.json()
    assert body["revision"] == read["revision"] + 1
    assert "Someone else saved this" in body["detail"]
    employer.refresh_from_db()
    assert (employer.name, employer.municipality) == ("Bakeriet Nord AS", "")


def test_a_write_without_its_revision_is_refused(counselor, referral):
    response = client_for(counselor).post(
        f"{API}/referrals/{referral.pk}/outcome", {"outcome": "education"}, "application/json"
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "revision"


def test_a_stale_outcome_is_a_409(counselor, referral):
    url = f"{API}/referrals/{referral.pk}/outcome"
    client = client_for(counselor)
    saved = client.post(url, {"revision": 1, "outcome": "education"}, "application/json")
    assert saved.status_code == 200

    response = client.post(url, {"revision": 1, "outcome": "ordinary_work"}, "application/json")

    assert response.status_code == 409
    assert Referral.objects.get(pk=referral.pk).outcome == "education"


def test_the_openapi_document_lists_the_409_and_the_revision(counselor):
    paths = client_for(counselor).get(f"{API}/openapi.json").json()["paths"]

    patch = paths[f"{API}/employers/{{employer_id}}"]["patch"]
    assert "409" in patch["responses"]


def test_a_retried_create_with_the_same_idempotency_key_writes_once(counselor, employer):
    url = f"{API}/employers/{employer.pk}/needs"
    client = client_for(counselor)
    headers = {"Idempotency-Key": "need-1"}

    first = client.post(url, {"role": "Baker"}, "application/json", headers=headers)
    again = client.post(url, {"role": "Baker"}, "application/json", headers=headers)

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert RecruitmentNeed.objects.filter(employer=employer).count() == 1
    # Another key is another request.
    other = client.post(
        url, {"role": "Baker"}, "application/json", headers={"Idempotency-Key": "2"}
    )
    assert other.status_code == 201
    assert RecruitmentNeed.objects.filter(employer=employer).count() == 2


def test_the_same_key_with_another_body_is_a_422(counselor, employer):
    url = f"{API}/employers/{employer.pk}/needs"
    client = client_for(counselor)
    headers = {"Idempotency-Key": "need-1"}
    client.post(url, {"role": "Baker"}, "application/json", headers=headers)

    response = client.post(url, {"role": "Cook"}, "application/json", headers=headers)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert RecruitmentNeed.objects.filter(employer=employer).count() == 1


def test_a_retried_change_gets_the_first_answer_not_a_conflict(counselor, employer):
    url = f"{API}/employers/{employer.pk}"
    client = client_for(counselor)
    body = {"revision": 1, "name": "Bakeriet Nord AS"}
    headers = {"Idempotency-Key": "rename"}

    first = client.patch(url, body, "application/json", headers=headers)
    again = client.patch(url, body, "application/json", headers=headers)

    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert Employer.objects.get(pk=employer.pk).revision == 2


def test_keys_belong_to_their_user(counselor, colleague, employer):
    url = f"{API}/employers/{employer.pk}/needs"
    headers = {"Idempotency-Key": "same"}
    client_for(counselor).post(url, {"role": "Baker"}, "application/json", headers=headers)

    theirs = client_for(colleague).post(url, {"role": "Baker"}, "application/json", headers=headers)

    assert theirs.status_code == 201
    assert "Idempotent-Replayed" not in theirs
    assert RecruitmentNeed.objects.filter(employer=employer).count() == 2


def test_a_refused_request_is_not_kept(employer):
    response = client_for(None).post(
        f"{API}/employers/{employer.pk}/needs",
        {"role": "Baker"},
        "application/json",
        headers={"Idempotency-Key": "anon"},
    )

    assert response.status_code == 401
