"""Log lines an operator can search: every line carries the id of the request it belongs to,
and with LOG_FORMAT=json each line is one JSON object.

What is logged is chosen so that no participant's name or national id reaches the logs: the
request line holds the method, the path without its query string (searches carry names), the
status, the duration and the user's id, never a form field or a header.
"""

import contextvars
import datetime
import json
import logging
from typing import Any

# The request being served in this thread (or task); "-" outside a request.
request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

# Fields a log call may add with `extra=` that the JSON line carries at its top level.
EXTRA_FIELDS = ("user_id", "method", "path", "status", "duration_ms", "view")


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every record, whichever logger wrote it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, request_id, the
    request fields when present, and the traceback of an exception as `exc`."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id_var.get()),
        }
        for field in EXTRA_FIELDS:
            if hasattr(record, field):
                line[field] = getattr(record, field)
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)
