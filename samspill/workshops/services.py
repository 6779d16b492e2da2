"""Every change to a workshop goes through these functions: keyword-only, atomic, validated,
audited. Who may do what is checked here too (permissions.py holds the rules), so the pages
and the API refuse the same things."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samspill.accounts.models import User
from samspill.audit.services import audit_record
from samspill.core.revisions import check_revision, count_save
from samspill.organisations.models import Organisation
from samspill.organisations.queries import membership_for_user, staff_who_follow
from samspill.participants import services as participant_services
from samspill.participants.models import Participant
from samspill.selfservice import services as selfservice_services
from samspill.selfservice.models import CV
from samspill.workshops import permissions
from samspill.workshops.models import Attendance, Enrolment, Workshop, WorkshopSession

DESCRIPTION_MAX = 5000

# The strengths profile the workshop ends in: the participant's own fields.
STRENGTH_FIELDS = ("dreams", "who_i_am", "what_i_can", "want_to_learn", "interests")


def _audit(by: User, workshop: Workshop, action: str, obj: Any, **data: Any) -> None:
    audit_record(
        actor=by,
        organisation_id=workshop.organisation_id,
        action=action,
        obj=obj,
        participant_id=data.pop("participant_id", None),
        data=data,
    )


def _check_facilitator(organisation_id: int, facilitator: User) -> None:
    if not staff_who_follow(organisation_id).filter(user_id=facilitator.pk).exists():
        raise ValidationError(
            {"facilitator": _("This person cannot run workshops in this organisation.")}
        )


@transaction.atomic
def workshop_create(
    *,
    organisation: Organisation,
    by: User,
    name: str,
    facilitator: User,
    starts_on: datetime.date,
    description: str = "",
) -> Workshop:
    membership = membership_for_user(by)
    if membership is None or membership.organisation_id != organisation.pk:
        raise PermissionDenied
    if not membership.follows_participants:
        raise PermissionDenied
    if not name.strip():
        raise ValidationError({"name": _("Give the workshop a name.")})
    if len(description) > DESCRIPTION_MAX:
        raise ValidationError({"description": _("Keep it under 5,000 characters.")})
    _check_facilitator(organisation.pk, facilitator)
    workshop = Workshop.objects.create(
        organisation=organisation,
        name=name.strip(),
        facilitator=facilitator,
        starts_on=starts_on,
        description=description.strip(),
    )
    _audit(by, workshop, "workshop.created", workshop)
    return workshop


@transaction.atomic
def workshop_update(
    *,
    workshop: Workshop,
    by: User,
    revision: int | None,
    name: str,
    facilitator: User,
    starts_on: datetime.date,
    description: str = "",
) -> Workshop:
    """Change a workshop's name, facilitator, start or description. Whoever runs it (the
    facilitator or a leader) may; a save from a stale revision is refused and changes nothing."""
    current = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if not permissions.runs(by, current):
        raise PermissionDenied
    check_revision(current, revision)
    if not name.strip():
        raise ValidationError({"name": _("Give the workshop a name.")})
    if len(description) > DESCRIPTION_MAX:
        raise ValidationError({"description": _("Keep it under 5,000 characters.")})
    _check_facilitator(current.organisation_id, facilitator)
    current.name = name.strip()
    current.facilitator = facilitator
    current.starts_on = starts_on
    current.description = description.strip()
    fields = ["name", "facilitator", "starts_on", "description"]
    current.full_clean(exclude=["organisation"])
    current.save(update_fields=count_save(current, *fields))
    _audit(by, current, "workshop.changed", current)
    return current


@transaction.atomic
def session_add(
    *,
    workshop: Workshop,
    by: User,
    date: datetime.date,
    place: str,
    facilitator: User | None = None,
    topic: str = "",
) -> WorkshopSession:
    if not permissions.runs(by, workshop):
        raise PermissionDenied
    facilitator = facilitator or workshop.facilitator
    _check_facilitator(workshop.organisation_id, facilitator)
    if not place.strip():
        raise ValidationError({"place": _("Say where the session is held.")})
    if date < workshop.starts_on:
        raise ValidationError({"date": _("A session cannot be before the workshop starts.")})
    session = WorkshopSession.objects.create(
        workshop=workshop, date=date, place=place.strip(), facilitator=facilitator, topic=topic
    )
    _audit(by, workshop, "workshop.session_added", session, date=date.isoformat())
    return session


@transaction.atomic
def enrol(*, workshop: Workshop, participant: Participant, by: User) -> Enrolment:
    """Enrol a participant the acting staff member may see, once."""
    if not permissions.sees(by, workshop):
        raise PermissionDenied
    if (
        not Participant.objects.visible_to(by)
        .filter(pk=participant.pk, organisation_id=workshop.organisation_id)
        .exists()
    ):
        raise ValidationError({"participant": _("You cannot enrol this participant.")})
    if Enrolment.objects.filter(workshop=workshop, participant=participant).exists():
        raise ValidationError({"participant": _("The participant is already enrolled.")})
    enrolment = Enrolment.objects.create(workshop=workshop, participant=participant, enrolled_by=by)
    _audit(by, workshop, "workshop.enrolled", enrolment, participant_id=participant.pk)
    return enrolment


@transaction.atomic
def attendance_record(*, session: WorkshopSession, by: User, present: set[int]) -> list[Attendance]:
    """Record who came to the session: `present` holds enrolment ids, everyone else enrolled
    is recorded absent. Recording again replaces the earlier record (safe to repeat)."""
    workshop = session.workshop
    if not permissions.runs(by, workshop):
        raise PermissionDenied
    enrolments = list(Enrolment.objects.filter(workshop=workshop))
    unknown = present - {e.pk for e in enrolments}
    if unknown:
        raise ValidationError(_("Only the workshop's participants can be marked present."))
    rows = []
    for enrolment in enrolments:
        row, _created = Attendance.objects.update_or_create(
            session=session,
            enrolment=enrolment,
            defaults={"present": enrolment.pk in present, "recorded_by": by},
        )
        rows.append(row)
    _audit(by, workshop, "workshop.attendance_recorded", session, present=len(present))
    return rows


def strengths_save(
    *, enrolment: Enrolment, by: User, revision: int | None, **fields: str
) -> Participant:
    """Write the strengths profile the workshop ended in into the participant's own fields,
    through the participants service (stale writes refused there)."""
    if not permissions.may_write_profile(by, enrolment):
        raise PermissionDenied
    unknown = set(fields) - set(STRENGTH_FIELDS)
    if unknown:
        raise TypeError(f"not strengths fields: {sorted(unknown)}")
    return participant_services.participant_update(
        participant=enrolment.participant, by=by, revision=revision, **fields
    )


def cv_save(*, enrolment: Enrolment, by: User, revision: int | None, **fields: str) -> CV:
    """The CV made in the workshop, with the link to the participant's film: the participant's
    self-service CV, through its service."""
    if not permissions.may_write_profile(by, enrolment):
        raise PermissionDenied
    return selfservice_services.cv_save(
        participant=enrolment.participant, by=by, revision=revision, **fields
    )
