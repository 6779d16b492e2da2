"""Invitations to the portal: no self-registration; staff invite a contact by e-mail, and the
link lets them set a password once."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samspill.accounts.links import one_time_link
from samspill.accounts.models import User
from samspill.audit.services import audit_record
from samspill.employers.models import EmployerContact
from samspill.outbox.services import outbox_put
from samspill.participants.models import Participant


def invitation_url(user: User) -> str:
    return one_time_link(user, "portal:invitation")


def _account_for(email: str, full_name: str, *, allowed: Any) -> User:
    """The portal account for this e-mail address: an existing one that `allowed` says may be
    reused, or a new one. A staff account never becomes a portal account."""
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        return User.objects.create_user(email=email, password=None, full_name=full_name)
    if user.memberships.filter(is_active=True).exists() or not allowed(user):
        raise ValidationError(
            {"email": _("This e-mail address already belongs to another account.")}
        )
    return user


@transaction.atomic
def portal_invite(*, contact: EmployerContact, by: User) -> User:
    """Give the contact a portal account (or reuse theirs) and e-mail a link to set a password."""
    contact = (
        EmployerContact.objects.select_for_update().select_related("employer").get(pk=contact.pk)
    )
    if not contact.is_active:
        raise ValidationError(_("This contact is no longer active."))
    if not contact.email:
        raise ValidationError({"email": _("Add the contact's e-mail address first.")})
    user = contact.user
    if user is None:
        user = _account_for(
            contact.email,
            contact.name,
            allowed=lambda u: (
                not EmployerContact.objects.filter(user=u).exclude(pk=contact.pk).exists()
                and not Participant.objects.filter(portal_user=u).exists()
            ),
        )
        contact.user = user
    contact.invited_at = timezone.now()
    contact.save(update_fields=["user", "invited_at"])
    audit_record(
        actor=by,
        organisation_id=contact.employer.organisation_id,
        action="portal.invited",
        obj=contact,
        data={"user": user.pk},
    )
    url = invitation_url(user)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Your invitation to Samspill")
        body = _(
            "You have been invited to Samspill, where you can follow the placements at "
            "%(employer)s and reach your contact person. Choose your password here (the link "
            "works once, for a few days): %(url)s"
        ) % {"employer": contact.employer.name, "url": url}
    outbox_put(to=[contact.email], subject=subject, body=body)
    return user


@transaction.atomic
def participant_invite(*, participant: Participant, by: User) -> User:
    """Give the participant their own login (or reuse it) and e-mail a link to set a password:
    they approve their agreements, see follow-ups and evaluations, download certificates."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if not participant.email:
        raise ValidationError({"email": _("Add the participant's e-mail address first.")})
    user = participant.portal_user
    if user is None:
        user = _account_for(
            participant.email,
            participant.full_name,
            allowed=lambda u: (
                not EmployerContact.objects.filter(user=u).exists()
                and not Participant.objects.filter(portal_user=u).exists()
            ),
        )
        participant.portal_user = user
    participant.portal_invited_at = timezone.now()
    participant.save(update_fields=["portal_user", "portal_invited_at"])
    audit_record(
        actor=by,
        organisation_id=participant.organisation_id,
        action="portal.participant_invited",
        obj=participant,
        participant_id=participant.pk,
        data={"user": user.pk},
    )
    url = invitation_url(user)
    languages = {code for code, _name in settings.LANGUAGES}
    language = participant.preferred_language
    with translation.override(language if language in languages else settings.LANGUAGE_CODE):
        subject = _("Your invitation to Samspill")
        body = _(
            "You have been invited to Samspill, where you can read and approve the agreement "
            "for your placement and see your follow-ups. Choose your password here (the link "
            "works once, for a few days): %(url)s"
        ) % {"url": url}
    outbox_put(to=[participant.email], subject=subject, body=body)
    return user
