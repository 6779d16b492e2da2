"""The pages of programmes shared within a network: the list, the read-only outline, sharing
and adopting, and the shared material."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from samspill.core.http import AuthedRequest
from samspill.learning.forms import ShareForm
from samspill.learning.models import Network, ProgrammeModule, ProgrammeSession, SessionMaterial
from samspill.learning.permissions import is_platform_mentor, methods_visible_to
from samspill.learning.programme_permissions import programmes_visible_to
from samspill.learning.programme_sharing import (
    programme_adopt,
    programme_share,
    shared_programmes_for,
)
from samspill.learning.views import staff_only


@staff_only
@require_GET
def shared_programmes(request: AuthedRequest) -> HttpResponse:
    listed = (
        shared_programmes_for(request.user)
        .select_related("organisation", "shared_with")
        .annotate(session_count=Count("modules__sessions", distinct=True))
        .order_by("title", "id")
    )
    return render(
        request,
        "learning/shared_programmes.html",
        {"programmes": listed, "section": "programme"},
    )


@staff_only
@require_GET
def shared_programme(request: AuthedRequest, pk: int) -> HttpResponse:
    """The outline only: no enrolment, attendance, reflection or facilitator is ever shown."""
    membership = request.membership
    assert membership is not None
    programme = get_object_or_404(
        shared_programmes_for(request.user).select_related("organisation"), pk=pk
    )
    modules = ProgrammeModule.objects.filter(programme=programme).prefetch_related(
        Prefetch(
            "sessions",
            queryset=ProgrammeSession.objects.order_by("starts_at", "id").prefetch_related(
                "methods", "materials"
            ),
        )
    )
    return render(
        request,
        "learning/shared_programme.html",
        {
            "programme": programme,
            "modules": modules,
            "readable": set(methods_visible_to(request.user).values_list("pk", flat=True)),
            "adoptable": is_platform_mentor(request.user, membership.organisation_id),
            "section": "programme",
        },
    )


@staff_only
@require_GET
def shared_material(request: AuthedRequest, pk: int) -> FileResponse:
    item = get_object_or_404(
        SessionMaterial,
        pk=pk,
        session__module__programme__in=shared_programmes_for(request.user),
    )
    return FileResponse(
        item.file.open("rb"), as_attachment=True, filename=item.file.name.rsplit("/", 1)[-1]
    )


@staff_only
@require_POST
def share(request: AuthedRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(programmes_visible_to(request.user), pk=pk)
    form = ShareForm(
        request.POST, networks=Network.objects.filter(organisations=programme.organisation_id)
    )
    if not form.is_valid():
        messages.error(request, _("Choose one of your organisation's networks."))
        return redirect("learning:programme", pk=pk)
    try:
        programme_share(programme=programme, network=form.cleaned_data["network"], by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Sharing was saved."))
    return redirect("learning:programme", pk=pk)


@staff_only
@require_POST
def adopt(request: AuthedRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(shared_programmes_for(request.user), pk=pk)
    try:
        copy = programme_adopt(programme=programme, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("learning:shared_programme", pk=pk)
    messages.success(request, _("A copy is now in your programmes: adapt it and enrol people."))
    return redirect("learning:programme", pk=copy.pk)
