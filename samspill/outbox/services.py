"""Writing e-mail into the outbox and delivering it.

`outbox_put` writes the message inside the caller's transaction: if the change rolls back there
is no e-mail, and once it commits the e-mail is stored even if the process dies the moment
after. After commit the same process makes one attempt, so an invitation arrives at once; an
SMTP relay that is down costs the request nothing (the error is recorded, the page answers as
usual). The worker delivers whatever is left (`outbox_deliver_due`, from `samspill db_worker`
and `samspill scheduler`), retrying with a growing pause.

Delivery of one message:
1. claim: in a short transaction, lock the row (`select_for_update(skip_locked=True)`, so two
   senders never wait on each other nor take the same message) and mark it SENDING with the
   time the attempt started; commit. The update is conditional on the status, which keeps the
   claim exact on SQLite too (no row locks there; writers are serialised instead);
2. hand it to the relay with its Message-ID, fixed when the message was written;
3. mark it SENT, or, when the relay refused or could not be reached (an exception), back to
   PENDING with the next attempt after `backoff(attempts)`; FAILED after MAX_ATTEMPTS.

The choice after a crash: a message left SENDING (the process died between 1 and 3) may
already be accepted by the relay. It is never sent again by itself (at most once for that
short window): `outbox_problems` reports it as "in doubt" and an operator who has looked in the
relay's log sends it again with `samspill outbox resend ID`. A message that raised an error is
retried (at least once): in the rare case the connection broke after the relay accepted it, the
repeat has the same Message-ID, which mail clients use to show it once.
"""

import datetime
import logging
from email.utils import make_msgid
from typing import Literal
from urllib.parse import urlparse

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from samspill.outbox import queries
from samspill.outbox.models import Message

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 30
FIRST_PAUSE = datetime.timedelta(minutes=1)
LONGEST_PAUSE = datetime.timedelta(hours=1)
# How long the relay may take to answer before the attempt counts as failed.
SMTP_TIMEOUT = 20


def backoff(attempts: int) -> datetime.timedelta:
    """The pause after the n-th failed attempt: 1, 2, 4 … minutes, at most an hour."""
    return min(FIRST_PAUSE * 2 ** max(attempts - 1, 0), LONGEST_PAUSE)


def _message_id() -> str:
    domain = urlparse(settings.SITE_URL).hostname or "samspill.local"
    return make_msgid(idstring="samspill", domain=domain)


def outbox_put(*, to: list[str], subject: str, body: str) -> Message | None:
    """Store an e-mail to send once the current transaction commits (None without recipients).

    Call it inside the service's transaction, with the text already translated."""
    recipients = [address for address in to if address]
    if not recipients:
        return None
    if "\n" in subject or "\r" in subject:
        raise ValidationError({"subject": "A subject is one line."})
    message = Message.objects.create(
        to=recipients,
        subject=subject[:255],
        body=body,
        message_id=_message_id(),
        next_attempt_at=timezone.now(),
    )
    if getattr(settings, "OUTBOX_DELIVER_ON_COMMIT", True):
        pk = message.pk
        transaction.on_commit(lambda: _deliver_after_commit(pk))
    return message


def _deliver_after_commit(pk: int) -> None:
    """The first attempt, in the process that wrote the message; never raises into a request."""
    try:
        outbox_deliver(queryset=Message.objects.filter(pk=pk))
    except Exception:  # the worker will try again; the request must not fail for it
        logger.exception("outbox: the first attempt at message %s failed", pk)


def _claim(
    queryset: "QuerySet[Message]", now: datetime.datetime
) -> Message | Literal[False] | None:
    """Take the next due message for this process: the message, None when there is none, or
    False when another sender took it first."""
    with transaction.atomic():
        message = (
            queryset.filter(status=Message.Status.PENDING, next_attempt_at__lte=now)
            .select_for_update(skip_locked=True)
            .order_by("next_attempt_at", "pk")
            .first()
        )
        if message is None:
            return None
        claimed = Message.objects.filter(pk=message.pk, status=Message.Status.PENDING).update(
            status=Message.Status.SENDING,
            attempt_started_at=now,
            attempts=F("attempts") + 1,
        )
        if not claimed:
            return False
    message.refresh_from_db()
    return message


def _send(message: Message, connection: BaseEmailBackend) -> None:
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        to=list(message.to),
        headers={"Message-ID": message.message_id},
        connection=connection,
    )
    email.send()


def outbox_deliver(*, queryset: "QuerySet[Message] | None" = None, limit: int = 100) -> int:
    """Send the due messages (of `queryset`, or all), at most `limit`; returns how many were
    accepted by the relay. Stops at the first error: the relay is likely down for all."""
    queryset = Message.objects.all() if queryset is None else queryset
    connection = get_connection(timeout=getattr(settings, "EMAIL_TIMEOUT", None) or SMTP_TIMEOUT)
    sent = 0
    try:
        for _attempt in range(limit):
            message = _claim(queryset, timezone.now())
            if message is None:
                break
            if message is False:
                continue
            try:
                _send(message, connection)
            except Exception as error:
                _failed(message, error)
                break
            Message.objects.filter(pk=message.pk).update(
                status=Message.Status.SENT, sent_at=timezone.now(), last_error=""
            )
            sent += 1
    finally:
        try:
            connection.close()
        except Exception:
            logger.warning("outbox: closing the connection to the relay failed", exc_info=True)
    return sent


def _failed(message: Message, error: Exception) -> None:
    """The relay refused or could not be reached: try again later, or give up."""
    logger.warning(
        "outbox: message %s not sent (attempt %s): %r", message.pk, message.attempts, error
    )
    gave_up = message.attempts >= MAX_ATTEMPTS
    Message.objects.filter(pk=message.pk, status=Message.Status.SENDING).update(
        status=Message.Status.FAILED if gave_up else Message.Status.PENDING,
        next_attempt_at=timezone.now() + backoff(message.attempts),
        last_error=f"{type(error).__name__}: {error}"[:2000],
    )


def outbox_deliver_due(*, limit: int = 100) -> int:
    """What the worker calls: every message whose time has come."""
    return outbox_deliver(limit=limit)


@transaction.atomic
def outbox_resend(*, message: Message) -> Message:
    """An operator's decision: send a message in doubt (or failed) once more, now."""
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.status == Message.Status.SENT:
        raise ValidationError("This message was sent.")
    if message.status == Message.Status.SENDING and not queries.in_doubt().filter(pk=message.pk):
        raise ValidationError("This message is being sent right now.")
    message.status = Message.Status.PENDING
    message.next_attempt_at = timezone.now()
    message.save(update_fields=["status", "next_attempt_at"])
    return message


@transaction.atomic
def outbox_mark_sent(*, message: Message) -> Message:
    """An operator's finding: a message in doubt was accepted by the relay (its log shows the
    Message-ID), so it is not to be sent again."""
    message = Message.objects.select_for_update().get(pk=message.pk)
    if not queries.in_doubt().filter(pk=message.pk).exists():
        raise ValidationError("Only a message in doubt can be marked sent.")
    message.status = Message.Status.SENT
    message.sent_at = message.attempt_started_at
    message.save(update_fields=["status", "sent_at"])
    return message
