import logging
import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse

from samspill.core import health
from samspill.core.errors import (
    DATABASE_UNAVAILABLE,
    database_unavailable,
    page_not_found,
    report_exception,
)
from samspill.core.logs import request_id_var

logger = logging.getLogger("samspill.request")

# A request id a proxy in front may already have given the request (X-Request-ID): kept when
# it looks like one, so one id follows the request through the proxy's log and ours.
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class ProbeMiddleware:
    """/healthz and /readyz answer before anything reads the Host header. A container
    platform's probe names the address it calls (Kubernetes sends `Host: <pod IP>:8000`, a
    compose healthcheck `127.0.0.1:8000`), which ALLOWED_HOSTS rightly does not list: checked,
    every probe would get a 400 and no instance would ever be ready. First in MIDDLEWARE, so
    no session, no HTTPS redirect and no request log line either."""

    VIEWS = {"/healthz": health.healthz, "/readyz": health.readyz}

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        view = self.VIEWS.get(request.path_info)
        if view is not None:
            response: HttpResponse = view(request)
            return response
        return self.get_response(request)


class RequestLogMiddleware:
    """One log line per request (method, path without query string, status, duration, user id,
    request id), the request id in the X-Request-ID response header, and a 503 with
    Retry-After instead of a 500 when the database cannot be reached."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex
        # Left set after the response: Django logs a 404 or a 500 ("django.request") after
        # the middleware has returned, and that line should carry the id too. The next
        # request in this thread sets its own.
        request_id_var.set(request_id)
        started = time.monotonic()
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        duration_ms = round((time.monotonic() - started) * 1000, 1)
        user_id = _user_id(request)
        logger.info(
            "%s %s %s %sms user=%s",
            request.method,
            request.path,
            response.status_code,
            duration_ms,
            user_id or "-",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": duration_ms,
                "user_id": user_id,
            },
        )
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_UNAVAILABLE):
            logger.error("The database is unreachable: %s", exception, exc_info=exception)
            report_exception(exception, request)
            return database_unavailable(request)
        return None


def _user_id(request: HttpRequest) -> int | None:
    """The id of the user the request was served for, without asking the database: an API
    token's user, or the session's user once something in the request looked at it."""
    user = getattr(request, "auth", None) or getattr(request, "_cached_user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return getattr(user, "pk", None)
    return None


class DebugErrorPagesMiddleware:
    """Under DEBUG (`make run`), a page that is not found gets the same 404 page as in
    production instead of Django's debug page: `make run` is where people meet Samspill first.
    Does nothing with DEBUG off, where Django uses the 404 handler itself."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # No view was found for the address: Django answered with its debug page.
        if settings.DEBUG and response.status_code == 404 and request.resolver_match is None:
            return page_not_found(request, None)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if settings.DEBUG and isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None
