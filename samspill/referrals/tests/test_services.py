"""The referral services: create, update, outcome and "make participant". A refused change
raises a clear ValidationError and writes nothing; every change writes an audit event."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from samspill.audit.models import AuditEvent
from samspill.participants.models import Participant
from samspill.referrals import services
from samspill.referrals.models import Outcome, Referral, Source
from samspill.referrals.tests.conftest import make_referral


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action))


class TestCreate:
    def test_it_records_the_referral_and_an_audit_event(self, org, counselor):
        referral = make_referral(org, counselor, taken_by=counselor, need_group="needs_guidance")

        assert referral.organisation == org
        assert referral.taken_by == counselor
        assert referral.outcome == ""
        [event] = events("referral.created")
        assert event.actor == counselor
        assert event.object_id == str(referral.pk)
        assert event.data == {"source": "youth_department"}

    def test_it_requires_words_when_the_source_is_other(self, org, counselor):
        with pytest.raises(ValidationError) as error:
            make_referral(org, counselor, source=Source.OTHER, source_other="  ")

        assert "source_other" in error.value.message_dict
        assert not Referral.objects.exists()
        assert not AuditEvent.objects.filter(action="referral.created").exists()

    def test_it_forgets_the_other_source_text_for_a_named_source(self, org, counselor):
        referral = make_referral(org, counselor, source_other="Helsestasjon")

        assert referral.source_other == ""

    def test_it_refuses_a_date_in_the_future(self, org, counselor):
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)

        with pytest.raises(ValidationError) as error:
            make_referral(org, counselor, received_on=tomorrow)

        assert "received_on" in error.value.message_dict
        assert not Referral.objects.exists()

    def test_it_refuses_a_taker_who_cannot_follow_participants(self, org, counselor, admin):
        with pytest.raises(ValidationError) as error:
            make_referral(org, counselor, taken_by=admin)

        assert "taken_by" in error.value.message_dict

    def test_it_refuses_a_taker_from_another_organisation(self, org, counselor, outsider):
        with pytest.raises(ValidationError) as error:
            make_referral(org, counselor, taken_by=outsider)

        assert "taken_by" in error.value.message_dict
        assert not Referral.objects.exists()

    def test_it_refuses_an_invalid_email(self, org, counselor):
        with pytest.raises(ValidationError) as error:
            make_referral(org, counselor, email="not an address")

        assert "email" in error.value.message_dict

    def test_it_refuses_unknown_fields(self, org, counselor):
        with pytest.raises(TypeError):
            make_referral(org, counselor, participant=None)


class TestUpdate:
    def test_it_writes_only_the_changed_fields_and_names_them_in_the_audit(
        self, counselor, referral
    ):
        services.referral_update(
            referral=referral, by=counselor, phone="+47 911 11 111", given_name="Siri"
        )

        referral.refresh_from_db()
        assert referral.phone == "+47 911 11 111"
        [event] = events("referral.updated")
        assert event.data == {"fields": ["phone"]}

    def test_nothing_changed_writes_no_event(self, counselor, referral):
        services.referral_update(referral=referral, by=counselor, given_name="Siri")

        assert not events("referral.updated")

    def test_a_refused_update_changes_nothing(self, counselor, admin, referral):
        with pytest.raises(ValidationError):
            services.referral_update(referral=referral, by=counselor, phone="1", taken_by=admin)

        referral.refresh_from_db()
        assert referral.taken_by == counselor
        assert referral.phone == "+47 900 00 000"

    def test_a_taker_who_has_left_stays_on_the_referral_through_other_changes(
        self, counselor, colleague, referral
    ):
        counselor.memberships.update(is_active=False)

        services.referral_update(referral=referral, by=colleague, phone="123")

        referral.refresh_from_db()
        assert referral.taken_by == counselor


class TestOutcome:
    def test_it_sets_the_outcome_and_its_date(self, counselor, referral):
        services.referral_set_outcome(
            referral=referral,
            by=counselor,
            outcome=Outcome.ORDINARY_WORK,
            outcome_on=datetime.date(2026, 6, 1),
        )

        referral.refresh_from_db()
        assert referral.outcome == "ordinary_work"
        assert referral.outcome_on == datetime.date(2026, 6, 1)
        [event] = events("referral.outcome_set")
        assert event.data == {"outcome": "ordinary_work", "outcome_on": "2026-06-01"}

    def test_the_date_is_today_unless_told(self, counselor, referral):
        services.referral_set_outcome(referral=referral, by=counselor, outcome="not_ready")

        referral.refresh_from_db()
        assert referral.outcome_on == timezone.localdate()

    @pytest.mark.parametrize(
        ("outcome", "outcome_on", "field"),
        [
            ("", None, "outcome"),
            ("dropped_out", None, "outcome"),
            ("education", datetime.date(2025, 12, 31), "outcome_on"),  # before it was received
        ],
    )
    def test_it_refuses_a_bad_outcome(self, counselor, referral, outcome, outcome_on, field):
        with pytest.raises(ValidationError) as error:
            services.referral_set_outcome(
                referral=referral, by=counselor, outcome=outcome, outcome_on=outcome_on
            )

        assert field in error.value.message_dict
        referral.refresh_from_db()
        assert referral.outcome == ""
        assert not events("referral.outcome_set")


class TestMakeParticipant:
    def test_it_creates_the_participant_with_the_taker_as_counselor(
        self, org, leader, counselor, referral
    ):
        participant = services.referral_make_participant(referral=referral, by=leader)

        assert participant.full_name == "Siri Henvist"
        assert participant.phone == "+47 900 00 000"
        assert participant.counselor == counselor
        assert participant.is_active
        referral.refresh_from_db()
        assert referral.participant == participant
        # Taken in: no outcome until the follow-up period has one.
        assert (referral.outcome, referral.outcome_on) == ("", None)
        [event] = events("referral.made_participant")
        assert event.actor == leader
        assert event.participant_id == participant.pk
        assert events("participant.created")

    def test_an_unassigned_referral_goes_to_the_acting_user(self, colleague, unassigned_referral):
        participant = services.referral_make_participant(referral=unassigned_referral, by=colleague)

        assert participant.counselor == colleague
        unassigned_referral.refresh_from_db()
        assert unassigned_referral.taken_by == colleague

    def test_it_keeps_an_outcome_already_decided(self, counselor, referral):
        services.referral_set_outcome(referral=referral, by=counselor, outcome="other_measure")

        services.referral_make_participant(referral=referral, by=counselor)

        referral.refresh_from_db()
        assert referral.outcome == "other_measure"

    def test_it_refuses_twice(self, counselor, referral):
        services.referral_make_participant(referral=referral, by=counselor)

        with pytest.raises(ValidationError) as error:
            services.referral_make_participant(referral=referral, by=counselor)

        assert error.value.messages == [
            "Personen i denne henvendelsen er allerede gjort til deltaker."
        ]
        assert Participant.objects.count() == 1

    def test_a_taker_who_has_left_is_refused_and_nothing_is_written(self, counselor, referral):
        counselor.memberships.update(is_active=False)
        before = AuditEvent.objects.count()

        with pytest.raises(ValidationError) as error:
            services.referral_make_participant(referral=referral, by=counselor)

        assert "taken_by" in error.value.message_dict
        assert not Participant.objects.exists()
        assert AuditEvent.objects.count() == before
        referral.refresh_from_db()
        assert referral.participant is None
        assert referral.outcome == ""
