"""Samspill settings: one module, configured from the environment (STYLE.md 9)."""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Off unless asked for: `make run` sets DEBUG=1, a server that forgets gets the safe side
# (secure cookies, no debug pages).
DEBUG = env_bool("DEBUG", False)
# For DEBUG only. With DEBUG off, no key or this one refuses to start: sessions, CSRF tokens
# and password-reset links are signed with SECRET_KEY. A test run (pytest sets PYTEST_VERSION)
# gets a throwaway key of its own, so the suite runs with DEBUG off as production does.
DEV_SECRET_KEY = "dev-only-insecure-key-change-me-in-production-0123456789"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if SECRET_KEY in {"", DEV_SECRET_KEY}:
    if DEBUG:
        SECRET_KEY = DEV_SECRET_KEY
    elif "PYTEST_VERSION" in os.environ:
        SECRET_KEY = secrets.token_urlsafe(50)
    else:
        raise ImproperlyConfigured(
            'Set SECRET_KEY to a long random value (for example `python -c "import secrets; '
            'print(secrets.token_urlsafe(50))"`), or DEBUG=1 for development: with DEBUG off '
            "the development SECRET_KEY is refused."
        )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list(
    "CSRF_TRUSTED_ORIGINS", "http://127.0.0.1:8000,http://localhost:8000"
)

INSTALLED_APPS = [
    "samspill.core.admin_config.OperatorAdminConfig",  # Django admin, for operators only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "samspill.core",
    "samspill.accounts",
    "samspill.organisations",
    "samspill.audit",
    "samspill.participants",
    "samspill.plans",
    "samspill.employers",
    "samspill.placements",
    "samspill.loops",
    "samspill.portal",
    "samspill.followup",
    "samspill.referrals",
    "samspill.insights",
    "samspill.interchange",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "samspill.organisations.middleware.MembershipMiddleware",
    "samspill.accounts.idempotency.IdempotencyMiddleware",
    "samspill.accounts.sessions.IdleSessionMiddleware",
]

ROOT_URLCONF = "samspill.urls"
WSGI_APPLICATION = "samspill.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "samspill.core.context_processors.samspill",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{REPO_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent readers while the dev server writes; a busy writer waits instead of failing.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# Home sends staff to their caseload and portal users to their placements.
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Signed out after this many minutes without a request (samspill/accounts/sessions.py moves the
# expiry on): a laptop left open in a meeting room does not stay in a case record.
SESSION_COOKIE_AGE = 60 * int(os.environ.get("SESSION_IDLE_MINUTES", "60"))
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Samspill <noreply@samspill.local>")
# The address people reach Samspill at, for links in e-mails (invitations, concerns).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# Norwegian bokmål first; Danish and English through Django's i18n (source strings are English).
LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norwegian Bokmål")), ("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Oslo"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = REPO_DIR / "static_root"
# Uploaded documents (signed agreements) hold personal data: no MEDIA_URL, served only by views
# that check access.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", REPO_DIR / "media"))
# Django 6's default for URL fields without a scheme ("bakeriet.no" -> https://).
FORMS_URLFIELD_ASSUME_HTTPS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"level": "INFO"},
        # WeasyPrint logs every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Background work (reminders, e-mail) through Django's task interface; the database backend
# needs no broker. Run the worker with `samspill db_worker`.
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# Samspill's own settings.
SAMSPILL_PAGE_SIZE = 25
SAMSPILL_MAX_PAGE_SIZE = 100
# How many proxies in front of Samspill append to X-Forwarded-For. 0: the header is ignored and
# REMOTE_ADDR is the client (a client can write any X-Forwarded-For it likes). Throttling of
# sign-ins and API tokens counts by this address (samspill/accounts/throttle.py).
SAMSPILL_TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
