"""Services for apprenticeship offices (opplæringskontor): register one with its contact person,
edit it (a stale edit is refused), and record which of the organisation's employers are
members. Only staff who follow participants in the organisation may; an office or employer of
another organisation is refused and nothing changes."""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samspill.audit.services import audit_record
from samspill.core.revisions import check_revision, count_save
from samspill.employers.apprenticeship_models import ApprenticeshipOffice
from samspill.employers.models import Employer
from samspill.organisations.models import Organisation
from samspill.organisations.queries import membership_for_user

FIELDS = ("name", "contact_name", "contact_email", "contact_phone", "notes")


def _require_staff(by: Any, organisation_id: int) -> None:
    membership = membership_for_user(by)
    if (
        membership is None
        or membership.organisation_id != organisation_id
        or not membership.follows_participants
    ):
        raise PermissionDenied


def _clean(fields: dict[str, Any]) -> dict[str, str]:
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s") % {"names": ", ".join(unknown)})
    clean = {name: str(value or "").strip() for name, value in fields.items()}
    for required in ("name", "contact_name"):
        if required in clean and not clean[required]:
            raise ValidationError({required: _("This field is required.")})
    return clean


def _members(organisation_id: int, member_ids: list[int]) -> list[Employer]:
    members = list(Employer.objects.filter(pk__in=member_ids, organisation_id=organisation_id))
    if len(members) != len(set(member_ids)):
        raise ValidationError({"members": _("Choose employers in your organisation.")})
    return members


@transaction.atomic
def office_create(
    *, organisation: Organisation, by: Any, member_ids: Sequence[int] = (), **fields: Any
) -> ApprenticeshipOffice:
    _require_staff(by, organisation.pk)
    clean = _clean({"name": "", "contact_name": "", **fields})
    members = _members(organisation.pk, list(member_ids))
    office = ApprenticeshipOffice(organisation=organisation, **clean)
    office.full_clean(exclude=["organisation", "members"])
    count_save(office)
    office.save()
    office.members.set(members)
    _audit(by, office, "employers.office_created")
    return office


@transaction.atomic
def office_update(
    *,
    office: ApprenticeshipOffice,
    by: Any,
    revision: int | None,
    member_ids: list[int] | None = None,
    **fields: Any,
) -> ApprenticeshipOffice:
    _require_staff(by, office.organisation_id)
    clean = _clean(fields)
    members = None if member_ids is None else _members(office.organisation_id, member_ids)
    current = ApprenticeshipOffice.objects.select_for_update().get(pk=office.pk)
    check_revision(current, revision)
    for name, value in clean.items():
        setattr(current, name, value)
    current.full_clean(exclude=["organisation", "members"])
    current.save(update_fields=count_save(current, *clean))
    if members is not None:
        current.members.set(members)
    _audit(by, current, "employers.office_changed", fields=sorted(clean))
    return current


def _audit(by: Any, office: ApprenticeshipOffice, action: str, **data: Any) -> None:
    audit_record(
        actor=by, organisation_id=office.organisation_id, action=action, obj=office, data=data
    )
