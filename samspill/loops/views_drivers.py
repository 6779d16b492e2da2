"""Pages of loop partners (drivers.py): the external driver's and NAV's loop coordinator's own
pages, and the organisation's page for inviting them and giving them loops.

Who: a partner reaches only their own pages (anyone else gets a 403; a loop or gathering
outside theirs is a 404); the organisation's administrator or coordinator reaches the
management pages (others a 403, another organisation's partner a 404).
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samspill.accounts.links import user_from_link
from samspill.core.forms import add_service_errors
from samspill.core.http import AuthedRequest
from samspill.loops import drivers, queries
from samspill.loops.forms_drivers import (
    AssignLoopForm,
    DeclarationForm,
    InviteCandidateForm,
    InviteContactForm,
    NavReferralForm,
    PartnerInviteForm,
)
from samspill.loops.models import Gathering, LoopPartner, LoopSeat
from samspill.organisations.models import Membership


def require_partner(request: AuthedRequest) -> LoopPartner:
    partner = drivers.loop_partner(request.user)
    if partner is None:
        raise PermissionDenied
    return partner


def require_manager(request: AuthedRequest) -> Membership:
    membership = drivers.manager_membership(request.user)
    if membership is None:
        raise PermissionDenied
    return membership


# The partner's own pages


@login_required
@require_GET
def partner_home(request: AuthedRequest) -> HttpResponse:
    partner = require_partner(request)
    loops = list(drivers.partner_loops(partner).order_by("-start_date", "name"))
    gatherings = list(
        drivers.partner_gatherings(partner).select_related("loop").order_by("date", "id")
    )
    members = list(
        drivers.driver_members(partner)
        .select_related("employer", "mentor", "loop")
        .order_by("loop__name", "column")
    )
    referrals = drivers.nav_referral_rows(partner) if partner.is_nav else []
    return render(
        request,
        "loops/partner_home.html",
        {
            "partner": partner,
            "loops": loops,
            "gatherings": gatherings,
            "members": members,
            "referrals": referrals,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def partner_loop(request: AuthedRequest, pk: int) -> HttpResponse:
    partner = require_partner(request)
    loop = drivers.loop_for_partner(partner, pk)
    form = NavReferralForm(request.POST or None) if partner.is_nav else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                drivers.nav_referral_create(partner=partner, loop=loop, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The referral was sent to the organisation."))
                return redirect("loop_partners:loop", pk=loop.pk)
        status = 400
    seats = LoopSeat.objects.filter(loop=loop, left_at__isnull=True)
    return render(
        request,
        "loops/partner_loop.html",
        {
            "partner": partner,
            "loop": loop,
            "periods": queries.loop_periods(loop),
            "members": list(
                drivers.driver_members(partner)
                .filter(loop=loop)
                .select_related("employer", "mentor")
                .order_by("column")
            ),
            "gatherings": list(
                drivers.partner_gatherings(partner).filter(loop=loop).order_by("date", "id")
            ),
            "seats_total": seats.count(),
            "seats_filled": seats.filter(participant__isnull=False).count(),
            "referrals": drivers.nav_referral_rows(partner, loop) if partner.is_nav else [],
            "form": form,
        },
        status=status,
    )


def _gathering_page(
    request: AuthedRequest,
    partner: LoopPartner,
    gathering: Gathering,
    *,
    candidate_form: InviteCandidateForm | None = None,
    contact_form: InviteContactForm | None = None,
    status: int = 200,
) -> HttpResponse:
    candidates = drivers.driver_candidates(partner=partner, gathering=gathering)
    # A youth who shares no name with workplaces is "Candidate N" (N by when they came to the
    # gathering), so that two of them can be told apart without their id or name.
    numbers = {pk: n for n, pk in enumerate(sorted(c.pk for c in candidates), start=1)}
    labels = {
        c.pk: c.name or _("Candidate %(number)s") % {"number": numbers[c.pk]} for c in candidates
    }
    invitable = [
        (c.pk, labels[c.pk]) for c in candidates if c.nomination is not None and not c.invited
    ]
    contacts = drivers.driver_contacts(partner, gathering).exclude(
        gathering_invitations__gathering=gathering
    )
    invited_contacts = list(
        gathering.invitations.filter(contact__isnull=False).select_related("contact__employer")
    )
    return render(
        request,
        "loops/partner_gathering.html",
        {
            "partner": partner,
            "gathering": gathering,
            "candidates": [(c, labels[c.pk]) for c in candidates],
            "invited_contacts": invited_contacts,
            "candidate_form": candidate_form or InviteCandidateForm(choices=invitable),
            "contact_form": contact_form or InviteContactForm(contacts=contacts),
            "has_invitable": bool(invitable),
        },
        status=status,
    )


@login_required
@require_GET
def partner_gathering(request: AuthedRequest, pk: int) -> HttpResponse:
    partner = require_partner(request)
    if not partner.is_driver:
        raise PermissionDenied
    return _gathering_page(request, partner, drivers.gathering_for_partner(partner, pk))


@login_required
@require_POST
def partner_invite(request: AuthedRequest, pk: int) -> HttpResponse:
    """The driver invites a proposed candidate or an employer contact to their gathering."""
    partner = require_partner(request)
    if not partner.is_driver:
        raise PermissionDenied
    gathering = drivers.gathering_for_partner(partner, pk)
    if "participant" in request.POST:
        choices = [
            (c.pk, str(c.pk))
            for c in drivers.driver_candidates(partner=partner, gathering=gathering)
            if c.nomination is not None and not c.invited
        ]
        candidate_form = InviteCandidateForm(request.POST, choices=choices)
        if candidate_form.is_valid():
            try:
                drivers.driver_invite_candidate(
                    partner=partner,
                    gathering=gathering,
                    participant_id=candidate_form.cleaned_data["participant"],
                )
            except ValidationError as error:
                add_service_errors(candidate_form, error)
            else:
                messages.success(request, _("The candidate was invited."))
                return redirect("loop_partners:gathering", pk=gathering.pk)
        return _gathering_page(
            request, partner, gathering, candidate_form=candidate_form, status=400
        )
    contact_form = InviteContactForm(
        request.POST, contacts=drivers.driver_contacts(partner, gathering)
    )
    if contact_form.is_valid():
        try:
            drivers.driver_invite_contact(
                partner=partner, gathering=gathering, contact=contact_form.cleaned_data["contact"]
            )
        except ValidationError as error:
            add_service_errors(contact_form, error)
        else:
            messages.success(request, _("The employer contact was invited."))
            return redirect("loop_partners:gathering", pk=gathering.pk)
    return _gathering_page(request, partner, gathering, contact_form=contact_form, status=400)


@require_http_methods(["GET", "POST"])
def partner_invitation(request: AuthedRequest, uidb64: str, token: str) -> HttpResponse:
    """Set a password from the invitation link, then go straight to the partner's page."""
    user = user_from_link(uidb64, token)
    if user is None or not LoopPartner.objects.filter(user=user, is_active=True).exists():
        return render(request, "accounts/invitation.html", status=404)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to Samspill."))
        return redirect("loop_partners:home")
    return render(
        request, "accounts/invitation.html", {"valid": True, "form": form, "user_email": user.email}
    )


# The organisation's management of partners


@login_required
@require_http_methods(["GET", "POST"])
def partners_manage(request: AuthedRequest) -> HttpResponse:
    membership = require_manager(request)
    form = PartnerInviteForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                partner = drivers.loop_partner_invite(
                    organisation=membership.organisation, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("An invitation was sent to %(email)s.") % {"email": partner.user.email},
                )
                return redirect("loop_partners:manage", pk=partner.pk)
        status = 400
    partners = list(
        drivers.partners_managed_by(membership)
        .select_related("user")
        .prefetch_related("loops")
        .order_by("role", "user__full_name")
    )
    return render(
        request,
        "loops/partners_manage.html",
        {"partners": partners, "form": form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def partner_manage(request: AuthedRequest, pk: int) -> HttpResponse:
    membership = require_manager(request)
    partner = get_object_or_404(
        drivers.partners_managed_by(membership).select_related("user"), pk=pk
    )
    loops = queries.loops_in(membership.organisation_id).exclude(partners=partner)
    declaration_form = DeclarationForm()
    assign_form = AssignLoopForm(loops=loops)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "declaration":
                declaration_form = DeclarationForm(request.POST)
                if declaration_form.is_valid():
                    drivers.loop_partner_declaration_record(
                        partner=partner, by=request.user, **declaration_form.cleaned_data
                    )
                    messages.success(request, _("The declaration was recorded."))
                    return redirect("loop_partners:manage", pk=partner.pk)
            elif action == "assign":
                assign_form = AssignLoopForm(request.POST, loops=loops)
                if assign_form.is_valid():
                    drivers.loop_partner_assign(
                        partner=partner, loop=assign_form.cleaned_data["loop"], by=request.user
                    )
                    messages.success(request, _("The loop was given."))
                    return redirect("loop_partners:manage", pk=partner.pk)
            elif action == "deactivate":
                drivers.loop_partner_deactivate(partner=partner, by=request.user)
                messages.success(request, _("The access was ended."))
                return redirect("loop_partners:list")
        except ValidationError as error:
            add_service_errors(declaration_form if action == "declaration" else assign_form, error)
        status = 400
    return render(
        request,
        "loops/partner_manage.html",
        {
            "partner": partner,
            "partner_loops": list(partner.loops.order_by("name")),
            "declaration_form": declaration_form,
            "assign_form": assign_form,
        },
        status=status,
    )
