"""Statuses six and twelve months after follow-up are reminded to the period's last counselor,
once, when they fall due, and no longer once recorded."""

import datetime
from decimal import Decimal

from samspill.followup.models import Reminder
from samspill.followup.reminders import reminders_schedule, reminders_send
from samspill.participants import outcomes
from samspill.participants import services as participant_services
from samspill.participants.models import FollowUpStatus, Outcome

START = datetime.date(2026, 1, 5)  # the cast's participant starts here
ENDED = datetime.date(2026, 2, 2)


def end_with_work(participant, counselor):
    return participant_services.period_end(
        participant=participant,
        by=counselor,
        end_date=ENDED,
        outcome=Outcome.ORDINARY_WORK,
        hours_per_week=Decimal(30),
    )


def test_a_status_is_reminded_to_the_last_counselor_when_due_and_only_once(
    participant, counselor, mailoutbox, django_capture_on_commit_callbacks
):
    period = end_with_work(participant, counselor)
    six, twelve = period.statuses.order_by("months")
    assert (six.due_on, twelve.due_on) == (datetime.date(2026, 8, 2), datetime.date(2027, 2, 2))
    assert {six.counselor_id, twelve.counselor_id} == {counselor.pk}

    assert not Reminder.objects.filter(kind=Reminder.Kind.STATUS_AFTER).exists()
    reminders_schedule(today=datetime.date(2026, 8, 1))
    assert not Reminder.objects.filter(kind=Reminder.Kind.STATUS_AFTER).exists()

    reminders_schedule(today=datetime.date(2026, 8, 2))
    reminders_schedule(today=datetime.date(2026, 8, 3))
    reminder = Reminder.objects.get(kind=Reminder.Kind.STATUS_AFTER)
    assert (reminder.user_id, reminder.participant_id) == (counselor.pk, None)
    counselor.email_reminders = True  # the counselor's own choice, on their account page
    counselor.save(update_fields=["email_reminders"])
    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends after commit
        assert reminders_send() == 1
    assert participant.given_name not in mailoutbox[0].body  # counts only in e-mail


def test_a_recorded_status_is_not_reminded(participant, counselor):
    period = end_with_work(participant, counselor)
    outcomes.status_record(
        status=period.statuses.get(months=6),
        by=counselor,
        outcome=Outcome.EDUCATION,
        as_of=datetime.date(2026, 7, 20),
    )
    reminders_schedule(today=datetime.date(2026, 8, 2))
    assert not Reminder.objects.filter(kind=Reminder.Kind.STATUS_AFTER).exists()
    assert FollowUpStatus.objects.get(period=period, months=6).source == "staff"
