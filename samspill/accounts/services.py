"""Writes to a user's own settings (STYLE.md 2)."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from samspill.accounts.models import User
from samspill.audit.services import audit_record
from samspill.core.phone import validate_phone
from samspill.organisations.models import Membership, Organisation
from samspill.organisations.queries import membership_for_user


def _audit_setting(user: User, by: User, action: str, data: dict[str, Any] | None = None) -> None:
    """A change of one's own settings, audited in one's organisation (a portal user has none)."""
    membership = membership_for_user(user)
    if membership is not None:
        audit_record(
            actor=by,
            organisation_id=membership.organisation_id,
            action=action,
            obj=user,
            data=data,
        )


@transaction.atomic
def user_set_email_reminders(*, user: User, by: User, enabled: bool) -> User:
    user.email_reminders = enabled
    user.save(update_fields=["email_reminders"])
    _audit_setting(user, by, "user.reminders_changed", {"email_reminders": enabled})
    return user


@transaction.atomic
def user_set_phone(*, user: User, by: User, phone: str) -> User:
    """A staff member's work phone, which the participants they follow see on their own pages.
    The audit row says that it changed, not to what."""
    phone = phone.strip()
    if phone:
        try:
            validate_phone(phone)
        except ValidationError as error:
            raise ValidationError({"phone": error.messages}) from error
    if phone == user.phone:
        return user
    user.phone = phone
    user.save(update_fields=["phone"])
    _audit_setting(user, by, "user.phone_changed")
    return user


class SignInRefused(Exception):
    """An OpenID Connect sign-in that matches no active staff account. `reason`: `unknown` (no
    staff account for this identity), `deactivated` or `linked_elsewhere` (the account is
    linked to another identity of the provider). `user` is the account when one was found."""

    def __init__(self, reason: str, user: User | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.user = user


def _email_is_verified(claims: dict[str, Any]) -> bool:
    # Some providers send the flag as a string.
    return claims.get("email_verified") in {True, "true", "True"}


def staff_oidc_sign_in(*, claims: dict[str, Any]) -> User:
    """The staff account that a verified OpenID Connect identity signs in as.

    Found by the stored `sub`; on a first sign-in, by the verified e-mail address of an
    account with an active membership, and the `sub` is then stored (`user.oidc_linked`).
    Creates an account only when OIDC_CREATE_STAFF_IN is set (`_create_staff`), and never signs
    in a portal user or anyone without an active membership. Writes `user.signed_in`; raises SignInRefused otherwise, after writing
    `user.sign_in_refused` when the account is a staff member's (an identity that matches no
    staff account has no organisation to audit against: the caller logs it)."""
    subject = str(claims.get("sub") or "")
    try:
        return _oidc_sign_in(claims=claims, subject=subject)
    except SignInRefused as refused:
        if refused.user is not None:
            _audit_refusal(user=refused.user, reason=refused.reason, subject=subject)
        raise


@transaction.atomic
def _oidc_sign_in(*, claims: dict[str, Any], subject: str) -> User:
    if not subject:
        raise SignInRefused("unknown")
    user = User.objects.select_for_update().filter(oidc_subject=subject).first()
    linking = user is None
    if user is None:
        email = str(claims.get(settings.OIDC_EMAIL_CLAIM) or "").strip()
        if not email or (settings.OIDC_REQUIRE_VERIFIED_EMAIL and not _email_is_verified(claims)):
            raise SignInRefused("unknown")
        user = User.objects.select_for_update().filter(email__iexact=email).first()
        if user is None:
            if not settings.OIDC_CREATE_STAFF_IN:
                raise SignInRefused("unknown")
            user = _create_staff(claims=claims, email=email)
    membership = Membership.objects.filter(user=user).order_by("-is_active").first()
    if membership is None:
        raise SignInRefused("unknown")  # a portal user or an operator: not ours to tell
    if not (membership.is_active and user.is_active):
        raise SignInRefused("deactivated", user)
    if linking:
        if user.oidc_subject:
            # An e-mail address does not move a login to another identity.
            raise SignInRefused("linked_elsewhere", user)
        user.oidc_subject = subject
        user.save(update_fields=["oidc_subject"])
        _audit_own(user, membership, "user.oidc_linked", {"subject": subject})
    _audit_own(user, membership, "user.signed_in", {"method": "oidc"})
    return user


def _create_staff(*, claims: dict[str, Any], email: str) -> User:
    """OIDC_CREATE_STAFF_IN names an organisation (by id) whose provider vouches for everyone it
    lets through: an unknown, verified address becomes a counselor there with no team and no
    password (`membership.created_by_sign_in`); the administrator gives the role and team."""
    key = settings.OIDC_CREATE_STAFF_IN
    organisation = Organisation.objects.filter(pk=int(key)).first() if key.isdigit() else None
    if organisation is None:  # `samspill check` says so too
        raise SignInRefused("unknown")
    name = str(claims.get("name") or "").strip() or email.split("@")[0]
    user = User(email=User.objects.normalize_email(email), full_name=name[:200])
    user.set_unusable_password()
    user.full_clean()
    user.save()
    membership = Membership(user=user, organisation=organisation, role=Membership.Role.COUNSELOR)
    membership.full_clean()
    membership.save()
    audit_record(
        actor=user,
        organisation_id=organisation.pk,
        action="membership.created_by_sign_in",
        obj=membership,
        data={"user": user.pk, "role": membership.role},
    )
    return user


def _audit_own(user: User, membership: Membership, action: str, data: dict[str, Any]) -> None:
    """A sign-in event: the person is the actor and the object, in their organisation."""
    audit_record(
        actor=user,
        organisation_id=membership.organisation_id,
        action=action,
        obj=user,
        data=data,
    )


@transaction.atomic
def _audit_refusal(*, user: User, reason: str, subject: str) -> None:
    membership = Membership.objects.filter(user=user).order_by("-is_active", "-created_at").first()
    if membership is not None:
        data = {"method": "oidc", "reason": reason, "subject": subject}
        _audit_own(user, membership, "user.sign_in_refused", data)
