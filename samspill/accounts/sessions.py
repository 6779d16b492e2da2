"""Sessions end after SESSION_IDLE_MINUTES without a request (settings.SESSION_COOKIE_AGE).

Django moves a session's expiry on only when the session is saved. Saving it at every request
(SESSION_SAVE_EVERY_REQUEST) would cost a write per page and API call; this saves it at most
once a minute per signed-in session instead, so the idle limit holds to within a minute.
"""

import time
from collections.abc import Callable
from typing import Any

from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse

SEEN = "seen_at"
REFRESH_SECONDS = 60


def note_sign_in(sender: Any, request: HttpRequest, **kwargs: Any) -> None:
    request.session[SEEN] = int(time.time())


class IdleSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Only a session the request read anyway (no extra query), and only a signed-in one.
        if session is not None and session.accessed and SESSION_KEY in session:
            now = int(time.time())
            seen = session.get(SEEN)
            if not isinstance(seen, int) or now - seen >= REFRESH_SECONDS:
                session[SEEN] = now  # modified: SessionMiddleware saves it with a new expiry
        return response
