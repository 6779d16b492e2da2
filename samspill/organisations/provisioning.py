"""The platform operator's one write: a new organisation with its first administrator.

It is made from the command line (`samspill organisation_create`), since Django admin writes
nothing (core/admin_site.py); everything after it is the organisation's own, on its pages.
Kept apart from the organisation's own services because no organisation's member calls it.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samspill.accounts.models import User
from samspill.audit.services import audit_record
from samspill.organisations.models import Membership, Organisation


@transaction.atomic
def organisation_create(
    *,
    name: str,
    kind: str,
    country: str,
    admin_email: str,
    admin_name: str,
    by: User | None = None,
) -> tuple[Organisation, User]:
    """Create the organisation and its first administrator, whose account has no password yet
    (they choose one from a one-time link). `by` is None from the command line."""
    email = User.objects.normalize_email(admin_email.strip())
    organisation = Organisation(name=name.strip(), kind=kind, country=country)
    administrator = User(email=email, full_name=admin_name.strip())
    administrator.set_unusable_password()
    errors: dict[str, list[str]] = {}
    for obj in (organisation, administrator):
        try:
            obj.full_clean()
        except ValidationError as error:
            errors.update(error.message_dict)
    if "email" not in errors and User.objects.filter(email__iexact=email).exists():
        errors["email"] = [_("This e-mail address already belongs to another account.")]
    if errors:
        raise ValidationError(errors)
    organisation.save()
    administrator.save()
    membership = Membership(
        user=administrator, organisation=organisation, role=Membership.Role.ADMIN
    )
    membership.full_clean()
    membership.save()
    audit_record(
        actor=by,
        organisation_id=organisation.pk,
        action="organisation.created",
        obj=organisation,
        data={"kind": organisation.kind, "country": organisation.country},
    )
    audit_record(
        actor=by,
        organisation_id=organisation.pk,
        action="membership.created",
        obj=membership,
        data={"user": administrator.pk, "role": membership.role},
    )
    return organisation, administrator
