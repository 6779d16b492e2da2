"""The participant's pages: overview, edit, consent, follow-up (reassign, end, start) and
creating a participant. A refused write shows a clear message and changes nothing."""

import datetime
import random

import pytest
from django.test import Client
from django.urls import reverse

from samspill.accounts.models import User
from samspill.audit.models import AuditEvent
from samspill.core.synthetic import fodselsnummer_for
from samspill.core.testing import client_for, make_participant
from samspill.organisations.models import Membership
from samspill.participants import services
from samspill.participants.models import (
    CounselorAssignment,
    FollowUpPeriod,
    Participant,
)
from samspill.plans import services as plan_services


def english(user: User) -> Client:
    """A logged-in client that reads the pages in English, the source language."""
    client = client_for(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def url(name: str, participant: Participant, **kwargs: int) -> str:
    return reverse(f"participants:{name}", kwargs={"pk": participant.pk, **kwargs})


def membership_of(user: User) -> Membership:
    return Membership.objects.get(user=user, is_active=True)


def profile(participant: Participant | None = None, **changes: str) -> dict[str, str]:
    """The profile form as a browser would post it, starting from `participant`."""
    data = dict.fromkeys(services.PROFILE_FIELDS, "")
    data["preferred_language"] = "nb"
    if participant is not None:
        for name in services.PROFILE_FIELDS:
            value = getattr(participant, name)
            data[name] = "" if value is None else str(value)
        data["revision"] = str(participant.revision)  # the revision the form was opened at
    data.update(changes)
    return data


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


class TestOverview:
    def test_it_shows_the_profile_and_the_sensitive_needs(self, counselor, participant):
        services.participant_update(
            participant=participant, by=counselor, national_id="170590 06819"
        )

        response = english(counselor).get(url("detail", participant))

        assert response.status_code == 200
        assert b"Kari Nordmann" in response.content
        assert b"170590 06819" in response.content
        assert b"Sensitive health detail" in response.content

    def test_it_shows_notes_in_the_timeline(self, counselor, participant):
        plan_services.note_add(
            participant=participant,
            by=counselor,
            kind="phone",
            text="Called about the CV",
            occurred_on=datetime.date(2026, 2, 1),
        )

        response = english(counselor).get(url("detail", participant))

        assert b"Called about the CV" in response.content

    def test_it_is_a_404_for_a_participant_that_does_not_exist(self, counselor, participant):
        response = english(counselor).get(
            reverse("participants:detail", kwargs={"pk": participant.pk + 1000})
        )

        assert response.status_code == 404


class TestEdit:
    def test_it_saves_the_profile_and_goes_back_to_the_overview(self, counselor, participant):
        response = english(counselor).post(
            url("edit", participant),
            profile(participant, phone="+47 912 34 567", dreams="Work with animals"),
        )

        assert response.status_code == 302
        assert response["Location"] == url("detail", participant)
        participant.refresh_from_db()
        assert participant.phone == "+47 912 34 567"
        assert participant.dreams == "Work with animals"
        event = AuditEvent.objects.get(action="participant.updated")
        assert event.data == {"fields": ["dreams", "phone"]}

    def test_it_takes_an_identity_number_written_with_a_space(self, counselor, participant):
        response = english(counselor).post(
            url("edit", participant), profile(participant, national_id="170590 06819")
        )

        assert response.status_code == 302
        participant.refresh_from_db()
        assert participant.national_id == "17059006819"
        assert participant.birth_date == datetime.date(1990, 5, 17)

    def test_a_bad_identity_number_gives_a_clear_message_and_changes_nothing(
        self, counselor, participant
    ):
        number = fodselsnummer_for(datetime.date(1990, 5, 17), random.Random(1))
        wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
        events = AuditEvent.objects.count()

        response = english(counselor).post(
            url("edit", participant),
            profile(participant, national_id=wrong, given_name="Changed"),
        )

        assert response.status_code == 200
        assert response.context["form"].errors == {
            "national_id": ["The check digits do not match. Check the number for a typing error."]
        }
        assert b"The check digits do not match" in response.content
        participant.refresh_from_db()
        assert participant.given_name == "Kari"
        assert participant.national_id == ""
        assert AuditEvent.objects.count() == events

    def test_a_phone_that_is_no_number_is_refused_with_the_other_errors(
        self, counselor, participant
    ):
        response = english(counselor).post(
            url("edit", participant),
            profile(participant, phone="ring meg", email="nope", national_id="12345678901"),
        )

        assert response.status_code == 200
        assert {"phone", "email", "national_id"} <= set(response.context["form"].errors)
        participant.refresh_from_db()
        assert participant.phone == ""

    def test_a_saved_phone_keeps_its_digits_for_the_search(self, counselor, participant):
        english(counselor).post(
            url("edit", participant), profile(participant, phone="+47 912 34 567")
        )

        participant.refresh_from_db()
        assert participant.phone_digits == "91234567"

    def test_a_required_field_left_empty_changes_nothing(self, counselor, participant):
        response = english(counselor).post(
            url("edit", participant), profile(participant, family_name="", phone="1234")
        )

        assert response.status_code == 200
        assert "family_name" in response.context["form"].errors
        participant.refresh_from_db()
        assert participant.family_name == "Nordmann"
        assert participant.phone == ""

    def test_it_refuses_a_number_another_participant_in_the_organisation_has(
        self, org, counselor, participant
    ):
        make_participant(org, counselor, given_name="Per", national_id="17059006819")

        response = english(counselor).post(
            url("edit", participant), profile(participant, national_id="17059006819")
        )

        assert response.status_code == 200
        assert response.context["form"].errors == {
            "national_id": ["Another participant in this organisation has this identity number."]
        }
        participant.refresh_from_db()
        assert participant.national_id == ""


class TestConsentPage:
    def test_it_lists_the_consents(self, counselor, participant):
        services.consent_give(
            participant=participant, by=counselor, recipient="workplace", information="strengths"
        )

        response = english(counselor).get(url("consent", participant))

        assert response.status_code == 200
        assert b"Strengths profile and interests" in response.content
        assert b"Employer and workplace mentor" in response.content

    def test_giving_consent_through_the_page(self, counselor, participant):
        response = english(counselor).post(
            url("consent", participant),
            {"recipient": "nav", "information": "plan", "note": "Agreed in meeting"},
        )

        assert response.status_code == 302
        assert response["Location"] == url("consent", participant)
        consent = participant.consents.get()
        assert (consent.recipient, consent.information) == ("nav", "plan")
        assert consent.given_recorded_by == counselor

    def test_giving_the_same_consent_twice_shows_a_message_and_adds_nothing(
        self, counselor, participant
    ):
        services.consent_give(
            participant=participant, by=counselor, recipient="nav", information="plan"
        )

        response = english(counselor).post(
            url("consent", participant), {"recipient": "nav", "information": "plan"}
        )

        assert response.status_code == 200
        assert b"This consent is already given." in response.content
        assert participant.consents.count() == 1

    def test_an_unknown_recipient_is_refused(self, counselor, participant):
        response = english(counselor).post(
            url("consent", participant), {"recipient": "facebook", "information": "plan"}
        )

        assert response.status_code == 200
        assert "recipient" in response.context["form"].errors
        assert not participant.consents.exists()

    def test_withdrawing_consent_through_the_page(self, counselor, participant):
        consent = services.consent_give(
            participant=participant, by=counselor, recipient="nav", information="plan"
        )
        client = english(counselor)

        response = client.post(url("consent_withdraw", participant, consent_pk=consent.pk))

        assert response.status_code == 302
        consent.refresh_from_db()
        assert consent.withdrawn_at is not None
        assert consent.withdrawn_recorded_by == counselor

    def test_withdrawing_twice_shows_a_message_and_changes_nothing(self, counselor, participant):
        consent = services.consent_give(
            participant=participant, by=counselor, recipient="nav", information="plan"
        )
        services.consent_withdraw(consent=consent, by=counselor)
        consent.refresh_from_db()
        withdrawn_at = consent.withdrawn_at

        response = english(counselor).post(
            url("consent_withdraw", participant, consent_pk=consent.pk), follow=True
        )

        assert "This consent is already withdrawn." in messages_of(response)
        consent.refresh_from_db()
        assert consent.withdrawn_at == withdrawn_at

    def test_a_consent_of_another_participant_cannot_be_withdrawn_through_this_one(
        self, org, counselor, participant
    ):
        someone_else = make_participant(org, counselor, given_name="Per")
        consent = services.consent_give(
            participant=someone_else, by=counselor, recipient="nav", information="plan"
        )

        response = english(counselor).post(
            url("consent_withdraw", participant, consent_pk=consent.pk)
        )

        assert response.status_code == 404
        consent.refresh_from_db()
        assert consent.withdrawn_at is None

    def test_withdrawing_is_post_only(self, counselor, participant):
        consent = services.consent_give(
            participant=participant, by=counselor, recipient="nav", information="plan"
        )

        response = english(counselor).get(
            url("consent_withdraw", participant, consent_pk=consent.pk)
        )

        assert response.status_code == 405
        consent.refresh_from_db()
        assert consent.withdrawn_at is None


class TestReassign:
    def test_it_shows_the_counselor_history(self, counselor, participant):
        response = english(counselor).get(url("follow_up", participant))

        assert response.status_code == 200
        assert b"First counselor in the period" in response.content
        assert counselor.full_name.encode() in response.content

    def test_a_reassignment_without_a_reason_is_refused_and_changes_nothing(
        self, counselor, colleague, participant
    ):
        response = english(counselor).post(
            url("follow_up", participant),
            {"action": "assign", "counselor": membership_of(colleague).pk, "reason": ""},
        )

        assert response.status_code == 400
        assert response.context["change_form"].errors == {"reason": ["This field is required."]}
        assert b"This field is required." in response.content
        assert CounselorAssignment.objects.filter(participant=participant).count() == 1
        participant.refresh_from_db()
        assert participant.counselor == counselor

    def test_other_without_words_is_refused_with_a_clear_message(
        self, counselor, colleague, participant
    ):
        response = english(counselor).post(
            url("follow_up", participant),
            {
                "action": "assign",
                "counselor": membership_of(colleague).pk,
                "reason": "other",
                "reason_text": " ",
            },
        )

        assert response.status_code == 400
        assert response.context["change_form"].errors == {
            "reason_text": ["Describe the reason when you choose “Other”."]
        }
        assert CounselorAssignment.objects.filter(participant=participant).count() == 1

    def test_the_current_counselor_is_not_offered_as_the_new_one(self, counselor, participant):
        response = english(counselor).post(
            url("follow_up", participant),
            {
                "action": "assign",
                "counselor": membership_of(counselor).pk,
                "reason": "participant_wish",
            },
        )

        assert response.status_code == 400
        assert "counselor" in response.context["change_form"].errors
        assert CounselorAssignment.objects.filter(participant=participant).count() == 1

    def test_an_administrator_is_not_offered_as_counselor(self, counselor, admin, participant):
        response = english(counselor).post(
            url("follow_up", participant),
            {"action": "assign", "counselor": membership_of(admin).pk, "reason": "long_leave"},
        )

        assert response.status_code == 400
        assert CounselorAssignment.objects.filter(participant=participant).count() == 1

    def test_only_counselors_are_offered_for_a_handover(
        self, counselor, colleague, leader, participant
    ):
        response = english(counselor).get(url("follow_up", participant))

        offered = set(response.context["change_form"].fields["counselor"].queryset)
        assert offered == {membership_of(colleague)}
        response = english(counselor).post(
            url("follow_up", participant),
            {"action": "assign", "counselor": membership_of(leader).pk, "reason": "long_leave"},
        )
        assert response.status_code == 400
        assert CounselorAssignment.objects.filter(participant=participant).count() == 1

    def test_a_reassignment_with_a_reason_works_and_the_old_counselor_loses_access(
        self, counselor, other_team_counselor, participant
    ):
        client = english(counselor)

        response = client.post(
            url("follow_up", participant),
            {
                "action": "assign",
                "counselor": membership_of(other_team_counselor).pk,
                "reason": "caseload_balancing",
                "handover_note": "Prefers phone calls",
            },
        )

        # The old counselor can no longer see the record, so goes back to the caseload.
        assert response.status_code == 302
        assert response["Location"] == reverse("participants:caseload")
        current = CounselorAssignment.objects.get(participant=participant, ended_at__isnull=True)
        assert current.counselor == other_team_counselor
        assert current.assigned_by == counselor
        assert current.handover_note == "Prefers phone calls"
        assert client.get(url("detail", participant)).status_code == 404
        assert english(other_team_counselor).get(url("detail", participant)).status_code == 200

    def test_the_old_counselor_keeps_access_when_the_team_may_see_the_teams_participants(
        self, org, counselor, colleague, participant
    ):
        org.team_sees_team_participants = True
        org.save()
        client = english(counselor)

        response = client.post(
            url("follow_up", participant),
            {
                "action": "assign",
                "counselor": membership_of(colleague).pk,
                "reason": "long_leave",
            },
        )

        assert response.status_code == 302
        assert response["Location"] == url("follow_up", participant)
        participant.refresh_from_db()
        assert participant.counselor == colleague
        assert client.get(url("detail", participant)).status_code == 200

    def test_the_old_counselor_loses_access_after_a_move_to_another_team_even_with_team_access(
        self, org, counselor, other_team_counselor, participant
    ):
        org.team_sees_team_participants = True
        org.save()
        client = english(counselor)

        client.post(
            url("follow_up", participant),
            {
                "action": "assign",
                "counselor": membership_of(other_team_counselor).pk,
                "reason": "long_leave",
            },
        )

        assert client.get(url("detail", participant)).status_code == 404

    def test_an_unknown_action_changes_nothing(self, counselor, participant):
        response = english(counselor).post(url("follow_up", participant), {"action": "delete"})

        assert response.status_code == 400
        assert "Unknown action." in messages_of(response)
        assert FollowUpPeriod.objects.filter(end_date__isnull=True).count() == 1


class TestEndAndStartPeriod:
    def test_ending_the_period_through_the_page(self, counselor, participant):
        response = english(counselor).post(
            url("follow_up", participant),
            {"action": "end", "end_date": "2026-03-01", "outcome": "ordinary_work"},
        )

        # Ending empties the counselor, so the counselor's caseload is where they land.
        assert response.status_code == 302
        assert response["Location"] == reverse("participants:caseload")
        period = participant.periods.get()
        assert period.end_date == datetime.date(2026, 3, 1)
        assert period.end_reason == "ordinary_work"
        participant.refresh_from_db()
        assert participant.active_period is None
        assert participant.counselor is None

    def test_a_leader_ends_and_stays_on_the_page(self, leader, participant):
        response = english(leader).post(
            url("follow_up", participant),
            {"action": "end", "end_date": "2026-03-01", "outcome": "education"},
        )

        assert response.status_code == 302
        assert response["Location"] == url("follow_up", participant)

    def test_ending_without_a_reason_is_refused_and_changes_nothing(self, counselor, participant):
        response = english(counselor).post(
            url("follow_up", participant),
            {"action": "end", "end_date": "2026-03-01", "outcome": ""},
        )

        assert response.status_code == 400
        assert "outcome" in response.context["end_form"].errors
        participant.refresh_from_db()
        assert participant.active_period is not None

    def test_ending_before_the_start_is_refused_with_a_clear_message(self, counselor, participant):
        response = english(counselor).post(
            url("follow_up", participant),
            {"action": "end", "end_date": "2025-12-31", "outcome": "moved_other"},
        )

        assert response.status_code == 400
        errors = response.context["end_form"].errors
        assert list(errors) == ["end_date"]
        assert errors["end_date"][0].startswith("The end cannot be before the start")
        assert participant.periods.get().end_date is None

    def test_a_new_period_can_be_started_after_the_end(self, leader, colleague, participant):
        client = english(leader)
        client.post(
            url("follow_up", participant),
            {"action": "end", "end_date": "2026-03-01", "outcome": "moved_other"},
        )

        response = client.post(
            url("follow_up", participant),
            {
                "action": "start",
                "counselor": membership_of(colleague).pk,
                "start_date": "2026-09-01",
            },
        )

        assert response.status_code == 302
        assert participant.periods.count() == 2
        participant.refresh_from_db()
        assert participant.active_period.start_date == datetime.date(2026, 9, 1)
        assert participant.counselor == colleague
        assert participant.active_period.assignments.get().reason == "initial"

    def test_a_second_open_period_is_refused(self, counselor, participant):
        response = english(counselor).post(
            url("follow_up", participant),
            {
                "action": "start",
                "counselor": membership_of(counselor).pk,
                "start_date": "2026-09-01",
            },
        )

        assert response.status_code == 400
        assert response.context["start_form"].non_field_errors() == [
            "This participant already has an open follow-up period."
        ]
        assert participant.periods.count() == 1


class TestCreate:
    def create_url(self) -> str:
        return reverse("participants:create")

    def test_the_form_offers_the_user_as_counselor(self, counselor):
        response = english(counselor).get(self.create_url())

        assert response.status_code == 200
        assert response.context["form"].initial["counselor"] == membership_of(counselor)

    def test_a_valid_participant_is_created_and_the_page_redirects_to_it(self, counselor):
        response = english(counselor).post(
            self.create_url(),
            profile(
                given_name="Nina",
                family_name="Nilsen",
                national_id="170590-06819",
                counselor=str(membership_of(counselor).pk),
                start_date="2026-02-02",
            ),
        )

        participant = Participant.objects.get()
        assert response.status_code == 302
        assert response["Location"] == url("detail", participant)
        assert participant.national_id == "17059006819"
        assert participant.counselor == counselor
        assert participant.periods.get().start_date == datetime.date(2026, 2, 2)

    def test_creating_for_someone_else_goes_back_to_the_caseload(self, counselor, colleague):
        response = english(counselor).post(
            self.create_url(),
            profile(
                given_name="Nina",
                family_name="Nilsen",
                counselor=str(membership_of(colleague).pk),
                start_date="2026-02-02",
            ),
        )

        assert response.status_code == 302
        assert response["Location"] == reverse("participants:caseload")
        assert Participant.objects.get().counselor == colleague

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"given_name": ""}, "given_name"),
            ({"national_id": "12345678901"}, "national_id"),
            ({"email": "not-an-address"}, "email"),
            ({"start_date": "31.02.2026"}, "start_date"),
            ({"counselor": ""}, "counselor"),
            ({"phone": "abc"}, "phone"),
            ({"phone": "12"}, "phone"),
            ({"birth_date": "2099-01-01"}, "birth_date"),
            ({"postal_code": "ab12"}, "postal_code"),
            ({"postal_code": "50200"}, "postal_code"),
        ],
    )
    def test_an_invalid_participant_shows_the_errors_and_creates_nothing(
        self, counselor, changes, field
    ):
        data = profile(
            given_name="Nina",
            family_name="Nilsen",
            counselor=str(membership_of(counselor).pk),
            start_date="2026-02-02",
        )
        data.update(changes)

        response = english(counselor).post(self.create_url(), data)

        assert response.status_code == 200
        assert field in response.context["form"].errors
        assert b"Please correct the following" in response.content
        assert Participant.objects.count() == 0
        assert FollowUpPeriod.objects.count() == 0
        assert AuditEvent.objects.count() == 0

    def nina(self, counselor: User, **changes: str) -> dict[str, str]:
        """A new participant's form, for `counselor`, with `changes`."""
        given = {
            "given_name": "Nina",
            "family_name": "Nilsen",
            "counselor": str(membership_of(counselor).pk),
            "start_date": "2026-02-02",
        }
        return profile(None, **given, **changes)

    def test_every_fields_error_shows_at_once(self, counselor):
        data = self.nina(counselor, national_id="12345678901", email="not-an-address", phone="abc")

        response = english(counselor).post(self.create_url(), data)

        errors = response.context["form"].errors
        assert {"national_id", "email", "phone"} <= set(errors)
        assert "only contain digits" in errors["phone"][0]
        assert Participant.objects.count() == 0

    def test_a_future_birth_date_and_a_wrong_postal_code_show_with_the_rest(self, counselor):
        data = self.nina(counselor, birth_date="2099-01-01", postal_code="ab12", phone="abc")

        response = english(counselor).post(self.create_url(), data)

        errors = response.context["form"].errors
        assert errors["birth_date"] == ["A birth date cannot be in the future."]
        assert errors["postal_code"] == ["A postal code is four digits."]
        assert "phone" in errors
        assert Participant.objects.count() == 0

    def test_a_next_follow_up_in_the_past_asks_for_a_tick_first(self, counselor):
        data = self.nina(counselor, next_follow_up_on="2020-05-01")

        response = english(counselor).post(self.create_url(), data)

        assert "is in the past" in response.context["form"].errors["next_follow_up_on"][0]
        assert b"Yes, the date is in the past" in response.content
        assert Participant.objects.count() == 0

        response = english(counselor).post(self.create_url(), {**data, "confirm_past": "on"})

        assert response.status_code == 302
        assert Participant.objects.get().next_follow_up_on == datetime.date(2020, 5, 1)

    def test_a_counselor_from_another_organisation_cannot_be_chosen(self, counselor, outsider):
        response = english(counselor).post(
            self.create_url(),
            profile(
                given_name="Nina",
                family_name="Nilsen",
                counselor=str(membership_of(outsider).pk),
                start_date="2026-02-02",
            ),
        )

        assert response.status_code == 200
        assert "counselor" in response.context["form"].errors
        assert Participant.objects.count() == 0
