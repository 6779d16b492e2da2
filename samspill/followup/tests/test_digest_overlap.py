"""Two reminder runs at once (cron and a scheduler, or a run again after a crash) send each
user one digest a day (issue 19: 200 users got two each)."""

import datetime
import threading

import pytest
from django.db import connection

from samspill.followup.models import DigestSent, Reminder
from samspill.followup.reminders import reminders_schedule, reminders_send
from samspill.outbox.models import Message
from samspill.participants import services as participant_services

START = datetime.date(2026, 1, 5)
TODAY = START + datetime.timedelta(weeks=5)


def counselors_with_reminders(org, make) -> list:
    from samspill.core.testing import make_participant, make_staff
    from samspill.organisations.models import Membership

    people = []
    for number in range(make):
        counselor = make_staff(org, f"c{number}@example.org", Membership.Role.COUNSELOR)
        counselor.email_reminders = True
        counselor.save(update_fields=["email_reminders"])
        participant = make_participant(org, counselor, family_name=f"P{number}")
        participant_services.participant_update(
            participant=participant, by=counselor, next_follow_up_on=START
        )
        people.append(counselor)
    reminders_schedule(today=TODAY)
    return people


def test_a_second_run_the_same_day_sends_nothing_and_the_next_day_sends_what_is_new(org):
    people = counselors_with_reminders(org, 3)
    assert reminders_send(today=TODAY) == 3
    assert reminders_send(today=TODAY) == 0
    assert Message.objects.count() == 3
    assert sorted(m.to[0] for m in Message.objects.all()) == sorted(p.email for p in people)
    assert DigestSent.objects.filter(day=TODAY).count() == 3
    # Nothing new is due the next day: no empty digest.
    assert reminders_send(today=TODAY + datetime.timedelta(days=1)) == 0
    assert not DigestSent.objects.filter(day=TODAY + datetime.timedelta(days=1)).exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs real database sessions at once"
)
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_user_one_digest(org):
    people = counselors_with_reminders(org, 30)
    start = threading.Barrier(2, timeout=10)
    counts: list[int] = []

    def run() -> None:
        try:
            start.wait()
            counts.append(reminders_send(today=TODAY))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sum(counts) == 30
    recipients = [message.to[0] for message in Message.objects.all()]
    assert sorted(recipients) == sorted(person.email for person in people)
    assert not Reminder.objects.filter(emailed_at__isnull=True).exists()
