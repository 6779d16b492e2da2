"""Writes to placements (STYLE.md 2). The agreement, approvals and schedule come with the
Placements issue; here: placing a participant, and what the workplace writes back."""

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samspill.accounts.models import User
from samspill.audit.services import audit_record
from samspill.employers.models import Employer, EmployerContact
from samspill.participants.models import Participant
from samspill.placements.models import Concern, MentorNote, Placement

TEXT_MAX = 5000


def _audit(by: User, placement: Placement, action: str, obj: Any, **data: Any) -> None:
    audit_record(
        actor=by,
        organisation_id=placement.participant.organisation_id,
        action=action,
        obj=obj,
        participant_id=placement.participant_id,
        data=data,
    )


@transaction.atomic
def placement_create(
    *,
    participant: Participant,
    employer: Employer,
    by: User,
    kind: str,
    title: str,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    tasks: str = "",
    mentor: EmployerContact | None = None,
    next_follow_up_on: datetime.date | None = None,
) -> Placement:
    """Place a participant with an employer (and, if chosen, a mentor there)."""
    if employer.organisation_id != participant.organisation_id:
        raise ValidationError({"employer": _("Choose an employer in your organisation.")})
    if mentor is not None and (mentor.employer_id != employer.pk or not mentor.is_mentor):
        raise ValidationError({"mentor": _("Choose a mentor at this employer.")})
    if end_date is not None and end_date < start_date:
        raise ValidationError({"end_date": _("The end cannot come before the start.")})
    placement = Placement(
        participant=participant,
        employer=employer,
        mentor=mentor,
        kind=kind,
        title=title.strip(),
        tasks=tasks.strip(),
        start_date=start_date,
        end_date=end_date,
        next_follow_up_on=next_follow_up_on,
        created_by=by,
    )
    placement.full_clean()
    placement.save()
    _audit(by, placement, "placement.created", placement, employer=employer.pk, kind=kind)
    return placement


def _clean_text(text: str, field: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError({field: _("Write something first.")})
    if len(text) > TEXT_MAX:
        raise ValidationError({field: _("Keep it under 5,000 characters.")})
    return text


@transaction.atomic
def mentor_note_add(*, placement: Placement, by: User, text: str) -> MentorNote:
    """A note from the workplace; the counselor reads it on the participant's page."""
    note = MentorNote.objects.create(placement=placement, author=by, text=_clean_text(text, "text"))
    _audit(by, placement, "placement.mentor_note_added", note)
    return note


def concern_recipients(placement: Placement) -> list[User]:
    """Who hears of a concern at once: the participant's counselor and the employer's contact
    person (one person when they are the same)."""
    people = [placement.participant.counselor, placement.employer.contact_person]
    unique: dict[int, User] = {p.pk: p for p in people if p is not None and p.is_active}
    return list(unique.values())


@transaction.atomic
def concern_raise(*, placement: Placement, by: User, text: str) -> Concern:
    """ "Something is not going well": stored for the today page, and e-mailed on commit."""
    concern = Concern.objects.create(
        placement=placement, raised_by=by, text=_clean_text(text, "text")
    )
    _audit(by, placement, "placement.concern_raised", concern)
    recipients = [user.email for user in concern_recipients(placement) if user.email]
    transaction.on_commit(lambda: _concern_email(concern, recipients))
    return concern


def _concern_email(concern: Concern, recipients: list[str]) -> None:
    """The e-mail names no participant and quotes nothing: it points to Samspill, where access
    is checked and logged (e-mail is not a safe place for case data)."""
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Samspill: a workplace has flagged a concern")
        body = _(
            "A mentor or employer contact has flagged that something is not going well in a "
            "placement. See your today page: %(url)s"
        ) % {"url": settings.SITE_URL.rstrip("/") + reverse("followup:today")}
    send_mail(subject, body, None, recipients)


@transaction.atomic
def concern_handle(*, concern: Concern, by: User) -> Concern:
    concern = (
        Concern.objects.select_for_update()
        .select_related("placement__participant")
        .get(pk=concern.pk)
    )
    if concern.handled_at is not None:
        raise ValidationError(_("This concern is already handled."))
    concern.handled_at = timezone.now()
    concern.handled_by = by
    concern.save(update_fields=["handled_at", "handled_by"])
    _audit(by, concern.placement, "placement.concern_handled", concern)
    return concern
