"""A placement's status, derived from approvals, cancellation and the date; cancelling; ending
with an outcome; and the chain to the next placement (what carries over, and the accommodations
only while the participant's consent holds).

The clock is frozen (time-machine) on Monday 2 March 2026 and moved where the story needs it;
the story's dates and helpers are in cast.py, its fixtures in conftest.py.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError

from samspill.participants import services as participant_services
from samspill.participants.models import ConsentRecord
from samspill.placements import services
from samspill.placements.models import FollowUp, Placement, Status
from samspill.placements.tests import cast
from samspill.placements.tests.cast import END, START, at, due_dates

pytestmark = pytest.mark.usefixtures("clock")


# The status, derived from approvals, cancellation and the date.


def test_the_status_goes_from_draft_to_ended(
    participant, employer, counselor, mentor_contact, employer_user, clock
):
    placement = services.placement_create(
        participant=participant,
        employer=employer,
        by=counselor,
        kind=Placement.Kind.WORK_TRAINING,
        title="Bakeassistent",
        start_date=START,
        end_date=END,
        mentor=mentor_contact,
    )
    assert placement.status == Status.DRAFT
    # The participant's organisation, which a leader's placement list is read by.
    assert placement.organisation_id == participant.organisation_id
    placement, _cleared = services.agreement_update(
        placement=placement, by=counselor, revision=placement.revision, **cast.CONTENT
    )
    assert placement.status == Status.DRAFT  # complete, but not sent yet
    placement = services.agreement_send_for_approval(
        placement=placement, by=counselor, revision=placement.revision
    )
    assert placement.status == Status.AWAITING_APPROVAL
    placement = cast.approve_all(placement, counselor, employer_user)
    assert placement.status == Status.READY
    clock.move_to(at(START), tick=False)
    assert placement.status == Status.RUNNING
    clock.move_to(at(END), tick=False)
    assert placement.status == Status.RUNNING
    clock.move_to(at(END + datetime.timedelta(days=1)), tick=False)
    assert placement.status == Status.ENDED
    assert placement.status_on(START) == Status.RUNNING


def test_ending_early_ends_it_at_once(approved, counselor, clock):
    clock.move_to(at(START + datetime.timedelta(days=40)), tick=False)
    ended = services.placement_end(
        placement=approved,
        by=counselor,
        ended_on=START + datetime.timedelta(days=39),
        outcome=Placement.Outcome.NOT_READY,
    )
    assert ended.status == Status.ENDED
    assert ended.end_date == START + datetime.timedelta(days=39)


@pytest.mark.parametrize("stage", ["draft", "approved"])
def test_a_cancelled_placement_is_cancelled_whatever_else_it_is(
    stage, draft, counselor, employer_user
):
    placement = cast.approve_all(draft, counselor, employer_user) if stage == "approved" else draft
    with pytest.raises(ValidationError) as raised:
        services.placement_cancel(placement=placement, by=counselor, reason="other")
    assert list(raised.value.message_dict) == ["cancel_note"]
    cancelled = services.placement_cancel(
        placement=placement, by=counselor, reason=Placement.CancelReason.ILL
    )
    assert cancelled.status == Status.CANCELLED
    assert cancelled.cancel_reason == Placement.CancelReason.ILL
    assert not FollowUp.objects.filter(placement=placement, held_on__isnull=True).exists()
    with pytest.raises(ValidationError):
        services.agreement_update(
            placement=cancelled, by=counselor, revision=cancelled.revision, tasks="X"
        )


# Ending and the chain.


def test_ending_asks_for_the_outcome_and_drops_the_follow_ups_after_the_end(
    approved, counselor, clock
):
    ended_on = START + datetime.timedelta(days=30)
    clock.move_to(at(ended_on), tick=False)
    with pytest.raises(ValidationError) as raised:
        services.placement_end(placement=approved, by=counselor, ended_on=ended_on, outcome="?")
    assert list(raised.value.message_dict) == ["outcome"]
    with pytest.raises(ValidationError) as raised:
        services.placement_end(
            placement=approved,
            by=counselor,
            ended_on=ended_on + datetime.timedelta(days=1),
            outcome=Placement.Outcome.OTHER_MEASURE,
        )
    assert list(raised.value.message_dict) == ["ended_on"]
    services.placement_end(
        placement=approved,
        by=counselor,
        ended_on=ended_on,
        outcome=Placement.Outcome.OTHER_MEASURE,
    )
    approved.refresh_from_db()
    assert approved.outcome == Placement.Outcome.OTHER_MEASURE
    assert all(day <= ended_on for day in due_dates(approved))
    with pytest.raises(ValidationError):
        services.placement_end(
            placement=approved,
            by=counselor,
            ended_on=ended_on,
            outcome=Placement.Outcome.OTHER_MEASURE,
        )


def test_the_next_placement_carries_the_content_over(
    approved, participant, employer, counselor, mentor_contact, clock
):
    ended_on = START + datetime.timedelta(days=30)
    clock.move_to(at(ended_on), tick=False)
    services.placement_end(
        placement=approved,
        by=counselor,
        ended_on=ended_on,
        outcome=Placement.Outcome.OTHER_MEASURE,
    )
    approved.refresh_from_db()
    initial = services.next_placement_initial(approved)
    assert initial["kind"] == Placement.Kind.TEMPORARY_WAGE_SUBSIDY  # practice -> wage subsidy
    assert initial["start_date"] == ended_on + datetime.timedelta(days=1)
    assert initial["mentor"] == mentor_contact
    for name in ("title", "tasks", "goals", "employer_expects", "we_offer", "call_whom"):
        assert initial[name] == getattr(approved, name)
    assert not {"end_date", "wage_subsidy_percent", "start_reason"} & set(initial)
    following = services.placement_create(
        participant=participant,
        employer=employer,
        by=counselor,
        previous=approved,
        end_date=ended_on + datetime.timedelta(days=200),
        wage_subsidy_percent=50,
        **initial,
    )
    assert following.previous == approved
    assert following.status == Status.DRAFT  # complete, as it was, and not sent yet
    assert services.content_of(following)["tasks"] == approved.tasks


@pytest.mark.parametrize(
    ("outcome", "kind"),
    [
        (Placement.Outcome.ORDINARY_WORK, Placement.Kind.ORDINARY_JOB),
        (Placement.Outcome.APPRENTICESHIP, Placement.Kind.APPRENTICESHIP),
        (Placement.Outcome.OTHER_MEASURE, Placement.Kind.TEMPORARY_WAGE_SUBSIDY),
    ],
)
def test_the_next_kind_follows_the_outcome(outcome, kind):
    assert services.next_kind(Placement(kind=Placement.Kind.WORK_TRAINING, outcome=outcome)) == kind


def test_a_wage_subsidy_leads_to_a_job():
    placement = Placement(kind=Placement.Kind.TEMPORARY_WAGE_SUBSIDY, outcome="other_measure")
    assert services.next_kind(placement) == Placement.Kind.ORDINARY_JOB


def test_the_next_placement_shares_accommodations_only_while_the_consent_holds(
    approved, participant, employer, counselor, clock
):
    participant.shareable_accommodations = "Trenger pauser"
    participant.save(update_fields=["shareable_accommodations"])
    consent = participant_services.consent_give(
        participant=participant,
        by=counselor,
        recipient=ConsentRecord.Recipient.WORKPLACE,
        information=ConsentRecord.Information.ACCOMMODATIONS,
    )
    first = cast.draft(participant, employer, counselor, approved.mentor, start=START)
    assert first.accommodations == "Trenger pauser"
    participant_services.consent_withdraw(consent=consent, by=counselor)
    initial = services.next_placement_initial(first)
    following = services.placement_create(
        participant=participant,
        employer=employer,
        by=counselor,
        previous=first,
        end_date=initial["start_date"] + datetime.timedelta(days=100),
        wage_subsidy_percent=50,
        **initial,
    )
    assert following.accommodations == ""
