"""The learning pages that read practice data: a staff member's own mirror ("My practice") and
the leader's learning overview."""

import datetime
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samspill.core.http import AuthedRequest
from samspill.learning import overview, practice
from samspill.learning.permissions import is_platform_mentor
from samspill.learning.views import staff_only
from samspill.organisations.models import Membership


class SinceForm(forms.Form):
    since = forms.DateField(
        label=_("Compare before and after"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For example the day the learning programme started."),
    )

    def __init__(self, *args: Any, today: datetime.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_since(self) -> datetime.date:
        since: datetime.date = self.cleaned_data["since"]
        problem = overview.check_since(since, self.today)
        if problem:
            raise forms.ValidationError(problem)
        return since


@staff_only
def my_practice(request: AuthedRequest) -> HttpResponse:
    """Always the signed-in person's own mirror: it takes no person from the request."""
    membership = request.membership
    assert membership is not None
    result = practice.mirror(request.user, membership, timezone.localdate())
    return render(
        request,
        "learning/practice.html",
        {
            "result": result,
            "columns": result["columns"],
            "sections": practice.sections(result),
            "section": "practice",
        },
    )


def may_see_overview(membership: Membership, user: Any) -> bool:
    """Leaders, administrators and the organisation's platform mentors (issue 20, item 3)."""
    return membership.role in {
        Membership.Role.LEADER,
        Membership.Role.ADMIN,
    } or is_platform_mentor(user, membership.organisation_id)


@staff_only
def learning_overview(request: AuthedRequest) -> HttpResponse:
    membership = request.membership
    assert membership is not None
    if not may_see_overview(membership, request.user):
        raise PermissionDenied
    today = timezone.localdate()
    form = SinceForm(request.GET or None, today=today)
    since = overview.default_since(today)
    status = 200
    if request.GET:
        if form.is_valid():
            since = form.cleaned_data["since"]
        else:
            status = 400
    return render(
        request,
        "learning/overview.html",
        {
            "form": form,
            "result": overview.overview(membership.organisation, since, today),
            "is_leader": membership.role == Membership.Role.LEADER,
            "section": "overview",
        },
        status=status,
    )
