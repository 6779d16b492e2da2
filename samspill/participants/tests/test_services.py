"""The participant services: every write is validated, atomic and audited, and a refused write
changes nothing."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from samspill.audit.models import AuditEvent
from samspill.core.testing import make_staff
from samspill.organisations.models import Membership
from samspill.participants import services
from samspill.participants.models import (
    ConsentRecord,
    CounselorAssignment,
    FollowUpPeriod,
    Outcome,
    Participant,
)

START = datetime.date(2026, 1, 5)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def snapshot() -> dict[str, int]:
    """Row counts of everything the services write."""
    return {
        "participants": Participant.objects.count(),
        "periods": FollowUpPeriod.objects.count(),
        "open_periods": FollowUpPeriod.objects.filter(end_date__isnull=True).count(),
        "assignments": CounselorAssignment.objects.count(),
        "open_assignments": CounselorAssignment.objects.filter(ended_at__isnull=True).count(),
        "consents": ConsentRecord.objects.count(),
        "withdrawn": ConsentRecord.objects.filter(withdrawn_at__isnull=False).count(),
        "events": AuditEvent.objects.count(),
    }


def refused(call, **kwargs) -> ValidationError:
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    assert snapshot() == before, "a refused write changed something"
    return caught.value


def actions_for(participant: Participant) -> list[str]:
    return list(
        AuditEvent.objects.filter(participant=participant)
        .order_by("id")
        .values_list("action", flat=True)
    )


class TestParticipantCreate:
    def test_it_opens_a_period_and_assigns_the_first_counselor(self, org, counselor, leader):
        participant = services.participant_create(
            organisation=org,
            by=leader,
            counselor=counselor,
            start_date=START,
            given_name="Kari",
            family_name="Nordmann",
        )

        period = participant.periods.get()
        assert period.start_date == START
        assert period.end_date is None
        assignment = participant.assignments.get()
        assert assignment.period == period
        assert assignment.counselor == counselor
        assert assignment.assigned_by == leader
        assert assignment.reason == CounselorAssignment.Reason.INITIAL
        assert assignment.ended_at is None
        participant.refresh_from_db()
        assert participant.active_period == period
        assert participant.counselor == counselor
        assert participant.team == counselor.memberships.get().team

    def test_it_writes_audit_events_naming_the_actor(self, org, counselor, leader):
        participant = services.participant_create(
            organisation=org, by=leader, counselor=counselor, given_name="Kari", family_name="N"
        )

        assert actions_for(participant) == [
            "participant.created",
            "period.started",
            "counselor.assigned",
        ]
        events = AuditEvent.objects.filter(participant=participant)
        assert {e.actor_id for e in events} == {leader.pk}
        assert {e.organisation_id for e in events} == {org.pk}

    def test_it_starts_today_when_no_start_date_is_given(self, org, counselor):
        participant = services.participant_create(
            organisation=org, by=counselor, counselor=counselor, given_name="K", family_name="N"
        )

        assert participant.periods.get().start_date == datetime.date.today()

    def test_it_refuses_a_missing_name_and_creates_nothing(self, org, counselor):
        error = refused(
            services.participant_create,
            organisation=org,
            by=counselor,
            counselor=counselor,
            given_name="",
            family_name="Nordmann",
        )

        assert "given_name" in error.message_dict

    def test_it_refuses_a_counselor_from_another_organisation_and_creates_nothing(
        self, org, counselor, outsider
    ):
        error = refused(
            services.participant_create,
            organisation=org,
            by=counselor,
            counselor=outsider,
            given_name="Kari",
            family_name="Nordmann",
        )

        assert "counselor" in error.message_dict

    def test_it_refuses_an_administrator_as_counselor(self, org, counselor, admin):
        error = refused(
            services.participant_create,
            organisation=org,
            by=counselor,
            counselor=admin,
            given_name="Kari",
            family_name="Nordmann",
        )

        assert error.message_dict == {
            "counselor": ["This person cannot follow participants in this organisation."]
        }

    def test_it_refuses_unknown_fields(self, org, counselor):
        with pytest.raises(TypeError):
            services.participant_create(
                organisation=org, by=counselor, counselor=counselor, counselor_id=1
            )


class TestParticipantUpdate:
    def test_it_writes_only_the_fields_that_changed(self, participant, counselor):
        with CaptureQueriesContext(connection) as queries:
            services.participant_update(
                participant=participant,
                by=counselor,
                given_name=participant.given_name,
                phone="+47 400 00 000",
            )

        updates = [q["sql"] for q in queries if q["sql"].startswith("UPDATE")]
        assert len(updates) == 1
        assert '"phone"' in updates[0]
        assert '"given_name"' not in updates[0]
        assert '"needs"' not in updates[0]
        event = AuditEvent.objects.filter(action="participant.updated").get()
        assert event.data == {"fields": ["phone"]}
        assert event.actor == counselor

    def test_it_does_not_overwrite_a_field_someone_else_changed(self, participant, counselor):
        Participant.objects.filter(pk=participant.pk).update(municipality="Bergen")

        # `participant` is stale: it still has no municipality.
        services.participant_update(participant=participant, by=counselor, phone="12345678")

        participant.refresh_from_db()
        assert participant.municipality == "Bergen"
        assert participant.phone == "12345678"

    def test_the_audit_data_names_fields_and_never_holds_values(self, participant, counselor):
        services.participant_update(
            participant=participant,
            by=counselor,
            needs="Secret diagnosis: F32.1",
            family_name="Hemmeligsen",
        )

        event = AuditEvent.objects.get(action="participant.updated")
        assert event.data == {"fields": ["family_name", "needs"]}
        stored = json.dumps([e.data for e in AuditEvent.objects.all()])
        assert "F32.1" not in stored
        assert "Hemmeligsen" not in stored
        assert "Sensitive health detail" not in stored

    def test_it_writes_no_event_when_nothing_changed(self, participant, counselor):
        before = snapshot()

        services.participant_update(
            participant=participant, by=counselor, given_name=participant.given_name
        )

        assert snapshot() == before

    def test_a_new_identity_number_also_writes_the_kind_and_birth_date(
        self, participant, counselor
    ):
        services.participant_update(
            participant=participant, by=counselor, national_id="170590 06819"
        )

        participant.refresh_from_db()
        assert participant.national_id == "17059006819"
        assert participant.birth_date == datetime.date(1990, 5, 17)
        event = AuditEvent.objects.get(action="participant.updated")
        assert event.data == {"fields": ["birth_date", "national_id", "national_id_kind"]}

    def test_it_refuses_an_invalid_value_and_changes_nothing(self, participant, counselor):
        error = refused(
            services.participant_update,
            participant=participant,
            by=counselor,
            phone="99999999",
            email="not an e-mail address",
        )

        assert "email" in error.message_dict
        participant.refresh_from_db()
        assert participant.phone == ""

    def test_it_refuses_a_bad_identity_number_and_changes_nothing(self, participant, counselor):
        error = refused(
            services.participant_update,
            participant=participant,
            by=counselor,
            given_name="Changed",
            national_id="12345678901",
        )

        assert list(error.message_dict) == ["national_id"]
        participant.refresh_from_db()
        assert participant.given_name == "Kari"
        assert participant.national_id == ""

    def test_it_refuses_unknown_fields(self, participant, counselor):
        with pytest.raises(TypeError):
            services.participant_update(participant=participant, by=counselor, counselor=None)


class TestCounselorAssign:
    def test_it_keeps_the_history(self, participant, counselor, colleague, leader):
        first = participant.assignments.get()

        second = services.counselor_assign(
            participant=participant,
            counselor=colleague,
            by=leader,
            reason=CounselorAssignment.Reason.LONG_LEAVE,
            handover_note="  Meets on Tuesdays.  ",
        )

        first.refresh_from_db()
        assert first.ended_at is not None
        assert first.counselor == counselor
        assert second.ended_at is None
        assert second.started_at == first.ended_at
        assert second.period_id == first.period_id
        assert second.assigned_by == leader
        assert second.handover_note == "Meets on Tuesdays."
        assert participant.assignments.count() == 2

    def test_it_moves_the_participant_to_the_new_counselor_and_team(
        self, participant, other_team_counselor, team_b, leader
    ):
        services.counselor_assign(
            participant=participant,
            counselor=other_team_counselor,
            by=leader,
            reason=CounselorAssignment.Reason.CASELOAD_BALANCING,
        )

        participant.refresh_from_db()
        assert participant.counselor == other_team_counselor
        assert participant.team == team_b

    def test_it_writes_an_audit_event_with_the_previous_counselor(
        self, participant, counselor, colleague, leader
    ):
        services.counselor_assign(
            participant=participant,
            counselor=colleague,
            by=leader,
            reason=CounselorAssignment.Reason.COUNSELOR_LEFT,
        )

        event = AuditEvent.objects.filter(action="counselor.assigned").latest("id")
        assert event.actor == leader
        assert event.data == {
            "counselor": colleague.pk,
            "previous": counselor.pk,
            "reason": "counselor_left",
        }

    def test_it_accepts_other_with_a_reason_in_words(self, participant, colleague, leader):
        assignment = services.counselor_assign(
            participant=participant,
            counselor=colleague,
            by=leader,
            reason=CounselorAssignment.Reason.OTHER,
            reason_text="  Speaks Tigrinya  ",
        )

        assert assignment.reason_text == "Speaks Tigrinya"

    def test_it_refuses_the_same_counselor(self, participant, counselor, leader):
        error = refused(
            services.counselor_assign,
            participant=participant,
            counselor=counselor,
            by=leader,
            reason=CounselorAssignment.Reason.PARTICIPANT_WISH,
        )

        assert error.message_dict == {"counselor": [f"{counselor} is already the counselor."]}

    @pytest.mark.parametrize("reason_text", ["", "   "])
    def test_it_refuses_other_without_a_reason_in_words(
        self, participant, colleague, leader, reason_text
    ):
        error = refused(
            services.counselor_assign,
            participant=participant,
            counselor=colleague,
            by=leader,
            reason=CounselorAssignment.Reason.OTHER,
            reason_text=reason_text,
        )

        assert error.message_dict == {
            "reason_text": ["Describe the reason when you choose “Other”."]
        }

    @pytest.mark.parametrize("reason", ["", "because", CounselorAssignment.Reason.INITIAL + "x"])
    def test_it_refuses_a_missing_or_unknown_reason(self, participant, colleague, leader, reason):
        error = refused(
            services.counselor_assign,
            participant=participant,
            counselor=colleague,
            by=leader,
            reason=reason,
        )

        assert list(error.message_dict) == ["reason"]

    def test_it_refuses_a_counselor_from_another_organisation(self, participant, outsider, leader):
        error = refused(
            services.counselor_assign,
            participant=participant,
            counselor=outsider,
            by=leader,
            reason=CounselorAssignment.Reason.CASELOAD_BALANCING,
        )

        assert list(error.message_dict) == ["counselor"]
        participant.refresh_from_db()
        assert participant.counselor_id != outsider.pk

    def test_it_refuses_a_counselor_whose_membership_has_ended(self, org, participant, leader):
        gone = make_staff(org, "gone@example.org", Membership.Role.COUNSELOR)
        Membership.objects.filter(user=gone).update(is_active=False)

        error = refused(
            services.counselor_assign,
            participant=participant,
            counselor=gone,
            by=leader,
            reason=CounselorAssignment.Reason.CASELOAD_BALANCING,
        )

        assert list(error.message_dict) == ["counselor"]

    def test_it_refuses_when_no_period_is_open(self, participant, counselor, colleague):
        services.period_end(
            participant=participant, by=counselor, end_date=START, outcome=Outcome.MOVED_OTHER
        )

        error = refused(
            services.counselor_assign,
            participant=participant,
            counselor=colleague,
            by=counselor,
            reason=CounselorAssignment.Reason.CASELOAD_BALANCING,
        )

        assert error.messages == ["Start a follow-up period before assigning a counselor."]


class TestPeriods:
    def test_ending_closes_the_period_and_the_assignment_and_empties_the_counselor(
        self, participant, counselor
    ):
        end = START + datetime.timedelta(days=90)

        period = services.period_end(
            participant=participant,
            by=counselor,
            end_date=end,
            outcome=Outcome.ORDINARY_WORK,
        )

        period.refresh_from_db()
        assert period.end_date == end
        assert period.end_reason == "ordinary_work"
        assert participant.assignments.get().ended_at is not None
        participant.refresh_from_db()
        assert participant.active_period is None
        assert participant.counselor is None
        assert participant.team is None
        event = AuditEvent.objects.get(action="period.ended")
        assert event.actor == counselor
        assert event.data == {"end_date": end.isoformat(), "outcome": "ordinary_work"}

    def test_it_refuses_an_end_without_a_reason(self, participant, counselor):
        error = refused(
            services.period_end,
            participant=participant,
            by=counselor,
            end_date=START,
            outcome="",
        )

        assert list(error.message_dict) == ["outcome"]

    def test_it_refuses_an_unknown_end_reason(self, participant, counselor):
        error = refused(
            services.period_end,
            participant=participant,
            by=counselor,
            end_date=START,
            outcome="bored",
        )

        assert list(error.message_dict) == ["outcome"]

    def test_the_earlier_name_and_codes_still_end_a_period(self, participant, counselor):
        period = services.period_end(
            participant=participant, by=counselor, end_date=START, end_reason="moved"
        )

        assert period.end_reason == Outcome.MOVED_OTHER
        assert period.outcomes.get().outcome == Outcome.MOVED_OTHER

    def test_it_refuses_an_end_before_the_start(self, participant, counselor):
        error = refused(
            services.period_end,
            participant=participant,
            by=counselor,
            end_date=START - datetime.timedelta(days=1),
            outcome=Outcome.MOVED_OTHER,
        )

        assert list(error.message_dict) == ["end_date"]
        participant.refresh_from_db()
        assert participant.counselor is not None

    def test_it_refuses_to_end_a_period_twice(self, participant, counselor):
        services.period_end(
            participant=participant, by=counselor, end_date=START, outcome=Outcome.MOVED_OTHER
        )

        error = refused(
            services.period_end,
            participant=participant,
            by=counselor,
            end_date=START,
            outcome=Outcome.MOVED_OTHER,
        )

        assert error.messages == ["This participant has no open follow-up period."]

    def test_a_new_period_starts_with_a_new_initial_assignment(
        self, participant, counselor, colleague, leader
    ):
        services.period_end(
            participant=participant, by=counselor, end_date=START, outcome=Outcome.MOVED_OTHER
        )
        later = START + datetime.timedelta(days=200)

        period = services.period_start(
            participant=participant, by=leader, counselor=colleague, start_date=later
        )

        assert participant.periods.count() == 2
        assignment = period.assignments.get()
        assert assignment.counselor == colleague
        assert assignment.reason == CounselorAssignment.Reason.INITIAL
        participant.refresh_from_db()
        assert participant.active_period == period
        assert participant.counselor == colleague

    def test_it_refuses_a_second_open_period(self, participant, counselor):
        error = refused(
            services.period_start,
            participant=participant,
            by=counselor,
            counselor=counselor,
            start_date=START,
        )

        assert error.messages == ["This participant already has an open follow-up period."]


class TestConsent:
    def test_it_records_a_consent_and_who_recorded_it(self, participant, counselor):
        consent = services.consent_give(
            participant=participant,
            by=counselor,
            recipient=ConsentRecord.Recipient.WORKPLACE,
            information=ConsentRecord.Information.STRENGTHS,
            note="  Said yes in meeting  ",
        )

        assert consent.is_current
        assert consent.given_recorded_by == counselor
        assert consent.given_at is not None
        assert consent.note == "Said yes in meeting"
        event = AuditEvent.objects.get(action="consent.given")
        assert event.actor == counselor
        assert event.data == {"recipient": "workplace", "information": "strengths"}

    def test_withdrawing_records_when_and_by_whom(self, participant, counselor, leader):
        consent = services.consent_give(
            participant=participant, by=counselor, recipient="nav", information="plan"
        )

        services.consent_withdraw(consent=consent, by=leader)

        consent.refresh_from_db()
        assert consent.withdrawn_at is not None
        assert consent.withdrawn_recorded_by == leader
        assert not consent.is_current
        assert AuditEvent.objects.get(action="consent.withdrawn").actor == leader

    def test_it_refuses_to_withdraw_twice(self, participant, counselor):
        consent = services.consent_give(
            participant=participant, by=counselor, recipient="nav", information="plan"
        )
        services.consent_withdraw(consent=consent, by=counselor)
        consent.refresh_from_db()
        withdrawn_at = consent.withdrawn_at

        error = refused(services.consent_withdraw, consent=consent, by=counselor)

        assert error.messages == ["This consent is already withdrawn."]
        consent.refresh_from_db()
        assert consent.withdrawn_at == withdrawn_at

    def test_it_refuses_the_same_consent_twice_while_it_is_in_force(self, participant, counselor):
        services.consent_give(
            participant=participant, by=counselor, recipient="nav", information="plan"
        )

        error = refused(
            services.consent_give,
            participant=participant,
            by=counselor,
            recipient="nav",
            information="plan",
        )

        assert error.messages == ["This consent is already given."]

    def test_it_can_be_given_again_after_a_withdrawal(self, participant, counselor):
        consent = services.consent_give(
            participant=participant, by=counselor, recipient="nav", information="plan"
        )
        services.consent_withdraw(consent=consent, by=counselor)

        services.consent_give(
            participant=participant, by=counselor, recipient="nav", information="plan"
        )

        assert participant.consents.count() == 2
        assert participant.consents.filter(withdrawn_at__isnull=True).count() == 1

    def test_it_refuses_an_unknown_recipient(self, participant, counselor):
        error = refused(
            services.consent_give,
            participant=participant,
            by=counselor,
            recipient="facebook",
            information="plan",
        )

        assert list(error.message_dict) == ["recipient"]
