"""Every production setting comes from the environment (README, "Production"), and
`check --deploy` refuses what would make a production installation unsafe or silent."""

import runpy
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings

from samspill.core.checks import production_settings

SETTINGS_FILE = str(settings.BASE_DIR / "settings.py")
PRODUCTION = {"DEBUG": "0", "SECRET_KEY": "x" * 50}


def settings_with(monkeypatch, **env: str) -> dict[str, Any]:
    """The settings module as a process started with `env` would read it."""
    for name in [
        "BEHIND_TLS_PROXY", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_COOKIES",
        "EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD",
        "EMAIL_USE_TLS", "EMAIL_USE_SSL", "CSRF_TRUSTED_ORIGINS", "ALLOWED_HOSTS", "SITE_URL",
        "LOG_LEVEL", "LOG_FORMAT", "DATABASE_URL", "STATIC_ROOT",
    ]:  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    for name, value in {**PRODUCTION, **env}.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(SETTINGS_FILE)


def test_production_defaults_are_the_safe_ones(monkeypatch) -> None:
    s = settings_with(monkeypatch)
    assert s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"]
    assert s["SECURE_HSTS_SECONDS"] == 31536000
    assert "SECURE_PROXY_SSL_HEADER" not in s
    assert s["SECURE_SSL_REDIRECT"] is False
    assert s["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert s["STORAGES"]["staticfiles"]["BACKEND"] == (
        "django.contrib.staticfiles.storage.StaticFilesStorage"  # under pytest only
    )


def test_tls_proxy_hsts_and_redirect_come_from_the_environment(monkeypatch) -> None:
    s = settings_with(
        monkeypatch, BEHIND_TLS_PROXY="1", SECURE_SSL_REDIRECT="1", SECURE_HSTS_SECONDS="600"
    )
    assert s["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["SECURE_HSTS_SECONDS"] == 600
    assert s["SECURE_REDIRECT_EXEMPT"] == [r"^healthz$", r"^readyz$"]


def test_smtp_comes_from_the_environment(monkeypatch) -> None:
    s = settings_with(
        monkeypatch,
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="465",
        EMAIL_HOST_USER="samspill",
        EMAIL_HOST_PASSWORD="secret",
        EMAIL_USE_SSL="1",
    )
    assert s["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (s["EMAIL_HOST"], s["EMAIL_PORT"]) == ("smtp.example.org", 465)
    assert (s["EMAIL_HOST_USER"], s["EMAIL_HOST_PASSWORD"]) == ("samspill", "secret")
    assert (s["EMAIL_USE_SSL"], s["EMAIL_USE_TLS"]) == (True, False)
    assert s["EMAIL_TIMEOUT"] == 10


def test_hosts_origins_and_logging_come_from_the_environment(monkeypatch) -> None:
    s = settings_with(
        monkeypatch,
        ALLOWED_HOSTS="samspill.example.org",
        SITE_URL="https://samspill.example.org/",
        LOG_LEVEL="WARNING",
        LOG_FORMAT="json",
    )
    assert s["ALLOWED_HOSTS"] == ["samspill.example.org"]
    assert "https://samspill.example.org" in s["CSRF_TRUSTED_ORIGINS"]
    assert s["LOGGING"]["root"]["level"] == "WARNING"
    assert s["LOGGING"]["handlers"]["console"]["formatter"] == "json"


def test_postgresql_connections_are_health_checked(monkeypatch) -> None:
    s = settings_with(monkeypatch, DATABASE_URL="postgres://samspill@db:5432/samspill")
    assert s["DATABASES"]["default"]["CONN_HEALTH_CHECKS"] is True
    assert s["DATABASES"]["default"]["CONN_MAX_AGE"] == 60


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"SECRET_KEY": settings.DEV_SECRET_KEY}, "samspill.E001"),
        ({"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}, "samspill.E002"),
    ],
)
def test_check_deploy_refuses_the_development_key_and_undelivered_email(
    overrides: dict[str, str], error: str
) -> None:
    smtp = {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend"}
    with override_settings(**{**smtp, **overrides}):
        assert [e.id for e in production_settings()] == [error]
    with override_settings(**smtp):
        assert production_settings() == []


def test_every_variable_the_settings_read_is_in_the_readme_table() -> None:
    import re

    source = (settings.BASE_DIR / "settings.py").read_text()
    read = set(re.findall(r'(?:environ\.get|env_bool|env_list)\(\s*"([A-Z_]+)"', source))
    readme = (settings.REPO_DIR / "README.md").read_text()
    table = readme[readme.index("## Production") :]
    documented = set(re.findall(r"^\| `([A-Z_]+)`(?:, `([A-Z_]+)`)?", table, re.MULTILINE))
    names = {name for pair in documented for name in pair if name}
    assert read - names == set()
