"""Typed requests for views behind login (django-stubs pattern)."""

from typing import Any

from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.middleware import HtmxDetails

from samspill.accounts.models import User
from samspill.organisations.models import Membership


class AuthedRequest(HttpRequest):
    user: User
    membership: Membership | None
    htmx: HtmxDetails


def redirect_next(request: HttpRequest, *fallback: Any, **kwargs: Any) -> HttpResponseRedirect:
    """Back to the page a form was posted from (its `next` field, if it is on this site), or
    else to `fallback` (a URL name and its arguments, as for `redirect`)."""
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(next_url)
    return redirect(*fallback, **kwargs)
