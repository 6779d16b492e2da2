from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from samspill.core.http import AuthedRequest
from samspill.portal.permissions import portal_contact, portal_participant


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    membership = request.membership
    if membership and membership.follows_participants:
        return redirect("participants:caseload")
    if not membership and (
        portal_contact(request.user) is not None or portal_participant(request.user) is not None
    ):
        return redirect("portal:home")
    return render(request, "core/home.html")
