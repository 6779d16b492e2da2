"""Invitations to the portal: no self-registration; staff invite a contact by e-mail, and the
link lets them set a password once."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from samspill.accounts.models import User
from samspill.audit.services import audit_record
from samspill.employers.models import EmployerContact


def invitation_url(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("portal:invitation", kwargs={"uidb64": uid, "token": token})
    return settings.SITE_URL.rstrip("/") + path


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
        user = User.objects.filter(email__iexact=contact.email).first()
        if user is not None and (
            user.memberships.filter(is_active=True).exists()
            or EmployerContact.objects.filter(user=user).exclude(pk=contact.pk).exists()
        ):
            raise ValidationError(
                {"email": _("This e-mail address already belongs to another account.")}
            )
        if user is None:
            user = User.objects.create_user(
                email=contact.email, password=None, full_name=contact.name
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
    email = contact.email
    transaction.on_commit(lambda: send_mail(subject, body, None, [email]))
    return user
