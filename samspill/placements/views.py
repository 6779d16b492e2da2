from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samspill.core.http import AuthedRequest
from samspill.placements import queries, services


@login_required
@require_POST
def concern_handle(request: AuthedRequest, pk: int) -> HttpResponse:
    """Staff mark a concern from a workplace as handled."""
    membership = request.membership
    if not membership or not membership.follows_participants:
        raise PermissionDenied
    concern = queries.concern_for_staff(request.user, pk)
    if concern is None:
        raise Http404
    try:
        services.concern_handle(concern=concern, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The concern was marked as handled."))
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect("followup:today")
