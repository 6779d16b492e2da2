"""The organisation's administration pages: staff, teams, API tokens and settings, for the
organisation's own administrators only (permissions.py). Thin: permission door, one service,
redirect or render (STYLE.md 3)."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samspill.accounts.links import user_from_link
from samspill.core.forms import add_service_errors
from samspill.core.http import AuthedRequest
from samspill.organisations import permissions, queries, services
from samspill.organisations.forms import (
    InviteForm,
    MembershipForm,
    OrganisationSettingsForm,
    StaffSearchForm,
    TeamForm,
    TokenForm,
)
from samspill.organisations.models import Membership, Organisation, Team

PAGE_SIZE = 25


def require_admin(request: AuthedRequest) -> Membership:
    membership = permissions.admin_membership(request.user)
    if membership is None:
        raise PermissionDenied
    return membership


def member_for_admin(request: AuthedRequest, pk: int) -> tuple[Membership, Membership]:
    """The administrator's membership and a membership of their organisation, or 404."""
    admin = require_admin(request)
    member = get_object_or_404(
        permissions.memberships_administered_by(admin).select_related("user", "team"), pk=pk
    )
    return admin, member


def team_for_admin(request: AuthedRequest, pk: int) -> tuple[Membership, Team]:
    admin = require_admin(request)
    return admin, get_object_or_404(permissions.teams_administered_by(admin), pk=pk)


def _error(request: AuthedRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


# Staff ------------------------------------------------------------------------------------


@login_required
@require_GET
def staff_list(request: AuthedRequest) -> HttpResponse:
    admin = require_admin(request)
    form = StaffSearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_bound and form.is_valid() else ""
    page = Paginator(queries.staff_list(admin.organisation_id, q), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "organisations/staff_list.html", {"form": form, "page": page, "q": q})


@login_required
@require_http_methods(["GET", "POST"])
def staff_invite(request: AuthedRequest) -> HttpResponse:
    admin = require_admin(request)
    form = InviteForm(request.POST or None, teams=permissions.teams_administered_by(admin))
    if request.method == "POST":
        if form.is_valid():
            try:
                member = services.staff_invite(
                    organisation=admin.organisation, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("An invitation was sent to %(email)s.") % {"email": member.user.email},
                )
                return redirect("organisation:member", pk=member.pk)
        return render(request, "organisations/invite.html", {"form": form}, status=400)
    return render(request, "organisations/invite.html", {"form": form})


def _member_page(
    request: AuthedRequest, admin: Membership, member: Membership, form: MembershipForm
) -> dict[str, Any]:
    return {
        "member": member,
        "form": form,
        "is_self": member.user_id == request.user.pk,
        "accepted": member.user.has_usable_password() or bool(member.user.oidc_subject),
    }


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    admin, member = member_for_admin(request, pk)
    teams = permissions.teams_administered_by(admin)
    if request.method != "POST":
        form = MembershipForm(
            initial={"role": member.role, "team": member.team, "revision": member.revision},
            teams=teams,
        )
        return render(
            request, "organisations/member.html", _member_page(request, admin, member, form)
        )
    form = MembershipForm(request.POST, teams=teams)
    if form.is_valid():
        try:
            services.membership_update(membership=member, by=request.user, **form.cleaned_data)
        except services.ConflictError:
            _admin, member = member_for_admin(request, pk)
            data = request.POST.copy()
            data["revision"] = str(member.revision)
            form = MembershipForm(data, teams=teams)
            form.is_valid()
            form.add_error(
                None,
                _(
                    "Someone else changed the role or team of %(name)s while you were editing: "
                    "it is now %(role)s, %(team)s. Check your choices, then save again."
                )
                % {
                    "name": member.user.full_name,
                    "role": member.get_role_display(),
                    "team": member.team.name if member.team else _("no team"),
                },
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s was saved.") % {"name": member.user.full_name})
            return redirect("organisation:member", pk=member.pk)
    return render(
        request,
        "organisations/member.html",
        _member_page(request, admin, member, form),
        status=400,
    )


@login_required
@require_POST
def member_resend(request: AuthedRequest, pk: int) -> HttpResponse:
    _admin, member = member_for_admin(request, pk)
    try:
        services.staff_invitation_resend(membership=member, by=request.user)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(
            request, _("An invitation was sent to %(email)s.") % {"email": member.user.email}
        )
    return redirect("organisation:member", pk=member.pk)


@login_required
@require_POST
def member_deactivate(request: AuthedRequest, pk: int) -> HttpResponse:
    _admin, member = member_for_admin(request, pk)
    try:
        services.membership_deactivate(membership=member, by=request.user)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(
            request,
            _("%(name)s was deactivated and can no longer log in.")
            % {"name": member.user.full_name},
        )
    return redirect("organisation:member", pk=member.pk)


@login_required
@require_POST
def member_reactivate(request: AuthedRequest, pk: int) -> HttpResponse:
    _admin, member = member_for_admin(request, pk)
    try:
        services.membership_reactivate(membership=member, by=request.user)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("%(name)s was reactivated.") % {"name": member.user.full_name})
    return redirect("organisation:member", pk=member.pk)


@login_required
@require_POST
def member_oidc_unlink(request: AuthedRequest, pk: int) -> HttpResponse:
    _admin, member = member_for_admin(request, pk)
    try:
        services.membership_oidc_unlink(membership=member, by=request.user)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(
            request,
            _(
                "%(name)s is no longer linked to an organisation account. Their next sign-in "
                "with the organisation links them again by e-mail address."
            )
            % {"name": member.user.full_name},
        )
    return redirect("organisation:member", pk=member.pk)


# Teams ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def team_list(request: AuthedRequest) -> HttpResponse:
    admin = require_admin(request)
    form = TeamForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                team = services.team_create(
                    organisation=admin.organisation, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The team %(name)s was created.") % {"name": team.name})
                return redirect("organisation:teams")
        status = 400
    teams = queries.teams_with_counts(admin.organisation_id)
    return render(
        request, "organisations/teams.html", {"form": form, "teams": teams}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def team_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    _admin, team = team_for_admin(request, pk)
    form = TeamForm(request.POST or None, initial={"name": team.name})
    if request.method == "POST":
        if form.is_valid():
            try:
                services.team_rename(team=team, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The team was renamed."))
                return redirect("organisation:teams")
        return render(request, "organisations/team.html", {"form": form, "team": team}, status=400)
    return render(request, "organisations/team.html", {"form": form, "team": team})


@login_required
@require_POST
def team_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    _admin, team = team_for_admin(request, pk)
    try:
        services.team_delete(team=team, by=request.user)
    except ValidationError as error:
        _error(request, error)
        return redirect("organisation:team", pk=team.pk)
    messages.success(request, _("The team %(name)s was deleted.") % {"name": team.name})
    return redirect("organisation:teams")


# API tokens -------------------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: AuthedRequest) -> HttpResponse:
    """Tokens of the organisation's staff. A new token's secret is in the answer to the POST
    that made it, and nowhere else: it is neither stored nor put in the session."""
    admin = require_admin(request)
    members = queries.active_staff(admin.organisation_id)
    form = TokenForm(request.POST or None, members=members)
    created: dict[str, Any] | None = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                token, key = services.staff_token_create(
                    membership=form.cleaned_data["member"],
                    by=request.user,
                    name=form.cleaned_data["name"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
                status = 400
            else:
                created = {"token": token, "key": key}
                form = TokenForm(members=members)
        else:
            status = 400
    page = Paginator(queries.tokens_of_organisation(admin.organisation_id), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "organisations/tokens.html",
        {"form": form, "page": page, "created": created},
        status=status,
    )


@login_required
@require_POST
def token_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    admin = require_admin(request)
    token = get_object_or_404(permissions.tokens_administered_by(admin), pk=pk)
    try:
        services.staff_token_revoke(token=token, by=request.user)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(
            request, _("The token %(prefix)s… was revoked.") % {"prefix": token.prefix}
        )
    return redirect("organisation:tokens")


# Settings ---------------------------------------------------------------------------------


def _settings_initial(organisation: Organisation) -> dict[str, Any]:
    return {
        **{field: getattr(organisation, field) for field in services.SETTINGS_FIELDS},
        "revision": organisation.revision,
    }


@login_required
@require_http_methods(["GET", "POST"])
def organisation_settings(request: AuthedRequest) -> HttpResponse:
    admin = require_admin(request)
    organisation = Organisation.objects.get(pk=admin.organisation_id)
    if request.method != "POST":
        form = OrganisationSettingsForm(initial=_settings_initial(organisation))
        return render(request, "organisations/settings.html", {"form": form})
    form = OrganisationSettingsForm(request.POST)
    if form.is_valid():
        try:
            services.organisation_update(
                organisation=organisation,
                by=request.user,
                revision=form.cleaned_data["revision"],
                **form.changes(),
            )
        except services.ConflictError:
            organisation.refresh_from_db()
            data = request.POST.copy()
            data["revision"] = str(organisation.revision)
            form = OrganisationSettingsForm(data)
            form.is_valid()
            form.add_error(
                None,
                _(
                    "Another administrator saved the settings while you were editing. Your "
                    "changes are still in the form; compare them with what is saved now "
                    "(name: %(name)s, weeks between belief check-ins: %(weeks)s), then save again."
                )
                % {"name": organisation.name, "weeks": organisation.belief_checkin_weeks},
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The settings were saved."))
            return redirect("organisation:settings")
    return render(request, "organisations/settings.html", {"form": form}, status=400)


# The invitation link ----------------------------------------------------------------------

TEMPLATE_INVITATION = "accounts/invitation.html"


@never_cache
@require_http_methods(["GET", "POST"])
def invitation(request: AuthedRequest, uidb64: str, token: str) -> HttpResponse:
    """A new staff member chooses their password from the invitation link, then logs in. The
    link works once (choosing a password makes the token invalid) and only while they are an
    active member."""
    user = user_from_link(uidb64, token)
    if not (
        user is not None
        and user.is_active
        and Membership.objects.filter(user=user, is_active=True).exists()
    ):
        return render(request, TEMPLATE_INVITATION, {"ask_administrator": True}, status=404)
    if not settings.STAFF_PASSWORD_LOGIN:
        # Staff sign in with their organisation's account: the link leads there, and sets
        # no password (which would not let them in anyway).
        return render(
            request,
            TEMPLATE_INVITATION,
            {"valid": True, "oidc_only": True, "user_email": user.email},
            status=400 if request.method == "POST" else 200,
        )
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.staff_invitation_accept(user=user, password=form.cleaned_data["new_password1"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to Samspill."))
        return redirect("home")
    return render(
        request,
        TEMPLATE_INVITATION,
        {"valid": True, "form": form, "user_email": user.email},
        status=400 if request.method == "POST" else 200,
    )
