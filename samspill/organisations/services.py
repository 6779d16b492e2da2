"""Writes an organisation's administrator makes: staff, roles, teams, API tokens and settings
(STYLE.md 2). Every function is keyword-only, atomic, validated, and writes an audit event with
the acting user and the organisation.

Who may call them (an active administrator of the same organisation) is checked by the caller
through `permissions.py`; these check the rules that hold whoever calls: nobody changes their
own role or deactivates themselves, an organisation keeps at least one active administrator,
a team and a membership belong to the same organisation, and nothing here ever touches
`is_staff` or `is_superuser`.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samspill.accounts.auth import api_token_create, api_token_revoke
from samspill.accounts.links import one_time_link
from samspill.accounts.models import ApiToken, User
from samspill.audit.services import audit_record
from samspill.employers.models import EmployerContact
from samspill.organisations.models import Membership, Organisation, Team
from samspill.outbox.services import outbox_put
from samspill.participants.models import Participant

# Weeks between belief check-ins an organisation may choose: at least weekly, at most yearly.
BELIEF_WEEKS_MIN = 1
BELIEF_WEEKS_MAX = 52


class ConflictError(Exception):
    """Someone else changed the object since this form was opened (optimistic lock)."""


# Invitations ------------------------------------------------------------------------------


def staff_invitation_url(user: User) -> str:
    return one_time_link(user, "organisation:invitation")


def _send_invitation(membership: Membership) -> None:
    """E-mail the link to choose a password (through the outbox: sent after commit)."""
    url = staff_invitation_url(membership.user)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Your invitation to Samspill")
        if settings.STAFF_PASSWORD_LOGIN:
            body = _(
                "You have been invited to work in Samspill for %(organisation)s. Choose your "
                "password here (the link works once, for a few days): %(url)s"
            ) % {"organisation": membership.organisation.name, "url": url}
        else:
            body = _(
                "You have been invited to work in Samspill for %(organisation)s. Sign in with "
                "your organisation's account here: %(url)s"
            ) % {"organisation": membership.organisation.name, "url": url}
    outbox_put(to=[membership.user.email], subject=subject, body=body)


def _check_team(team: Team | None, organisation_id: int) -> None:
    if team is not None and team.organisation_id != organisation_id:
        raise ValidationError({"team": _("Choose one of your organisation's teams.")})


def _check_role(role: str) -> None:
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Choose one of the roles.")})


@transaction.atomic
def staff_invite(
    *,
    organisation: Organisation,
    by: User,
    email: str,
    full_name: str,
    role: str,
    team: Team | None = None,
) -> Membership:
    """Create a staff account (with no usable password) and its active membership, and e-mail
    a one-time link to choose a password.

    Only a new e-mail address can be invited: an address that already has an account (staff
    here or elsewhere, a portal user) is refused and nothing changes, so that no organisation
    takes over somebody else's login."""
    email = User.objects.normalize_email(email.strip())
    full_name = full_name.strip()
    _check_role(role)
    _check_team(team, organisation.pk)
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        if Membership.objects.filter(user=existing, organisation=organisation).exists():
            raise ValidationError(
                {"email": _("This person is already on your staff list. Open them there.")}
            )
        raise ValidationError(
            {"email": _("This e-mail address already belongs to another account.")}
        )
    user = User(email=email, full_name=full_name)
    user.set_unusable_password()
    user.full_clean()
    user.save()
    membership = Membership(
        user=user, organisation=organisation, role=role, team=team, invited_at=timezone.now()
    )
    membership.full_clean()
    membership.save()
    audit_record(
        actor=by,
        organisation_id=organisation.pk,
        action="membership.invited",
        obj=membership,
        data={"user": user.pk, "role": role, "team": team.pk if team else None},
    )
    _send_invitation(membership)
    return membership


def _locked(membership: Membership) -> Membership:
    return (
        Membership.objects.select_for_update()
        .select_related("user", "organisation")
        .get(pk=membership.pk)
    )


@transaction.atomic
def staff_invitation_resend(*, membership: Membership, by: User) -> Membership:
    """Send the invitation again (a new link) to someone who has not chosen a password yet."""
    current = _locked(membership)
    if not current.is_active:
        raise ValidationError(_("Reactivate this person before you invite them again."))
    if current.user.oidc_subject:
        raise ValidationError(_("This person already signs in with their organisation's account."))
    if current.user.has_usable_password():
        raise ValidationError(
            _(
                "This person has already chosen a password. If they forgot it, they can ask "
                "for a new one on the login page."
            )
        )
    current.invited_at = timezone.now()
    current.save(update_fields=["invited_at"])
    audit_record(
        actor=by,
        organisation_id=current.organisation_id,
        action="membership.invitation_resent",
        obj=current,
        data={"user": current.user_id},
    )
    _send_invitation(current)
    return current


@transaction.atomic
def staff_invitation_accept(*, user: User, password: str) -> User:
    """The invited person chose their password (already checked by the password validators):
    the link stops working, since its token was made from the old password."""
    membership = Membership.objects.select_for_update().get(user=user, is_active=True)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(
        actor=user,
        organisation_id=membership.organisation_id,
        action="membership.invitation_accepted",
        obj=membership,
        data={"user": user.pk},
    )
    return user


# Memberships ------------------------------------------------------------------------------


def _other_active_admins(membership: Membership) -> bool:
    return (
        Membership.objects.filter(
            organisation_id=membership.organisation_id,
            role=Membership.Role.ADMIN,
            is_active=True,
        )
        .exclude(pk=membership.pk)
        .exists()
    )


def _check_keeps_an_admin(membership: Membership) -> None:
    if (
        membership.is_active
        and membership.role == Membership.Role.ADMIN
        and not _other_active_admins(membership)
    ):
        raise ValidationError(_("Your organisation must keep at least one active administrator."))


@transaction.atomic
def membership_update(
    *, membership: Membership, by: User, revision: int, role: str, team: Team | None
) -> Membership:
    """Change a staff member's role and team, as they stood at `revision`.

    Raises ConflictError when someone else saved since `revision`. The participants the person
    follows move to their new team with them (a participant's team is their counselor's)."""
    current = _locked(membership)
    if current.revision != revision:
        raise ConflictError
    _check_role(role)
    _check_team(team, current.organisation_id)
    if role != current.role:
        if current.user_id == by.pk:
            raise ValidationError({"role": _("You cannot change your own role.")})
        _check_keeps_an_admin(current)
    before = {"role": current.role, "team": current.team_id}
    current.role = role
    current.team = team
    current.full_clean()
    Membership.objects.filter(pk=current.pk).update(
        role=role, team=team, revision=F("revision") + 1
    )
    current.revision = revision + 1
    if before["team"] != current.team_id:
        Participant.objects.filter(
            organisation_id=current.organisation_id, counselor_id=current.user_id
        ).update(team=team)
    audit_record(
        actor=by,
        organisation_id=current.organisation_id,
        action="membership.changed",
        obj=current,
        data={"before": before, "after": {"role": role, "team": current.team_id}},
    )
    return current


def _locks_the_account(user: User) -> bool:
    # A platform operator's account is not the organisation's to lock: only the membership ends.
    return not (user.is_staff or user.is_superuser)


@transaction.atomic
def membership_deactivate(*, membership: Membership, by: User) -> Membership:
    """End a staff member's access: the membership is deactivated, their account can no longer
    log in (so their open sessions end at the next request) and their API tokens are revoked."""
    current = _locked(membership)
    if not current.is_active:
        raise ValidationError(_("This person is already deactivated."))
    if current.user_id == by.pk:
        raise ValidationError(_("You cannot deactivate yourself."))
    _check_keeps_an_admin(current)
    for token in ApiToken.objects.filter(user_id=current.user_id, revoked_at__isnull=True):
        api_token_revoke(token=token, by=by)
    current.is_active = False
    current.save(update_fields=["is_active"])
    user = current.user
    if _locks_the_account(user):
        user.is_active = False
        user.save(update_fields=["is_active"])
    audit_record(
        actor=by,
        organisation_id=current.organisation_id,
        action="membership.deactivated",
        obj=current,
        data={"user": user.pk},
    )
    return current


@transaction.atomic
def membership_oidc_unlink(*, membership: Membership, by: User) -> Membership:
    """Forget the organisation account (the OpenID Connect `sub`) a staff member signs in with:
    for an account at the provider that was replaced, or linked to the wrong person. Their
    next sign-in with the organisation links again by verified e-mail address
    (accounts.services.staff_oidc_sign_in)."""
    current = _locked(membership)
    user = User.objects.select_for_update().get(pk=current.user_id)
    if not user.oidc_subject:
        raise ValidationError(_("This person is not linked to an organisation account."))
    subject = user.oidc_subject
    user.oidc_subject = None
    user.save(update_fields=["oidc_subject"])
    audit_record(
        actor=by,
        organisation_id=current.organisation_id,
        action="user.oidc_unlinked",
        obj=user,
        data={"subject": subject},
    )
    return current


def _is_portal_user(user: User) -> bool:
    return (
        EmployerContact.objects.filter(user=user).exists()
        or Participant.objects.filter(portal_user=user).exists()
    )


@transaction.atomic
def membership_reactivate(*, membership: Membership, by: User) -> Membership:
    """Give a deactivated staff member their access back (their revoked tokens stay revoked)."""
    current = _locked(membership)
    if current.is_active:
        raise ValidationError(_("This person is already active."))
    user = current.user
    if Membership.objects.filter(user=user, is_active=True).exists() or _is_portal_user(user):
        raise ValidationError(
            _("This person's account is now in use elsewhere and cannot be reactivated here.")
        )
    current.is_active = True
    try:
        with transaction.atomic():
            current.save(update_fields=["is_active"])
    except IntegrityError:
        raise ValidationError(
            _("This person's account is now in use elsewhere and cannot be reactivated here.")
        ) from None
    if _locks_the_account(user):
        user.is_active = True
        user.save(update_fields=["is_active"])
    audit_record(
        actor=by,
        organisation_id=current.organisation_id,
        action="membership.reactivated",
        obj=current,
        data={"user": user.pk},
    )
    return current


# Teams ------------------------------------------------------------------------------------


def _check_team_name(*, organisation_id: int, name: str, exclude_pk: int | None = None) -> None:
    if not name:
        raise ValidationError({"name": _("Give the team a name.")})
    clash = Team.objects.filter(organisation_id=organisation_id, name__iexact=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError(
            {"name": _("Your organisation already has a team called %(name)s.") % {"name": name}}
        )


@transaction.atomic
def team_create(*, organisation: Organisation, by: User, name: str) -> Team:
    name = name.strip()
    _check_team_name(organisation_id=organisation.pk, name=name)
    team = Team(organisation=organisation, name=name)
    team.full_clean()
    team.save()
    audit_record(
        actor=by,
        organisation_id=organisation.pk,
        action="team.created",
        obj=team,
        data={"name": name},
    )
    return team


@transaction.atomic
def team_rename(*, team: Team, by: User, name: str) -> Team:
    current = Team.objects.select_for_update().get(pk=team.pk)
    name = name.strip()
    _check_team_name(organisation_id=current.organisation_id, name=name, exclude_pk=current.pk)
    before = current.name
    current.name = name
    current.full_clean()
    current.save(update_fields=["name"])
    audit_record(
        actor=by,
        organisation_id=current.organisation_id,
        action="team.renamed",
        obj=current,
        data={"before": before, "after": name},
    )
    return current


@transaction.atomic
def team_delete(*, team: Team, by: User) -> None:
    """Delete a team that nobody is in and that follows no participant."""
    current = Team.objects.select_for_update().get(pk=team.pk)
    members = Membership.objects.filter(team=current, is_active=True).count()
    participants = Participant.objects.filter(team=current).count()
    if members or participants:
        raise ValidationError(
            _(
                "%(team)s still has %(members)s active staff members and %(participants)s "
                "participants. Move them to another team first."
            )
            % {"team": current.name, "members": members, "participants": participants}
        )
    audit_record(
        actor=by,
        organisation_id=current.organisation_id,
        action="team.deleted",
        obj=current,
        data={"name": current.name},
    )
    current.delete()


# API tokens -------------------------------------------------------------------------------


@transaction.atomic
def staff_token_create(*, membership: Membership, by: User, name: str) -> tuple[ApiToken, str]:
    """A token for an active staff member; returns it with the key, which is shown once."""
    current = _locked(membership)
    if not current.is_active:
        raise ValidationError({"member": _("This person is deactivated.")})
    if not name.strip():
        raise ValidationError({"name": _("Give the token a name.")})
    return api_token_create(user=current.user, name=name, by=by)


@transaction.atomic
def staff_token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    current = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    if current.revoked_at is not None:
        raise ValidationError(_("This token is already revoked."))
    return api_token_revoke(token=current, by=by)


# Settings ---------------------------------------------------------------------------------

SETTINGS_FIELDS = ("name", "team_sees_team_participants", "belief_checkin_weeks")


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, by: User, revision: int, **changes: Any
) -> Organisation:
    """Change the organisation's settings as they stood at `revision`; raises ConflictError
    when another administrator saved since."""
    unknown = set(changes) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"unknown organisation settings: {sorted(unknown)}")
    current = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if current.revision != revision:
        raise ConflictError
    if "name" in changes:
        changes["name"] = changes["name"].strip()
    weeks = changes.get("belief_checkin_weeks", current.belief_checkin_weeks)
    if not BELIEF_WEEKS_MIN <= weeks <= BELIEF_WEEKS_MAX:
        raise ValidationError(
            {
                "belief_checkin_weeks": _("Choose between %(min)s and %(max)s weeks.")
                % {"min": BELIEF_WEEKS_MIN, "max": BELIEF_WEEKS_MAX}
            }
        )
    before = {field: getattr(current, field) for field in changes}
    for field, value in changes.items():
        setattr(current, field, value)
    current.full_clean()
    changed = [field for field in changes if before[field] != changes[field]]
    Organisation.objects.filter(pk=current.pk).update(
        **{field: changes[field] for field in changed}, revision=F("revision") + 1
    )
    current.revision = revision + 1
    audit_record(
        actor=by,
        organisation_id=current.pk,
        action="organisation.settings_changed",
        obj=current,
        data={"before": {f: before[f] for f in changed}, "after": {f: changes[f] for f in changed}},
    )
    return current
