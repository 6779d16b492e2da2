"""`samspill check`: a staff sign-in that cannot work is refused at start-up."""

from typing import Any

from django.conf import settings
from django.core.checks import Error


def staff_sign_in(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    oidc = {
        "OIDC_CLIENT_ID": settings.OIDC_RP_CLIENT_ID,
        "OIDC_AUTHORIZATION_ENDPOINT": settings.OIDC_OP_AUTHORIZATION_ENDPOINT,
        "OIDC_TOKEN_ENDPOINT": settings.OIDC_OP_TOKEN_ENDPOINT,
    }
    if not settings.OIDC_RP_SIGN_ALGO.startswith("HS"):
        oidc["OIDC_JWKS_URI"] = settings.OIDC_OP_JWKS_ENDPOINT
    missing = [name for name, value in oidc.items() if not value]
    if settings.OIDC_CREATE_STAFF_IN and not settings.OIDC_CREATE_STAFF_IN.isdigit():
        return [
            Error(
                "OIDC_CREATE_STAFF_IN must be an organisation's id (a whole number).",
                id="accounts.E002",
            )
        ]
    if not any(oidc.values()) and settings.STAFF_PASSWORD_LOGIN:
        return []  # password sign-in only
    if missing:
        return [
            Error(
                f"Staff sign-in with OpenID Connect is incomplete: {', '.join(missing)} not set.",
                hint="Set them (`samspill oidc_discover ISSUER` prints most of them)"
                + ("" if settings.STAFF_PASSWORD_LOGIN else ", or STAFF_PASSWORD_LOGIN=1")
                + ". docs/operations.md, Staff sign-in.",
                id="accounts.E001",
            )
        ]
    return []
