"""Throttling of guesses: sign-ins, password-reset requests and API tokens (issue 16).

Each attempt is counted under one or more keys (the account's e-mail address, the client's
address) in a fixed window of 15 minutes. A key that reaches its limit is locked for the rest of
its window: every attempt under it is refused, the right password too, with the time it ends.
The same message is given whether an account exists or not.

The counts are rows of `AuthThrottle`, so several web processes share them. A count locks its
row (`select_for_update`) to add one; a count also removes every row whose window has passed,
so the table holds at most the last 15 minutes of failures (safe to run twice, or at once).

The client's address is `REMOTE_ADDR`. Behind proxies, `SAMSPILL_TRUSTED_PROXIES` says how many
of them append to X-Forwarded-For; the address is then that many entries from its right end
(the entries further left are whatever the client wrote).
"""

import dataclasses
import datetime
import hashlib
import logging

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from samspill.accounts.models import AuthThrottle

logger = logging.getLogger(__name__)

WINDOW = datetime.timedelta(minutes=15)


@dataclasses.dataclass(frozen=True)
class Limit:
    """How many failures of one kind a key may have in a window before it is locked."""

    scope: str
    failures: int

    def key(self, identifier: str) -> str:
        return hashlib.sha256(f"{self.scope}:{identifier}".encode()).hexdigest()


# Per account: few enough that guessing a password is hopeless, enough for someone who mistypes.
LOGIN_ACCOUNT = Limit("login-account", 10)
# Per address: an office behind one address signs in many people; one person guessing for
# many accounts is stopped.
LOGIN_ADDRESS = Limit("login-address", 50)
# Every reset request counts (each may send an e-mail), not only failed ones.
RESET_ACCOUNT = Limit("reset-account", 5)
RESET_ADDRESS = Limit("reset-address", 20)
# Failed bearer tokens per address.
TOKEN_ADDRESS = Limit("token-address", 20)


def normalise_email(email: str) -> str:
    return email.strip().casefold()


def client_address(request: HttpRequest) -> str:
    """The client's IP address: REMOTE_ADDR, or the entry of X-Forwarded-For that the nearest
    trusted proxy wrote (see the module docstring)."""
    proxies: int = settings.SAMSPILL_TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        entries = [entry.strip() for entry in forwarded.split(",") if entry.strip()]
        if entries:
            return entries[-min(proxies, len(entries))]
    return str(request.META.get("REMOTE_ADDR", ""))


def locked_until(*, keys: list[tuple[Limit, str]]) -> datetime.datetime | None:
    """When the latest lock among `keys` ends, or None if none of them is locked."""
    now = timezone.now()
    rows = AuthThrottle.objects.filter(
        key__in=[limit.key(identifier) for limit, identifier in keys], window_start__gt=now - WINDOW
    ).values_list("key", "window_start", "failures")
    limits = {limit.key(identifier): limit for limit, identifier in keys}
    ends = [
        window_start + WINDOW
        for key, window_start, failures in rows
        if failures >= limits[key].failures
    ]
    return max(ends, default=None)


@transaction.atomic
def throttle_count(*, keys: list[tuple[Limit, str]]) -> None:
    """Count one failed attempt under each key, in the current window of each."""
    now = timezone.now()
    # Rows another count is removing at this moment are left to it (no waiting on each other).
    passed = AuthThrottle.objects.select_for_update(skip_locked=True).filter(
        window_start__lte=now - WINDOW
    )
    AuthThrottle.objects.filter(pk__in=list(passed.values_list("pk", flat=True))).delete()
    for limit, identifier in keys:
        row, _created = AuthThrottle.objects.select_for_update().get_or_create(
            key=limit.key(identifier), defaults={"window_start": now}
        )
        if row.window_start <= now - WINDOW:  # removed above, unless it passed just now
            row.window_start, row.failures = now, 0
        row.failures += 1
        row.save(update_fields=["window_start", "failures"])
        if row.failures == limit.failures:
            # Who or which address is not logged: the key is a hash, and that is enough to
            # see that locks happen and how often.
            logger.warning("Throttle: %s locked until %s", limit.scope, row.window_start + WINDOW)


@transaction.atomic
def throttle_clear(*, keys: list[tuple[Limit, str]]) -> None:
    """Forget the failures under `keys` (an account that has just signed in)."""
    AuthThrottle.objects.filter(
        key__in=[limit.key(identifier) for limit, identifier in keys]
    ).delete()
