"""Typed requests for views behind login (django-stubs pattern)."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from samspill.accounts.models import User
from samspill.organisations.models import Membership


class AuthedRequest(HttpRequest):
    user: User
    membership: Membership | None
    htmx: HtmxDetails
