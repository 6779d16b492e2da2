from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from samspill.core.http import AuthedRequest


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    membership = request.membership
    if membership and membership.follows_participants:
        return redirect("participants:caseload")
    return render(request, "core/home.html")
