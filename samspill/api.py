"""The JSON API root: /api/v1/, with its OpenAPI document at /api/v1/openapi.json.

Every route accepts an integration's bearer token or the browser's session (with CSRF on
unsafe methods). Every error is JSON: `{"detail": "...", "errors": [{"field", "message"}]}`,
a server error (500) and a database outage (503 with Retry-After) too.
"""

import logging
from typing import Any

from django.core.exceptions import SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError
from ninja.parser import Parser
from ninja.types import DictStrAny

from samspill.accounts.auth import TokenThrottled, bearer_auth, session_auth
from samspill.core.errors import database_unavailable, report_exception
from samspill.core.revisions import StaleRevision
from samspill.employers.api import router as employers_router
from samspill.followup.api import router as followup_router
from samspill.followup.api_metrics import router as metrics_router
from samspill.participants.api import router as participants_router
from samspill.participants.outcomes_api import router as outcomes_router
from samspill.plans.api import router as plans_router

logger = logging.getLogger("samspill.errors")

# A token, when one is sent, decides alone: a bad token is a 401 even with a session.
api = NinjaAPI(
    title="Samspill API", version="1", urls_namespace="api", auth=[bearer_auth, session_auth]
)
api.add_router("/participants", participants_router)
api.add_router("/participants", plans_router)
api.add_router("/participants", followup_router)
api.add_router("/participants", outcomes_router)
api.add_router("/follow-up", metrics_router)
api.add_router("/referrals", "samspill.referrals.api.router")
api.add_router("/referrals", "samspill.referrals.clarification_api.router")
api.add_router("/workshops", "samspill.workshops.api.router")
api.add_router("/employers", employers_router)
api.add_router("/coordination", "samspill.employers.api_coordination.router")
api.add_router("/insights", "samspill.insights.api.router")
api.add_router("/placements", "samspill.placements.api.router")
api.add_router("/catalogue", "samspill.placements.measures_api.router")
api.add_router("/loops", "samspill.loops.api.router")
api.add_router("/learning", "samspill.learning.api.router")
api.add_router("/loop-partners", "samspill.loops.api_partners.router")
api.add_router("/loop-selection", "samspill.loops.api_selection.router")
api.add_router("/matching", "samspill.matching.api.router")
api.add_router("/matching", "samspill.matching.api_proposals.router")
api.add_router("/loop-meetings", "samspill.loops.api_meetings.router")
api.add_router("/loop-evaluations", "samspill.loops.api_evaluation.router")


class BodyNotAnObject(ValueError):
    pass


class ObjectParser(Parser):
    """A JSON body is an object. ninja would read `[]`, `null`, `true` or `0` as an empty one,
    and a route whose fields are all optional would take them as a valid request."""

    def parse_body(self, request: HttpRequest) -> DictStrAny:
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise BodyNotAnObject
        return data


api.parser = ObjectParser()


def _error(
    request: HttpRequest, status: int, detail: str, errors: list[dict[str, Any]] | None = None
) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": errors or []}, status=status)


def _field(loc: tuple[Any, ...] | list[Any]) -> str | None:
    """`("body", "payload", "occurred_on")` -> "occurred_on"; `("query", "limit")` -> "limit"."""
    source, *path = loc
    if source == "body" and path:
        path = path[1:]  # the name of the view's body argument means nothing to the caller
    return ".".join(str(part) for part in path) or None


def _message(error: dict[str, Any]) -> str:
    # Our own validators' messages are translated; pydantic would prefix them "Value error, ".
    if error["type"] == "value_error":
        return str(error["ctx"]["error"])
    return str(error["msg"])


@api.exception_handler(SchemaValidationError)
def schema_invalid(request: HttpRequest, exc: SchemaValidationError) -> HttpResponse:
    errors = [{"field": _field(error["loc"]), "message": _message(error)} for error in exc.errors]
    return _error(request, 422, _("The request is not valid."), errors)


@api.exception_handler(DjangoValidationError)
def service_invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    """A service refused the change; nothing was written (the services are atomic)."""
    if hasattr(exc, "error_dict"):
        errors = [
            {"field": None if field == "__all__" else field, "message": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [{"field": None, "message": message} for message in exc.messages]
    return _error(request, 422, _("The request is not valid."), errors)


@api.exception_handler(StaleRevision)
def stale_revision(request: HttpRequest, exc: StaleRevision) -> HttpResponse:
    """Someone else saved the object since the caller read it (its `revision`): nothing was
    written; read it again and send the change with the current revision."""
    return api.create_response(
        request,
        {
            "detail": _(
                "Someone else saved this since you read it. Nothing was changed: read it "
                "again, then send your change with the current revision."
            ),
            "errors": [],
            "revision": exc.current.revision,
        },
        status=409,
    )


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, _("Not found."))


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(
        request, 401, _("Log in, or send a valid API token as 'Authorization: Bearer <token>'.")
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # Two of ninja's own errors, in words the caller can act on (and translated).
    if exc.status_code == 400:  # ninja's only 400: a body it could not parse
        if isinstance(exc.__cause__, BodyNotAnObject):
            return _error(request, 400, _("The request body must be a JSON object."))
        return _error(request, 400, _("The request body is not valid JSON."))
    if exc.status_code == 403 and exc.message == "CSRF check Failed":
        return _error(request, 403, _("The CSRF check failed. Send the X-CSRFToken header."))
    return _error(request, exc.status_code, exc.message)


@api.exception_handler(SuspiciousOperation)
def bad_request(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    # For example a body over DATA_UPLOAD_MAX_MEMORY_SIZE; Django answers these with a 400.
    return _error(request, 400, _("The request could not be read."))


# Throttling of failed bearer tokens (samspill/accounts/auth.py): 429 with Retry-After.
@api.exception_handler(TokenThrottled)
def token_throttled(request: HttpRequest, exc: TokenThrottled) -> HttpResponse:
    response = _error(request, 429, _("Too many failed API tokens. Try again later."))
    response["Retry-After"] = str(exc.retry_after)
    return response


# A database that cannot be reached (restarting, failing over) is a 503 with Retry-After: the
# call can be retried, nothing was half written (the services are atomic). Any other error
# goes on to Django, which logs it, reports it (samspill/core/errors.py) and answers 500 in
# JSON under /api/ (handler500).
@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def database_unreachable(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.error("The database is unreachable: %s", exc, exc_info=exc)
    report_exception(exc, request)
    return database_unavailable(request)
