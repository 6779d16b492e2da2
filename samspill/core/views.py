from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from samspill.core.http import AuthedRequest
from samspill.organisations.models import Membership
from samspill.portal.permissions import portal_contact, portal_participant

# Where each role's daily work is: the counselor's Today, the coordinator's employer pipeline,
# the leader's outcomes overview.
LANDING = {
    Membership.Role.COUNSELOR: "followup:today",
    Membership.Role.COORDINATOR: "employers:board",
    Membership.Role.LEADER: "insights:outcomes",
}


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    membership = request.membership
    if membership and membership.role in LANDING:
        return redirect(LANDING[Membership.Role(membership.role)])
    if not membership and (
        portal_contact(request.user) is not None or portal_participant(request.user) is not None
    ):
        return redirect("portal:home")
    # An external loop driver or NAV's loop coordinator (loops/drivers.py).
    partner = None if membership else getattr(request.user, "loop_partner", None)
    if partner is not None and partner.is_active:
        return redirect("loop_partners:home")
    return render(request, "core/home.html")
