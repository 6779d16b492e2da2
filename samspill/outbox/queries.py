"""Reads of the outbox: what waits, what failed, what is in doubt after a crash."""

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from samspill.outbox.models import Message

# A message SENDING for longer than this was interrupted by a crash (an attempt takes seconds).
IN_DOUBT_AFTER = datetime.timedelta(minutes=10)
# A message still waiting after this long means the relay or the worker is down.
LATE_AFTER = datetime.timedelta(minutes=15)
# Failed messages are reported for this long (or until resent).
FAILED_SHOWN_FOR = datetime.timedelta(days=7)


def in_doubt() -> "QuerySet[Message]":
    return Message.objects.filter(
        status=Message.Status.SENDING, attempt_started_at__lt=timezone.now() - IN_DOUBT_AFTER
    )


def late() -> "QuerySet[Message]":
    return Message.objects.filter(
        status=Message.Status.PENDING, created_at__lt=timezone.now() - LATE_AFTER
    )


def failed() -> "QuerySet[Message]":
    return Message.objects.filter(
        status=Message.Status.FAILED, created_at__gte=timezone.now() - FAILED_SHOWN_FOR
    )


def outbox_problems() -> list[str]:
    """Plain sentences for an operator (health checks, `samspill tasks_health`); empty when
    all is well. Three cheap counts on indexed columns."""
    problems = []
    late_count = late().count()
    if late_count:
        last = late().exclude(last_error="").order_by("-pk").values_list("last_error", flat=True)
        error = next(iter(last), "") or "no attempt yet: is a worker running?"
        problems.append(
            f"outbox: {late_count} e-mail(s) waiting for more than "
            f"{int(LATE_AFTER.total_seconds() // 60)} minutes ({error[:200]})"
        )
    doubt = in_doubt().count()
    if doubt:
        problems.append(
            f"outbox: {doubt} e-mail(s) in doubt after a crash; check the relay's log, then "
            "`samspill outbox resend ID` if it never got them (`samspill outbox list`)"
        )
    failed_count = failed().count()
    if failed_count:
        problems.append(f"outbox: {failed_count} e-mail(s) failed after every attempt")
    return problems
