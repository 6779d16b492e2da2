"""The clarification before practice (KOM's way): recorded on a referral, it must say "ready"
before a placement can be drafted for the participant the referral became. Refusals are clear,
link to the page that records it, and write nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from samspill.audit.models import AuditEvent
from samspill.core.testing import client_for
from samspill.placements.models import Placement
from samspill.placements.tests.cast import draft
from samspill.referrals import clarifications, services
from samspill.referrals.models import Clarification
from samspill.referrals.tests.conftest import make_referral

TODAY = datetime.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a: TODAY)


@pytest.fixture
def referred(org, counselor):
    referral = make_referral(org, counselor, taken_by=counselor)
    participant = services.referral_make_participant(referral=referral, by=counselor)
    referral.refresh_from_db()
    return referral, participant


def record(referral, by, **fields):
    fields.setdefault("first_day", datetime.date(2026, 2, 2))
    fields.setdefault("last_day", datetime.date(2026, 2, 13))
    fields.setdefault("days_attended", 9)
    fields.setdefault("attendance_ok", True)
    fields.setdefault("motivation", Clarification.Motivation.HIGH)
    fields.setdefault("result", Clarification.Result.READY)
    return clarifications.clarification_record(referral=referral, by=by, **fields)


class TestRecord:
    def test_it_records_and_audits(self, referred, counselor):
        referral, participant = referred
        clarification = record(referral, counselor, note="  Kom hver dag. ")

        assert clarification.note == "Kom hver dag."
        [event] = AuditEvent.objects.filter(action="referral.clarification_recorded")
        assert event.participant_id == participant.pk
        assert event.data == {"result": "ready"}

    @pytest.mark.parametrize(
        "fields, field",
        [
            ({"last_day": datetime.date(2026, 1, 30)}, "last_day"),
            ({"last_day": datetime.date(2026, 3, 3)}, "last_day"),
            ({"first_day": datetime.date(2026, 1, 1)}, "first_day"),
            ({"days_attended": 13}, "days_attended"),
            ({"result": "maybe"}, "result"),
        ],
    )
    def test_bad_input_is_refused_and_writes_nothing(self, referred, counselor, fields, field):
        with pytest.raises(ValidationError) as error:
            record(referred[0], counselor, **fields)

        assert field in error.value.message_dict
        assert not Clarification.objects.exists()


class TestBeforePractice:
    def test_a_referred_participant_without_a_clarification_is_refused(
        self, referred, counselor, employer, mentor_contact
    ):
        referral, participant = referred
        with pytest.raises(ValidationError) as error:
            draft(participant, employer, counselor, mentor_contact)

        assert reverse("referrals:clarification", args=[referral.pk]) in error.value.messages[0]
        assert not Placement.objects.exists()

    def test_a_clarification_that_says_not_yet_is_refused(
        self, referred, counselor, employer, mentor_contact
    ):
        referral, participant = referred
        record(referral, counselor, result=Clarification.Result.NOT_YET)

        with pytest.raises(ValidationError) as error:
            draft(participant, employer, counselor, mentor_contact)

        assert error.value.error_list[0].code == "clarification"
        assert "Ikke klar ennå" in error.value.messages[0]
        assert not Placement.objects.exists()

    def test_the_newest_clarification_counts(self, referred, counselor, employer, mentor_contact):
        referral, participant = referred
        record(referral, counselor, result=Clarification.Result.NOT_YET)
        record(referral, counselor, last_day=datetime.date(2026, 2, 27), days_attended=15)

        assert draft(participant, employer, counselor, mentor_contact).pk

    def test_a_participant_who_was_not_referred_passes(
        self, participant, counselor, employer, mentor_contact
    ):
        assert draft(participant, employer, counselor, mentor_contact).pk


class TestPage:
    def test_the_counselor_records_it_and_sees_the_history(self, referred, counselor):
        referral = referred[0]
        page = reverse("referrals:clarification", args=[referral.pk])
        client = client_for(counselor)

        response = client.post(
            page,
            {
                "first_day": "2026-02-02",
                "last_day": "2026-02-13",
                "days_attended": "8",
                "attendance_ok": "True",
                "motivation": "some",
                "result": "ready",
                "note": "",
            },
        )

        assert response.status_code == 302
        assert referral.clarifications.get().days_attended == 8
        assert client.get(page).status_code == 200

    def test_bad_input_shows_the_form_again(self, referred, counselor):
        page = reverse("referrals:clarification", args=[referred[0].pk])
        response = client_for(counselor).post(page, {"first_day": "2026-02-02"})

        assert response.status_code == 400
        assert not Clarification.objects.exists()

    @pytest.mark.parametrize("who", ["outsider", "colleague", "mentor", "admin"])
    def test_the_wrong_people_get_404(self, request, referred, who):
        page = reverse("referrals:clarification", args=[referred[0].pk])

        response = client_for(request.getfixturevalue(who)).get(page)

        assert response.status_code == 404

    def test_the_page_runs_the_same_queries_whatever_the_history(
        self, referred, counselor, django_assert_num_queries
    ):
        referral = referred[0]
        page = reverse("referrals:clarification", args=[referral.pk])
        client = client_for(counselor)
        record(referral, counselor)
        client.get(page)
        with django_assert_num_queries(7):
            client.get(page)
        record(referral, counselor, result=Clarification.Result.NOT_YET)
        record(referral, counselor, result=Clarification.Result.NOT_SUITABLE)
        with django_assert_num_queries(7):
            client.get(page)

    @pytest.mark.parametrize("who", ["outsider", "colleague", "mentor", "admin"])
    def test_the_wrong_people_cannot_post_one(self, request, referred, who):
        page = reverse("referrals:clarification", args=[referred[0].pk])
        body = {"first_day": "2026-02-02", "last_day": "2026-02-13", "days_attended": "8"}
        body |= {"attendance_ok": "True", "motivation": "some", "result": "ready"}

        response = client_for(request.getfixturevalue(who)).post(page, body)

        assert response.status_code == 404
        assert not Clarification.objects.exists()

    def test_the_draft_form_links_the_refusal_to_the_clarification_page(
        self, referred, counselor, employer
    ):
        referral, participant = referred
        body = {"participant": participant.pk, "kind": "ordinary_job", "title": "Lager"}
        body["start_date"] = str(TODAY)

        response = client_for(counselor).post(
            reverse("employers:placement_add", args=[employer.pk]), body
        )

        assert response.status_code == 400
        link = reverse("referrals:clarification", args=[referral.pk])
        assert f'<a href="{link}">' in response.content.decode()
        assert not Placement.objects.exists()
