"""What Samspill answers when something goes wrong, and who hears about it.

Pages get the layout's error pages (templates/400.html, 403.html, 404.html, 500.html,
503.html); anything under /api/ gets JSON in the API's shape, `{"detail": ..., "errors": []}`,
whatever failed (a URL no route matches, an error outside a route, a database outage).

Error reporting: set ERROR_REPORTER (settings.SAMSPILL_ERROR_REPORTER) to the dotted path of a
callable `report(exception, request)`; it is called for every unhandled error after it is
logged, for example::

    # mysite/errors.py, on the PYTHONPATH of the web and worker processes
    import sentry_sdk

    def report(exception, request):
        sentry_sdk.capture_exception(exception)

A reporter that fails is logged and never changes the answer.
"""

import logging
import sys
from collections.abc import Callable
from functools import cache
from typing import Any

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views import defaults

logger = logging.getLogger("samspill.errors")

# Errors that mean "the database cannot be reached now", not "this request is wrong".
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
# Seconds a client should wait before retrying while the database is away.
RETRY_AFTER = 5


@cache
def _reporter() -> Callable[..., Any] | None:
    path = settings.SAMSPILL_ERROR_REPORTER
    return import_string(path) if path else None


def report_exception(exception: BaseException, request: HttpRequest | None = None) -> None:
    """Hand an unhandled error to the configured reporter (it has been logged already)."""
    try:
        reporter = _reporter()
        if reporter is not None:
            reporter(exception, request)
    except Exception:
        logger.exception("The error reporter %s failed", settings.SAMSPILL_ERROR_REPORTER)


def _on_request_exception(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    # Django sends this for an exception no view handled, just before its 500 page.
    exception = sys.exc_info()[1]
    if exception is not None:
        report_exception(exception, request)


def connect_reporter() -> None:
    got_request_exception.connect(_on_request_exception, dispatch_uid="samspill-error-reporter")


def wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def json_error(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail, "errors": []}, status=status)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: the database is away (restarting, failing over), try again."""
    response: HttpResponse
    if wants_json(request):
        response = json_error(503, _("The service is unavailable for a moment. Try again soon."))
    else:
        # Rendered without the request: its context processors would ask the database.
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    return response


# Django's handlers for errors outside the API's own routes (samspill/urls.py).
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if wants_json(request):
        return json_error(400, _("The request could not be read."))
    return defaults.bad_request(request, exception)


def _back(request: HttpRequest) -> str:
    """The page the person came from, when it is one of ours: the error page's way back."""
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return ""


def _page(request: HttpRequest, template: str, status: int) -> HttpResponse:
    """An error page in the layout, with a way back."""
    return render(request, template, {"back": _back(request)}, status=status)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if wants_json(request):
        return json_error(403, _("You do not have access to this."))
    return _page(request, "403.html", 403)


def page_not_found(request: HttpRequest, exception: Exception | None) -> HttpResponse:
    if wants_json(request):
        return json_error(404, _("Not found."))
    return _page(request, "404.html", 404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent from a page that was open too long, or after logging in elsewhere
    (settings.CSRF_FAILURE_VIEW): say so in plain words, with the way back to the form."""
    if wants_json(request):
        return json_error(403, _("The request was refused (CSRF). Send it again from the page."))
    return _page(request, "403_csrf.html", 403)


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this while handling the exception: one raised by a middleware (sessions,
    # Idempotency-Key) when the database is away is a 503 too, not only a view's.
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return database_unavailable(request)
    if wants_json(request):
        return json_error(500, _("Something went wrong on our side. It has been logged."))
    return defaults.server_error(request)  # 500.html, rendered without a request context
