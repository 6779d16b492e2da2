from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from samspill.organisations.queries import membership_for_user


class MembershipMiddleware:
    """Puts the user's active membership on `request.membership` (lazily, one query at most).

    A user without one (a portal user) gets a lazy None: test it with `not membership`, never
    `membership is None` (the lazy wrapper is not None).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.membership = SimpleLazyObject(lambda: membership_for_user(request.user))  # type: ignore[attr-defined]
        return self.get_response(request)
