from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render


@login_required
def home(request: HttpRequest) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    if membership and membership.follows_participants:
        return redirect("participants:caseload")
    return render(request, "core/home.html")
