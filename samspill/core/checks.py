"""`samspill check --deploy`: what Samspill itself refuses in production, beside Django's own
security checks (HSTS, SSL redirect, secure cookies, DEBUG, ALLOWED_HOSTS)."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register

# Backends that never deliver a message: invitations and password resets would be lost.
UNDELIVERED_EMAIL = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}


@register(Tags.security, deploy=True)
def production_settings(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    errors = []
    if settings.SECRET_KEY == settings.DEV_SECRET_KEY:
        errors.append(
            Error(
                "SECRET_KEY is the public development key.",
                hint="Set SECRET_KEY to a long random value of your own.",
                id="samspill.E001",
            )
        )
    if settings.EMAIL_BACKEND in UNDELIVERED_EMAIL:
        errors.append(
            Error(
                f"EMAIL_BACKEND is {settings.EMAIL_BACKEND}: no e-mail is delivered.",
                hint="Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD) "
                "to your SMTP relay, or EMAIL_BACKEND to a backend that delivers.",
                id="samspill.E002",
            )
        )
    return errors
