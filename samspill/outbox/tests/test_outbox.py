"""The outbox: e-mail is written with the change, sent after commit, retried while the relay is
down, and never sent twice, not even after a crash."""

import datetime
import threading

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from samspill.outbox import queries, services
from samspill.outbox.models import Message
from samspill.outbox.testing import ProcessKilled

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def put(number: int = 1) -> list[Message]:
    messages = []
    with transaction.atomic():
        for n in range(number):
            message = services.outbox_put(to=[f"p{n}@example.org"], subject=f"Hello {n}", body="B")
            assert message is not None
            messages.append(message)
    return messages


def test_a_message_is_sent_after_commit_with_its_own_message_id(
    relay, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        [message] = put()
        assert mail.outbox == []  # not before the commit
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Message-ID"] == message.message_id
    message.refresh_from_db()
    assert message.status == Message.Status.SENT and message.attempts == 1
    assert services.outbox_deliver_due() == 0  # nothing twice


def test_a_change_rolled_back_sends_nothing(relay, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.outbox_put(to=["a@example.org"], subject="Hello", body="Body")
        raise RuntimeError
    assert not Message.objects.exists()
    assert services.outbox_deliver_due() == 0
    assert mail.outbox == []


def test_no_recipient_no_message(relay):
    assert services.outbox_put(to=["", ""], subject="Hello", body="Body") is None
    assert not Message.objects.exists()


def test_a_relay_that_is_down_delays_the_message_with_growing_pauses(relay):
    relay.down = True
    with time_machine.travel(START, tick=False) as clock:
        [message] = put()
        assert services.outbox_deliver_due() == 0
        assert services.outbox_deliver_due() == 0  # not due again at once
        message.refresh_from_db()
        assert message.status == Message.Status.PENDING and message.attempts == 1
        assert "Connection refused" in message.last_error
        assert message.next_attempt_at == START + datetime.timedelta(minutes=1)
        clock.shift(datetime.timedelta(minutes=1))
        assert services.outbox_deliver_due() == 0
        message.refresh_from_db()
        assert message.next_attempt_at == timezone.now() + datetime.timedelta(minutes=2)
        clock.shift(datetime.timedelta(minutes=20))
        assert any("waiting for more than 15 minutes" in p for p in queries.outbox_problems())
        relay.down = False
        assert services.outbox_deliver_due() == 1
    assert len(mail.outbox) == 1
    assert queries.outbox_problems() == []


def test_the_pauses_grow_to_an_hour_and_it_gives_up_after_the_last_attempt(relay):
    assert [services.backoff(n).total_seconds() // 60 for n in (1, 2, 3, 7, 8, 30)] == [
        1,
        2,
        4,
        60,
        60,
        60,
    ]
    relay.down = True
    with time_machine.travel(START, tick=False) as clock:
        [message] = put()
        for _attempt in range(services.MAX_ATTEMPTS):
            services.outbox_deliver_due()
            clock.shift(datetime.timedelta(hours=1))
        message.refresh_from_db()
        assert message.status == Message.Status.FAILED
        assert message.attempts == services.MAX_ATTEMPTS
        assert any("failed" in problem for problem in queries.outbox_problems())


def test_a_message_the_relay_accepted_is_not_sent_again_after_a_crash(relay):
    """The process dies after the relay accepted the message, before it was marked sent: it is
    in doubt, never sent again by itself, reported, and resent only by an operator."""
    [message] = put()
    relay.die_after_accepting = True
    with pytest.raises(ProcessKilled):
        services.outbox_deliver_due()
    relay.die_after_accepting = False
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.status == Message.Status.SENDING
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=2), tick=False):
        assert services.outbox_deliver_due() == 0
        assert len(mail.outbox) == 1  # not twice
        [problem] = queries.outbox_problems()
        assert "in doubt" in problem
        call_command("outbox", "resend", str(message.pk))
        assert services.outbox_deliver_due() == 1
    assert len(mail.outbox) == 2
    assert mail.outbox[1].extra_headers["Message-ID"] == message.message_id


def test_a_message_in_doubt_the_relay_got_is_marked_sent_by_an_operator(relay):
    [message] = put()
    relay.die_after_accepting = True
    with pytest.raises(ProcessKilled):
        services.outbox_deliver_due()
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=2), tick=False):
        call_command("outbox", "sent", str(message.pk))
        assert queries.outbox_problems() == []
        assert services.outbox_deliver_due() == 0
    assert len(mail.outbox) == 1


def test_a_message_being_sent_is_not_resent_by_an_operator(relay):
    [message] = put()
    relay.die_after_accepting = True
    with pytest.raises(ProcessKilled):
        services.outbox_deliver_due()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("outbox", "resend", str(message.pk))


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs real database sessions at once"
)
@pytest.mark.django_db(transaction=True)
def test_senders_at_once_send_each_message_once(relay):
    put(60)
    start = threading.Barrier(3, timeout=10)

    def sender() -> None:
        try:
            start.wait()
            services.outbox_deliver_due()
        finally:
            connection.close()

    threads = [threading.Thread(target=sender) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    recipients = [email.to[0] for email in mail.outbox]
    assert len(recipients) == 60 == len(set(recipients))
    assert Message.objects.filter(status=Message.Status.SENT).count() == 60
