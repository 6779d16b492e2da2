"""`Idempotency-Key` for API writes: a client that retries a POST, PUT, PATCH or DELETE after a
timeout or a dropped connection sends the same key, and gets the first answer back (with
`Idempotent-Replayed: true`) instead of writing twice.

Keys belong to the caller (the token's user, or the session's): another user's key means
nothing. A key is kept 24 hours. The same key with another method, path or body is a 422; a
key whose first request is still running is a 409 with `Retry-After`. Only answers the client
should not retry differently are kept (2xx and 4xx but 401, 403 and 429); after a 5xx, or a crash
mid-request, the key is free again. Writes of shared objects also carry their `revision`, so
even a retry without a key cannot overwrite a newer save (samspill/core/revisions.py).
"""

import datetime
import hashlib
import json
from collections.abc import Callable
from contextlib import suppress

from django.db import DatabaseError, IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.accounts.auth import user_for_token
from samspill.accounts.models import IdempotentRequest, User

KEEP = datetime.timedelta(hours=24)
# A first request that has not answered in this time died with its process: its key is free.
ABANDONED = datetime.timedelta(minutes=1)
KEY_MAX = 255
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
NOT_KEPT = frozenset({401, 403, 429})


def _caller(request: HttpRequest) -> User | None:
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return user_for_token(header.removeprefix("Bearer ").strip())
    user = getattr(request, "user", None)
    return user if isinstance(user, User) and user.is_authenticated else None


def _error(status: int, detail: str) -> HttpResponse:
    return HttpResponse(
        json.dumps({"detail": detail, "errors": [{"field": "Idempotency-Key", "message": detail}]}),
        status=status,
        content_type="application/json",
    )


def _claim(user: User, key: str, fingerprint: str) -> IdempotentRequest | HttpResponse:
    """The row this request answers into, or the answer to give instead of running it."""
    now = timezone.now()
    IdempotentRequest.objects.filter(created_at__lt=now - KEEP).delete()
    try:
        with transaction.atomic():
            return IdempotentRequest.objects.create(
                user=user, key=key, fingerprint=fingerprint, created_at=now
            )
    except IntegrityError:
        pass
    record = IdempotentRequest.objects.get(user=user, key=key)
    if record.fingerprint != fingerprint:
        return _error(422, _("This Idempotency-Key was already used with a different request."))
    if record.status is None:
        taken = IdempotentRequest.objects.filter(
            pk=record.pk, status__isnull=True, created_at__lt=now - ABANDONED
        ).update(created_at=now)
        if taken:
            return record
        response = _error(409, _("A request with this Idempotency-Key is still running."))
        response["Retry-After"] = "1"
        return response
    replay = HttpResponse(
        bytes(record.body), status=record.status, content_type=record.content_type or None
    )
    replay["Idempotent-Replayed"] = "true"
    return replay


class IdempotencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get("Idempotency-Key")
        if key is None or request.method not in WRITES or not request.path.startswith("/api/"):
            return self.get_response(request)
        if not 1 <= len(key) <= KEY_MAX:
            return _error(
                422, _("The Idempotency-Key must be 1 to %(max)s characters.") % {"max": KEY_MAX}
            )
        user = _caller(request)
        if user is None:
            return self.get_response(request)  # the API answers 401
        digest = hashlib.sha256(f"{request.method} {request.get_full_path()}\n".encode())
        digest.update(request.body)
        claimed = _claim(user, key, digest.hexdigest())
        if isinstance(claimed, HttpResponse):
            return claimed
        response = self.get_response(request)
        if response.status_code >= 500 or response.status_code in NOT_KEPT or response.streaming:
            # The database may have gone away mid-request (the answer is its 503): the claim
            # then stays and frees itself after ABANDONED; a retry meanwhile gets a 409.
            with suppress(DatabaseError):
                claimed.delete()
        else:
            claimed.status = response.status_code
            claimed.content_type = response.get("Content-Type", "")
            claimed.body = response.content
            claimed.save(update_fields=["status", "content_type", "body"])
        return response
