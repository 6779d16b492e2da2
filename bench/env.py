"""Point Django at the bench database with production-like settings, then set it up.

Import this before anything from Django or Samspill.
"""

import os
import secrets

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/samspill_bench"


def setup() -> str:
    """Configure and set up Django for the bench database; return the database URL."""
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    # DEBUG off as in production: no query log kept in memory, no debug rendering.
    os.environ["DEBUG"] = "0"
    # With DEBUG off the settings refuse the development key; a bench run signs nothing that
    # outlives it, so a throwaway key does.
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    # Keep one connection for the whole run, as a production worker would.
    os.environ.setdefault("CONN_MAX_AGE", "600")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samspill.settings")
    url = os.environ["DATABASE_URL"]
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit(f"The benchmarks need PostgreSQL; DATABASE_URL is {url!r}.")

    import django

    django.setup()
    return url
