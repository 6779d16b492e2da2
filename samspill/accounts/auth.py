"""Who is calling the JSON API: the browser's session, or an integration's bearer token.

Tokens look like `ssp_<43 url-safe characters>`. Only their sha256 hash is stored, with the
first characters after `ssp_` as a prefix so that an administrator can name a token to revoke.
"""

import datetime
import math
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from samspill.accounts import throttle
from samspill.accounts.models import ApiToken, User
from samspill.audit.services import audit_record
from samspill.organisations.queries import membership_for_user

TOKEN_PREFIX = "ssp_"
PREFIX_LENGTH = 8
# A write on every call would turn each read into a write; a minute is precise enough.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


def token_prefix(key: str) -> str:
    """The part of a token (or of a prefix someone typed) that identifies it in lists."""
    return key.removeprefix(TOKEN_PREFIX)[:PREFIX_LENGTH]


def _audit_token(*, token: ApiToken, by: User | None, action: str) -> None:
    # Audit events belong to an organisation; a user without one has nothing to audit against.
    membership = membership_for_user(token.user)
    if membership is not None:
        audit_record(
            actor=by,
            organisation_id=membership.organisation_id,
            action=action,
            obj=token,
            data={"user_id": token.user_id, "prefix": token.prefix},
        )


@transaction.atomic
def api_token_create(*, user: User, name: str, by: User | None = None) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns it with the key, which is never stored or shown again."""
    key = ApiToken.generate_key()
    token = ApiToken(
        user=user, name=name.strip(), prefix=token_prefix(key), key_hash=ApiToken.hash_key(key)
    )
    token.full_clean()
    token.save()
    _audit_token(token=token, by=by, action="api_token.created")
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User | None = None) -> ApiToken:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    _audit_token(token=token, by=by, action="api_token.revoked")
    return token


def user_for_token(key: str) -> User | None:
    """The active user a live token belongs to, or None; notes when the token was last used."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


class TokenThrottled(Exception):
    """Too many failed tokens from the caller's address; the API answers 429 with
    `Retry-After: <retry_after>` (seconds)."""

    def __init__(self, *, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


class BearerTokenAuth(HttpBearer):
    """`Authorization: Bearer ssp_...` for integrations.

    Failed tokens are counted per client address (samspill/accounts/throttle.py): past the
    limit, a wrong token gets 429 with Retry-After instead of 401 until the window ends. A
    live token is still accepted from a locked address: the lock is on guessing, and a token of
    256 random bits is not guessed, so an integration behind the same address as someone
    guessing keeps working, and a good call costs no extra query."""

    def authenticate(self, request: HttpRequest, token: str) -> User:
        user = user_for_token(token)
        if user is None:
            # A token that was sent but is wrong, revoked or belongs to a deactivated user is a
            # 401 at once, not a fall-through to the session: the caller meant the token.
            keys = [(throttle.TOKEN_ADDRESS, throttle.client_address(request))]
            until = throttle.locked_until(keys=keys)
            if until is not None:
                seconds = (until - timezone.now()).total_seconds()
                raise TokenThrottled(retry_after=max(1, math.ceil(seconds)))
            throttle.throttle_count(keys=keys)
            raise AuthenticationError
        return user


bearer_auth = BearerTokenAuth()


class SessionAuth(NinjaSessionAuth):
    """ninja's `django_auth` (the browser's session, with Django's CSRF check on unsafe
    methods), asked only when someone is logged in: a caller with no session at all gets the
    401 that tells it to authenticate, not a 403 about a missing CSRF token."""

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


session_auth = SessionAuth()


def request_user(request: HttpRequest) -> User:
    """The user an API call authenticated as (session or token); `request.user` is not set
    for token calls."""
    user: Any = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise AuthenticationError
    return user
