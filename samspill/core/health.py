"""Probes for a load balancer or a container platform. Unauthenticated, no session, no
access-log row, and cheap: /healthz asks nothing of the database, /readyz two small queries.

- /healthz: the process answers (a liveness probe; restart it when this fails).
- /readyz: the database answers and every migration on disk is applied (a readiness probe;
  send no traffic while it is 503, for example while a new version waits for its migrations).
  It also lists what the `READY_REPORTS` callables report (background work that is stuck or
  failing, e-mail that waits) under "problems", for an operator or a metric, without turning
  the answer into a 503: a stuck task must not take every web process out of service.
"""

from functools import cache

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.http import HttpRequest, JsonResponse
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from samspill.core.errors import DATABASE_UNAVAILABLE, RETRY_AFTER


@cache
def migrations_on_disk() -> frozenset[tuple[str, str]]:
    """The migrations this code brings (read once per process: the files do not change)."""
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@require_safe
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    connection = connections[DEFAULT_DB_ALIAS]
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
        applied = set(MigrationRecorder(connection).applied_migrations())
        unapplied = migrations_on_disk() - applied
        checks["migrations"] = f"{len(unapplied)} not applied" if unapplied else "ok"
    except DATABASE_UNAVAILABLE:
        checks["database"] = "unreachable"
    ready = all(value == "ok" for value in checks.values()) and "migrations" in checks
    problems: list[str] = []
    if ready:
        for path in getattr(settings, "READY_REPORTS", []):
            problems += import_string(path)()
    response = JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks, "problems": problems}
    )
    if not ready:
        response.status_code = 503
        response["Retry-After"] = str(RETRY_AFTER)
    return response
