"""The mentor side of a placement (seed 002): the mentor chosen with the employer, the time and
compensation set aside, the leader who backs the mentor, the monthly record of hours (staff or
the placement's own mentor), and the typed challenges and social side of follow-ups and
evaluations. Clock frozen on cast.TODAY; the placement starts on cast.START."""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samspill.core.revisions import StaleRevision
from samspill.core.testing import portal_user
from samspill.employers.services import contact_add
from samspill.placements import followups, mentoring
from samspill.placements.models import Challenge, MentorArrangement, MentorMonth
from samspill.placements.tests.cast import START, at

pytestmark = pytest.mark.usefixtures("clock")

APRIL = datetime.date(2026, 4, 15)


def arrange(placement, by, revision=None, **changes):
    values: dict[str, Any] = {
        "chosen_with_employer": True,
        "chosen_on": datetime.date(2026, 2, 20),
        "why": "Works beside the oven every day",
        "hours_per_week": Decimal("3"),
        "compensation": MentorArrangement.Compensation.MENTOR_GRANT,
        "rate": "NOK 2,000 a month",
        "paid_by": "NAV",
    }
    values.update(changes)
    return mentoring.mentor_arrangement_save(
        placement=placement, by=by, revision=revision, **values
    )


def test_the_mentor_is_chosen_with_the_employer_and_backed_by_a_leader(
    draft, counselor, employer_contact
):
    arrangement = arrange(draft, counselor, leader=employer_contact)
    assert arrangement.chosen_by == counselor
    assert arrangement.leader == employer_contact
    assert arrangement.revision == 0
    again = arrange(draft, counselor, revision=0, hours_per_week=Decimal("4"))
    assert again.pk == arrangement.pk and again.revision == 1
    assert again.hours_per_week == Decimal("4")


def test_a_stale_arrangement_write_is_refused_and_changes_nothing(draft, counselor):
    arrange(draft, counselor)
    arrange(draft, counselor, revision=0, why="First")
    with pytest.raises(StaleRevision):
        arrange(draft, counselor, revision=0, why="Second")
    with pytest.raises(StaleRevision):
        arrange(draft, counselor, why="Read nothing first")
    assert MentorArrangement.objects.get().why == "First"


def test_bad_arrangement_input_is_refused(draft, counselor, other_employer, outsider):
    stranger = contact_add(
        employer=other_employer, by=outsider, name="Other Leader", phone="12345678"
    )
    with pytest.raises(ValidationError):
        arrange(draft, counselor, leader=stranger)
    with pytest.raises(ValidationError):
        arrange(draft, counselor, hours_per_week=Decimal("80"))
    with pytest.raises(ValidationError):
        arrange(draft, counselor, compensation="bribe")
    assert not MentorArrangement.objects.exists()


def test_the_mentor_records_a_month_once_and_a_stale_write_is_refused(
    approved, mentor, counselor, time_machine
):
    time_machine.move_to(at(APRIL), tick=False)
    first = mentoring.mentor_month_record(
        placement=approved, by=mentor, month=APRIL, hours=Decimal("10"), note="Ovnene"
    )
    assert first.month == datetime.date(2026, 4, 1)
    second = mentoring.mentor_month_record(
        placement=approved, by=counselor, month=APRIL, hours=Decimal("12"), revision=0
    )
    assert second.pk == first.pk and second.hours == Decimal("12")
    with pytest.raises(StaleRevision):
        mentoring.mentor_month_record(
            placement=approved, by=mentor, month=APRIL, hours=Decimal("1"), revision=0
        )
    assert MentorMonth.objects.get().hours == Decimal("12")
    summary = mentoring.mentor_summary(approved)
    assert summary["total_hours"] == Decimal("12")


def test_another_mentor_or_the_employer_contact_cannot_record_the_month(
    approved, employer, employer_user, counselor, time_machine
):
    time_machine.move_to(at(APRIL), tick=False)
    other = portal_user(
        contact_add(employer=employer, by=counselor, name="Ola", phone="12345678", is_mentor=True)
    )
    for user in (other, employer_user):
        with pytest.raises(PermissionDenied):
            mentoring.mentor_month_record(
                placement=approved, by=user, month=APRIL, hours=Decimal("1")
            )
    assert not MentorMonth.objects.exists()


def test_a_month_before_the_start_or_in_the_future_is_refused(approved, mentor):
    for month in (START - datetime.timedelta(days=40), datetime.date(2026, 9, 1)):
        with pytest.raises(ValidationError):
            mentoring.mentor_month_record(
                placement=approved, by=mentor, month=month, hours=Decimal("1")
            )
    with pytest.raises(ValidationError):
        mentoring.mentor_month_record(
            placement=approved, by=mentor, month=START, hours=Decimal("-1")
        )


def test_challenges_are_typed_counted_and_mental_health_stays_with_staff(
    approved, counselor, time_machine
):
    time_machine.move_to(at(APRIL), tick=False)
    follow_up = followups.follow_up_log(
        placement=approved,
        by=counselor,
        held_on=APRIL,
        going="mixed",
        counselor_present=True,
        challenges=["mental_health", "language", "language"],
    )
    assert follow_up.challenges == ["language", "mental_health"]
    assert mentoring.employer_visible(follow_up.challenges) == ["language"]
    evaluation = followups.evaluation_save(
        placement=approved,
        by=counselor,
        kind="midway",
        held_on=APRIL,
        tasks_mastered="Deig",
        attendance="good",
        cooperation="good",
        challenges=[Challenge.SOCIAL],
        functions_socially="variable",
        feels_recognised="good",
        enjoys_work="very_good",
    )
    assert evaluation.enjoys_work == "very_good"
    counts = mentoring.challenge_counts([follow_up.challenges, evaluation.challenges])
    assert counts == {"language": 1, "social": 1, "mental_health": 1}
    with pytest.raises(ValidationError):
        followups.follow_up_log(
            placement=approved,
            by=counselor,
            held_on=APRIL,
            going="well",
            counselor_present=True,
            challenges=["boredom"],
        )
