"""OpenID Connect sign-in for staff, through mozilla-django-oidc.

`/oidc/start/` sends the browser to the provider with a state, a nonce and a PKCE challenge
kept in the session; the provider sends it back to `/oidc/callback/` with a code, which is
exchanged for an ID token. The token must be signed with OIDC_SIGN_ALGO by a key of the
provider's JWKS, name our client id as its audience, OIDC_ISSUER as its issuer (when set),
carry the session's nonce and not be expired. Who it signs in is decided by
`services.staff_oidc_sign_in`: staff only, found by `sub` or linked once by verified e-mail.

Signing out (`views.LogoutView`) also ends the session at the provider when it has an
end_session_endpoint (OIDC_END_SESSION_ENDPOINT; RP-initiated logout): the browser is sent
there with the ID token of the sign-in as `id_token_hint`, and the provider sends it back to
the login page. Without it, or after a password sign-in, only Samspill's session ends.

Anything that goes wrong (a wrong state or nonce, a bad signature, an expired token, a
provider that does not answer, nobody to sign in) sends the person back to the login page
with a message, never a 400 or 500 page.
"""

import logging
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from samspill.accounts import services
from samspill.accounts.models import User

logger = logging.getLogger(__name__)

# Clocks of the provider and of Samspill may differ this much (seconds).
LEEWAY = 60
REFUSAL = "_samspill_oidc_refusal"
# The session key of the ID token a person signed in with: the provider's sign-out needs it.
ID_TOKEN = "oidc_id_token"


def oidc_enabled() -> bool:
    """Whether sign-in with the organisation's provider is configured (and offered)."""
    return bool(settings.OIDC_RP_CLIENT_ID and settings.OIDC_OP_AUTHORIZATION_ENDPOINT)


def end_session_url(request: HttpRequest) -> str:
    """Where to send the browser to end the provider's session too (RP-initiated logout), or
    "" when the provider has no end_session_endpoint or the person did not sign in with it.
    Read before the session is flushed."""
    id_token = request.session.get(ID_TOKEN)
    if not (settings.OIDC_OP_LOGOUT_ENDPOINT and id_token):
        return ""
    back = request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL))
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": back,
            "client_id": settings.OIDC_RP_CLIENT_ID,
        }
    )
    separator = "&" if "?" in settings.OIDC_OP_LOGOUT_ENDPOINT else "?"
    return f"{settings.OIDC_OP_LOGOUT_ENDPOINT}{separator}{query}"


class StaffOIDCBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend with full ID-token checks and our own account rules."""

    def authenticate(self, request: Any, **kwargs: Any) -> User | None:
        # Only the callback's call (it passes the nonce), never a password sign-in.
        if request is None or "nonce" not in kwargs or not oidc_enabled():
            return None
        try:
            user: User | None = super().authenticate(request, **kwargs)
        except (SuspiciousOperation, jwt.InvalidTokenError, requests.RequestException) as error:
            logger.warning("OpenID Connect sign-in failed: %s", error)
            return None
        return user

    def _verify_jws(self, payload: Any, key: Any) -> dict[str, Any]:
        """The library checks only the signature (and an `exp` if there is one); an ID token
        must also be for us, from our issuer, and not expired."""
        algorithm = jwt.get_unverified_header(payload).get("alg")
        if algorithm != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(f"ID token signed with {algorithm!r}")
        try:
            claims: dict[str, Any] = jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_ISSUER or None,
                leeway=LEEWAY,
                options={"require": ["exp", "iat", "sub"]},
            )
        except jwt.InvalidTokenError as error:
            raise SuspiciousOperation(f"ID token refused: {error}") from error
        return claims

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        if not self.OIDC_OP_USER_ENDPOINT:
            return payload  # the verified ID token's claims (Azure AD puts e-mail there)
        claims = super().get_userinfo(access_token, id_token, payload)
        if claims.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("userinfo is about someone else")
        return claims

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> User | None:
        claims = self.get_userinfo(access_token, id_token, payload)
        try:
            user = services.staff_oidc_sign_in(claims=claims)
        except services.SignInRefused as refused:
            logger.warning("OpenID Connect sign-in refused: %s", refused.reason)
            setattr(self.request, REFUSAL, refused.reason)
            return None
        if settings.OIDC_OP_LOGOUT_ENDPOINT:
            # Kept only for a sign-in that succeeded, and only when signing out will use it.
            self.request.session[ID_TOKEN] = id_token
        return user

    def store_tokens(self, access_token: str, id_token: str) -> None:
        """The library would keep the tokens before the person is known; get_or_create_user
        keeps the ID token once they are signed in, and the access token is never used."""

    def get_user(self, user_id: int) -> User | None:
        # The library's get_user skips the is_active check: a deactivated person's session
        # must end at their next request, as with a password sign-in.
        user: User | None = ModelBackend.get_user(self, user_id)
        return user


class StartView(OIDCAuthenticationRequestView):
    """ "Sign in with your organisation": off to the provider (404 when none is configured)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not oidc_enabled():
            raise Http404
        response: HttpResponse = super().get(request)
        return response


class CallbackView(OIDCAuthenticationCallbackView):
    """The provider's redirect back to us; a failure is a message on the login page."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not oidc_enabled():
            return self.login_failure()
        try:
            response: HttpResponse = super().get(request)
        except SuspiciousOperation as error:  # a state this session did not start
            logger.warning("OpenID Connect callback refused: %s", error)
            return self.login_failure()
        return response

    @property
    def failure_url(self) -> str:
        return str(resolve_url(settings.LOGIN_URL))

    def login_failure(self) -> HttpResponse:
        reason = getattr(self.request, REFUSAL, "")
        if reason == "deactivated":
            message = _("Your account is deactivated. Ask your administrator if this is wrong.")
        elif reason:
            message = _(
                "Your organisation's account is not linked to anyone at Samspill. Ask your "
                "administrator to invite you with the e-mail address of that account."
            )
        else:
            message = _("Signing in with your organisation did not work. Try again.")
        messages.error(self.request, message)
        response: HttpResponse = super().login_failure()
        return response
