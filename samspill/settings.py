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
# pytest sets PYTEST_VERSION: the suite runs with DEBUG off, as production does, but without a
# collected static tree (see STORAGES) and with a throwaway SECRET_KEY.
UNDER_PYTEST = "PYTEST_VERSION" in os.environ
# For DEBUG only. With DEBUG off, no key or this one refuses to start: sessions, CSRF tokens
# and password-reset links are signed with SECRET_KEY. A test run (pytest sets PYTEST_VERSION)
# gets a throwaway key of its own, so the suite runs with DEBUG off as production does.
DEV_SECRET_KEY = "dev-only-insecure-key-change-me-in-production-0123456789"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if SECRET_KEY in {"", DEV_SECRET_KEY}:
    if DEBUG:
        SECRET_KEY = DEV_SECRET_KEY
    elif UNDER_PYTEST:
        SECRET_KEY = secrets.token_urlsafe(50)
    else:
        raise ImproperlyConfigured(
            'Set SECRET_KEY to a long random value (for example `python -c "import secrets; '
            'print(secrets.token_urlsafe(50))"`), or DEBUG=1 for development: with DEBUG off '
            "the development SECRET_KEY is refused."
        )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
# The address people reach Samspill at, for links in e-mails (invitations, concerns).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Forms posted from SITE_URL are trusted without being listed again.
CSRF_TRUSTED_ORIGINS = env_list(
    "CSRF_TRUSTED_ORIGINS", f"http://127.0.0.1:8000,http://localhost:8000,{SITE_URL}"
)

INSTALLED_APPS = [
    "samspill.core.admin_config.OperatorAdminConfig",  # Django admin, for operators only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",  # its widget templates, for FORM_RENDERER below
    "django_htmx",
    "samspill.core",
    "samspill.accounts",
    "samspill.organisations",
    "samspill.audit",
    "samspill.outbox",
    "samspill.jobs",  # before django_tasks_db: its `db_worker` holds a lease
    "samspill.participants",
    "samspill.plans",
    "samspill.employers",
    "samspill.placements",
    "samspill.loops",
    "samspill.portal",
    "samspill.selfservice",
    "samspill.followup",
    "samspill.referrals",
    "samspill.workshops",  # group workshops (Skjulte Talenter): sessions, attendance, CV
    "samspill.insights",
    "samspill.interchange",
    "samspill.privacy",  # export, erasure, retention: may import every app above
    "samspill.learning",
    "samspill.matching",  # reads participants, employers, placements; writes none of them
    "samspill.demo",  # the demo data (`samspill demo_data`); imports every app above
    "django_tasks",
    "samspill.core.admin_config.TasksConfig",  # django_tasks_db, with a translated name
]

MIDDLEWARE = [
    # /healthz and /readyz, whatever Host the platform's probe sends (ALLOWED_HOSTS).
    "samspill.core.middleware.ProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files from the app server itself: compressed, hashed names, cached for ever.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A request id, one log line per request, and 503 while the database is unreachable.
    "samspill.core.middleware.RequestLogMiddleware",
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
    # Last: the 404 page in the layout under DEBUG too (with DEBUG off it does nothing).
    "samspill.core.middleware.DebugErrorPagesMiddleware",
]
# Widgets render through the project's templates, so that samspill/templates/django/forms can
# say "Choose…" or "None chosen" where Django's select shows "---------".
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
# A refused form (expired CSRF token) gets a page in the layout with the way back.
CSRF_FAILURE_VIEW = "samspill.core.errors.csrf_failure"

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
        # A persistent connection is tested before each request reuses it: a restarted
        # PostgreSQL costs the requests in flight, not one 500 per connection.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent readers while the dev server writes; a busy writer waits instead of failing.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# A streaming replica of the primary (`pg_basebackup -R`) for reads that may lag a moment:
# insights, exports and the caseload's counts (samspill/core/db.py: `replica_reads()`).
# Writes never go there; without it those reads go to the primary.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    )
    # The test suite reads the primary's test database through the alias.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["samspill.core.db.ReplicaRouter"]
# PgBouncer in transaction mode (docs/operations.md, Scaling out): each transaction may run on
# another server connection, so nothing may outlive one. Django's server-side cursors
# (`.iterator()`) are declared WITH HOLD across transactions, psycopg would prepare repeated
# statements on one server connection, and keeping our end of a connection saves nothing when
# PgBouncer keeps the server's.
DATABASE_POOLED = env_bool("DATABASE_POOLED", False)
if DATABASE_POOLED:
    for database in DATABASES.values():
        if database["ENGINE"] == "django.db.backends.postgresql":
            database["CONN_MAX_AGE"] = 0
            database["DISABLE_SERVER_SIDE_CURSORS"] = True
            database.setdefault("OPTIONS", {})["prepare_threshold"] = None
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
# Password sign-in first (staff on small installations, portal users always), then OpenID
# Connect for staff (samspill/accounts/oidc.py): it answers only on /oidc/callback/.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "samspill.accounts.oidc.StaffOIDCBackend",
]
# Off: staff sign in only through OpenID Connect; their passwords, invitation passwords and
# password resets are refused (portal users and platform operators keep their passwords).
STAFF_PASSWORD_LOGIN = env_bool("STAFF_PASSWORD_LOGIN", True)
# OpenID Connect for staff (mozilla-django-oidc). Sign-in with it is offered once the client id
# and the authorization endpoint are set; `samspill oidc_discover ISSUER` prints these
# variables from the provider's discovery document (docs/operations.md, Staff sign-in).
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "")
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_TOKEN_ENDPOINT", "")
# Empty: the claims of the (verified) ID token are used, without a userinfo call.
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_JWKS_URI", "")
# The provider's end_session_endpoint: signing out of Samspill signs out there too.
OIDC_OP_LOGOUT_ENDPOINT = os.environ.get("OIDC_END_SESSION_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("OIDC_SCOPES", "openid email profile")
# The claim holding the e-mail address that links a first sign-in to a staff account, and
# whether the provider must say it is verified (`email_verified`).
OIDC_EMAIL_CLAIM = os.environ.get("OIDC_EMAIL_CLAIM", "email")
OIDC_REQUIRE_VERIFIED_EMAIL = env_bool("OIDC_REQUIRE_VERIFIED_EMAIL", True)
# Empty: nobody is created. An organisation's id: a verified address that matches no account
# becomes a counselor there (for an installation that serves one organisation whose provider
# lets only its staff through).
OIDC_CREATE_STAFF_IN = os.environ.get("OIDC_CREATE_STAFF_IN", "")
OIDC_USE_PKCE = True  # ID-porten requires it; every provider accepts it
OIDC_TIMEOUT = 10  # seconds for a call to the provider: a silent one fails the sign-in
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
LOGIN_URL = "login"
# Home sends staff to their caseload and portal users to their placements.
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# TLS ends at a reverse proxy that sets X-Forwarded-Proto (and removes it from clients).
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# Probes from a load balancer or the kubelet speak plain HTTP to the pod.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# Sent only on HTTPS responses; a year unless set (0 turns it off).
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Signed out after this many minutes without a request (samspill/accounts/sessions.py moves the
# expiry on): a laptop left open in a meeting room does not stay in a case record.
SESSION_COOKIE_AGE = 60 * int(os.environ.get("SESSION_IDLE_MINUTES", "60"))
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
# SMTP when a relay is named, the console otherwise (`check --deploy` refuses the console).
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = EMAIL_HOST or "localhost"
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_SSL:
    EMAIL_USE_TLS = False  # Django refuses both; SSL (port 465) wins when asked for
# A relay that does not answer fails the send instead of holding a web worker.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Samspill <noreply@samspill.local>")

# Norwegian bokmål first; Danish and English through Django's i18n (source strings are English).
LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norwegian Bokmål")), ("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English dates in the British order (samspill/formats/en), not the US one.
FORMAT_MODULE_PATH = ["samspill.formats"]
USE_I18N = True
TIME_ZONE = "Europe/Oslo"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", REPO_DIR / "static_root"))
# `samspill serve` collects into STATIC_ROOT when the manifest is missing (`make install` does
# too). The suite renders pages without collecting: plain storage, WhiteNoise finds the files.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if UNDER_PYTEST
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
if UNDER_PYTEST:
    WHITENOISE_AUTOREFRESH = True
# Uploaded documents (signed agreements) hold personal data: no MEDIA_URL, served only by views
# that check access.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", REPO_DIR / "media"))
# Django 6's default for URL fields without a scheme ("bakeriet.no" -> https://).
FORMS_URLFIELD_ASSUME_HTTPS = True

# LOG_FORMAT=json: one JSON object a line (time, level, logger, message, request_id and, for
# the request lines, user_id, method, path, status, duration_ms); never a query string, a
# name or a national id (samspill/core/logs.py).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "samspill.core.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "samspill.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"level": "INFO"},
        # WeasyPrint logs every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Background work (reminders, e-mail) through Django's task interface; the database backend
# needs no broker. Run the worker with `samspill db_worker` (docs/operations.md).
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# The daily jobs, enqueued once a day at their local time by every worker and by
# `samspill scheduler` (samspill/jobs/services.py).
SAMSPILL_DAILY_JOBS = [
    {
        "name": "reminders",
        "task": "samspill.followup.tasks.schedule_and_send_reminders",
        "at": os.environ.get("REMINDERS_AT", "06:00"),
    },
    # The retention rules (samspill/privacy/retention.py), at night.
    {
        "name": "retention",
        "task": "samspill.privacy.tasks.apply_retention_rules",
        "at": os.environ.get("RETENTION_AT", "22:30"),
    },
]
# Seconds after which a worker that stopped renewing its lease counts as dead and its task is
# run again elsewhere (samspill/jobs/services.py); it renews every sixth of this.
SAMSPILL_WORKER_LEASE_SECONDS = int(os.environ.get("WORKER_LEASE_SECONDS", "30"))
# E-mail goes through the outbox (samspill/outbox); the process that wrote a message makes the
# first attempt right after commit, the worker retries what is left.
OUTBOX_DELIVER_ON_COMMIT = env_bool("OUTBOX_DELIVER_ON_COMMIT", True)

# Samspill's own settings.
SAMSPILL_PAGE_SIZE = 25
SAMSPILL_MAX_PAGE_SIZE = 100
# How many proxies in front of Samspill append to X-Forwarded-For. 0: the header is ignored and
# REMOTE_ADDR is the client (a client can write any X-Forwarded-For it likes). Throttling of
# sign-ins and API tokens counts by this address (samspill/accounts/throttle.py).
SAMSPILL_TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
# Error reporting: a dotted path to a callable `report(exception, request)` called for every
# unhandled error (pages, API, the 503s of a database outage), after it is logged. For
# example a function of your own that calls sentry_sdk.capture_exception (samspill/core/errors.py).
SAMSPILL_ERROR_REPORTER = os.environ.get("ERROR_REPORTER", "")

# What /readyz reports beside its own checks (samspill/core/health.py): callables returning a
# list of plain sentences, shown under "problems" without making the answer a 503.
READY_REPORTS = ["samspill.jobs.health.task_problems"]
