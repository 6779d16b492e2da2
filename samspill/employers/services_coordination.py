"""Writes for coordinator meetings and employer events (models_coordination; STYLE.md 2).

Keyword-only, one transaction, an audit event naming the acting user; shared objects carry a
revision and a stale write is refused. The invitation e-mail goes through the outbox, written
in the same transaction (sent once it commits, never for a change that rolled back).
"""

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from samspill.accounts.models import User
from samspill.audit.services import audit_record
from samspill.core.revisions import check_revision, count_save
from samspill.employers.models import Employer, EmployerContact
from samspill.employers.models_coordination import (
    CoordinationMeeting,
    EmployerEvent,
    EventInvitation,
    MeetingAction,
    MeetingAttendance,
    MeetingSeries,
)
from samspill.organisations.models import Organisation
from samspill.organisations.queries import staff_who_follow
from samspill.outbox.services import outbox_put

SERIES_FIELDS = (
    "title",
    "weekday",
    "interval_weeks",
    "starts_on",
    "start_time",
    "duration_minutes",
    "place",
    "video_url",
    "guests",
    "is_active",
)
EVENT_FIELDS = ("title", "held_on", "start_time", "place", "description")
MAX_TEXT = 10000
MAX_INVITES = 100


def _audit(by: User, organisation_id: int, action: str, obj: Any, **data: Any) -> None:
    audit_record(actor=by, organisation_id=organisation_id, action=action, obj=obj, data=data)


def _staff(organisation_id: int, user_ids: list[int], field: str) -> list[User]:
    """Users who are active staff of the organisation and work with participants; any other
    id (another organisation's user, an administrator) reads as a wrong choice."""
    ids = set(user_ids)
    users = list(
        User.objects.filter(
            pk__in=staff_who_follow(organisation_id).filter(user_id__in=ids).values("user_id")
        )
    )
    if len(users) != len(ids):
        raise ValidationError({field: _("Choose colleagues in your organisation.")})
    return users


def _apply(obj: Any, allowed: tuple[str, ...], fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(obj, name, value.strip() if isinstance(value, str) else value)


def _validate_series(series: MeetingSeries) -> None:
    series.full_clean(exclude=["organisation", "created_by"], validate_constraints=False)
    if not 1 <= series.interval_weeks <= 8:
        raise ValidationError({"interval_weeks": _("Between every week and every eighth week.")})
    if not 15 <= series.duration_minutes <= 480:
        raise ValidationError({"duration_minutes": _("Between 15 minutes and 8 hours.")})
    if series.starts_on.weekday() != series.weekday:
        raise ValidationError(
            {"starts_on": _("The first meeting must fall on the weekday of the series.")}
        )


# Meeting series.


@transaction.atomic
def series_create(
    *, organisation: Organisation, by: User, member_ids: list[int], **fields: Any
) -> MeetingSeries:
    """Start a fixed meeting series with its members (staff of the organisation)."""
    series = MeetingSeries(organisation=organisation, created_by=by)
    _apply(series, SERIES_FIELDS, fields)
    _validate_series(series)
    members = _staff(organisation.pk, member_ids, "members")
    if not members:
        raise ValidationError({"members": _("Choose at least one member.")})
    series.save()
    series.members.set(members)
    _audit(by, organisation.pk, "coordination.series_created", series, members=len(members))
    return series


@transaction.atomic
def series_update(
    *,
    series: MeetingSeries,
    by: User,
    member_ids: list[int] | None = None,
    revision: int | None = None,
    **fields: Any,
) -> MeetingSeries:
    series = MeetingSeries.objects.select_for_update().get(pk=series.pk)
    check_revision(series, revision)
    _apply(series, SERIES_FIELDS, fields)
    _validate_series(series)
    if member_ids is not None:
        members = _staff(series.organisation_id, member_ids, "members")
        if not members:
            raise ValidationError({"members": _("Choose at least one member.")})
        series.members.set(members)
    count_save(series)
    series.save()
    _audit(by, series.organisation_id, "coordination.series_updated", series, fields=sorted(fields))
    return series


def occurrences(series: MeetingSeries, *, after: datetime.date, count: int) -> list[datetime.date]:
    """The series' next `count` dates on or after `after`."""
    step = datetime.timedelta(weeks=series.interval_weeks)
    day = series.starts_on
    if after > day:
        periods = (after - day).days // step.days
        day += step * periods
        if day < after:
            day += step
    return [day + step * i for i in range(count)]


@transaction.atomic
def meeting_create(
    *, series: MeetingSeries, by: User, held_on: datetime.date
) -> CoordinationMeeting:
    """Open an occurrence of the series (its minutes and attendance are recorded on it)."""
    if held_on < series.starts_on:
        raise ValidationError({"held_on": _("The series starts later than this date.")})
    if held_on > timezone.localdate() + datetime.timedelta(days=365):
        raise ValidationError({"held_on": _("The date is more than a year ahead.")})
    meeting = CoordinationMeeting(series=series, held_on=held_on, created_by=by)
    if CoordinationMeeting.objects.filter(series=series, held_on=held_on).exists():
        raise ValidationError({"held_on": _("This series already has a meeting on that date.")})
    meeting.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            meeting.save()
    except IntegrityError:
        raise ValidationError(
            {"held_on": _("This series already has a meeting on that date.")}
        ) from None
    _audit(by, series.organisation_id, "coordination.meeting_created", meeting, series=series.pk)
    return meeting


@transaction.atomic
def meeting_record(
    *,
    meeting: CoordinationMeeting,
    by: User,
    minutes: str,
    attendance: dict[int, str],
    revision: int | None = None,
) -> CoordinationMeeting:
    """Record the minutes and who came (member id -> status); a stale save is refused."""
    meeting = (
        CoordinationMeeting.objects.select_for_update().select_related("series").get(pk=meeting.pk)
    )
    check_revision(meeting, revision)
    minutes = minutes.strip()
    if len(minutes) > MAX_TEXT:
        raise ValidationError({"minutes": _("Keep the minutes under 10000 characters.")})
    if attendance and meeting.held_on > timezone.localdate():
        raise ValidationError(_("Record attendance once the meeting has been held."))
    members = set(meeting.series.members.values_list("pk", flat=True))
    if set(attendance) - members:
        raise ValidationError(_("Only the members of the series can be recorded as attending."))
    if set(attendance.values()) - set(MeetingAttendance.Status.values):
        raise ValidationError(_("Choose present, absent or sent apologies."))
    meeting.minutes = minutes
    meeting.save(update_fields=count_save(meeting, "minutes", "updated_at"))
    MeetingAttendance.objects.filter(meeting=meeting).exclude(user_id__in=attendance).delete()
    existing = {a.user_id: a for a in MeetingAttendance.objects.filter(meeting=meeting)}
    for user_id, status in attendance.items():
        row = existing.get(user_id)
        if row is None:
            MeetingAttendance.objects.create(meeting=meeting, user_id=user_id, status=status)
        elif row.status != status:
            row.status = status
            row.save(update_fields=["status"])
    _audit(
        by,
        meeting.series.organisation_id,
        "coordination.meeting_recorded",
        meeting,
        present=sum(1 for s in attendance.values() if s == MeetingAttendance.Status.PRESENT),
    )
    return meeting


@transaction.atomic
def action_add(
    *,
    meeting: CoordinationMeeting,
    by: User,
    what: str,
    responsible: User,
    due_on: datetime.date | None = None,
    employer: Employer | None = None,
) -> MeetingAction:
    """Agree an action at a meeting: what, who answers for it (a member), by when."""
    series = meeting.series
    if not series.members.filter(pk=responsible.pk).exists():
        raise ValidationError({"responsible": _("Choose a member of the series as responsible.")})
    if employer is not None and employer.organisation_id != series.organisation_id:
        raise ValidationError({"employer": _("Choose one of your organisation's employers.")})
    if due_on is not None and due_on < meeting.held_on:
        raise ValidationError({"due_on": _("The due date cannot come before the meeting.")})
    action = MeetingAction(
        series=series,
        meeting=meeting,
        what=what.strip(),
        responsible=responsible,
        due_on=due_on,
        employer=employer,
        created_by=by,
    )
    action.full_clean()
    action.save()
    _audit(
        by,
        series.organisation_id,
        "coordination.action_agreed",
        action,
        responsible=responsible.pk,
        employer=employer.pk if employer else None,
    )
    return action


@transaction.atomic
def action_set_done(
    *, action: MeetingAction, by: User, done: bool, revision: int | None = None
) -> MeetingAction:
    """Mark an agreed action done (or open again)."""
    action = MeetingAction.objects.select_for_update().select_related("series").get(pk=action.pk)
    check_revision(action, revision)
    if action.is_done == done:
        return action
    action.done_at = timezone.now() if done else None
    action.save(update_fields=count_save(action, "done_at"))
    _audit(by, action.series.organisation_id, "coordination.action_done", action, done=done)
    return action


# Employer events.


def _validate_event(event: EmployerEvent) -> None:
    event.full_clean(exclude=["organisation", "created_by"])
    if event.held_on > timezone.localdate() + datetime.timedelta(days=730):
        raise ValidationError({"held_on": _("The date is more than two years ahead.")})


@transaction.atomic
def event_create(*, organisation: Organisation, by: User, **fields: Any) -> EmployerEvent:
    """Plan an event for several employers (a business breakfast)."""
    event = EmployerEvent(organisation=organisation, created_by=by)
    _apply(event, EVENT_FIELDS, fields)
    _validate_event(event)
    event.save()
    _audit(by, organisation.pk, "coordination.event_created", event)
    return event


@transaction.atomic
def event_update(
    *, event: EmployerEvent, by: User, revision: int | None = None, **fields: Any
) -> EmployerEvent:
    event = EmployerEvent.objects.select_for_update().get(pk=event.pk)
    check_revision(event, revision)
    _apply(event, EVENT_FIELDS, fields)
    _validate_event(event)
    count_save(event)
    event.save()
    _audit(by, event.organisation_id, "coordination.event_updated", event, fields=sorted(fields))
    return event


def _invitee(employer: Employer) -> EmployerContact | None:
    """Who receives the invitation: an active contact with an e-mail, not a mentor first."""
    return (
        employer.contacts.filter(is_active=True)
        .exclude(email="")
        .order_by("is_mentor", "name", "id")
        .first()
    )


def _invitation_mail(event: EmployerEvent, employer: Employer, contact: EmployerContact) -> None:
    danish = event.organisation.country == Organisation.Country.DENMARK
    with override("da" if danish else settings.LANGUAGE_CODE):
        subject = _("Invitation: %(title)s") % {"title": event.title}
        when = event.held_on.strftime("%d.%m.%Y")
        if event.start_time:
            when += " " + event.start_time.strftime("%H:%M")
        lines = [
            _("Hello %(name)s,") % {"name": contact.name},
            "",
            _("%(organisation)s invites %(employer)s to %(title)s.")
            % {
                "organisation": event.organisation.name,
                "employer": employer.name,
                "title": event.title,
            },
            _("When: %(when)s") % {"when": when},
        ]
        if event.place:
            lines.append(_("Where: %(place)s") % {"place": event.place})
        if event.description:
            lines += ["", event.description]
        lines += ["", _("Please answer your contact person with us whether you are coming.")]
        if employer.contact_person is not None:
            person = employer.contact_person
            lines.append(" ".join(p for p in (person.full_name, person.email, person.phone) if p))
    outbox_put(to=[contact.email], subject=subject, body="\n".join(lines))


@transaction.atomic
def event_invite(
    *, event: EmployerEvent, by: User, employer_ids: list[int]
) -> list[EventInvitation]:
    """Invite employers of the organisation; each gets an e-mail to its contact (after commit).
    An employer already invited is left as it is."""
    ids = set(employer_ids)
    if not ids:
        raise ValidationError({"employers": _("Choose at least one employer.")})
    if len(ids) > MAX_INVITES:
        raise ValidationError({"employers": _("Invite at most 100 employers at a time.")})
    employers = list(
        Employer.objects.filter(organisation_id=event.organisation_id, pk__in=ids)
        .select_related("contact_person")
        .order_by("name", "id")
    )
    if len(employers) != len(ids):
        raise ValidationError({"employers": _("Choose your organisation's employers.")})
    event = EmployerEvent.objects.select_related("organisation").get(pk=event.pk)
    already = set(event.invitations.values_list("employer_id", flat=True))
    now = timezone.now()
    invited = []
    for employer in employers:
        if employer.pk in already:
            continue
        contact = _invitee(employer)
        invitation = EventInvitation.objects.create(
            event=event,
            employer=employer,
            contact=contact,
            invited_at=now,
            emailed=contact is not None,
        )
        if contact is not None:
            _invitation_mail(event, employer, contact)
        invited.append(invitation)
    _audit(
        by,
        event.organisation_id,
        "coordination.employers_invited",
        event,
        employers=[i.employer_id for i in invited],
    )
    return invited


@transaction.atomic
def invitation_record(
    *,
    invitation: EventInvitation,
    by: User,
    response: str,
    attended: bool | None,
    revision: int | None = None,
) -> EventInvitation:
    """Record the employer's answer and, once the event is held, whether they came."""
    invitation = (
        EventInvitation.objects.select_for_update().select_related("event").get(pk=invitation.pk)
    )
    check_revision(invitation, revision)
    if response not in EventInvitation.Response.values:
        raise ValidationError({"response": _("Choose an answer.")})
    if attended is not None and invitation.event.held_on > timezone.localdate():
        raise ValidationError({"attended": _("Record who came once the event has been held.")})
    invitation.response = response
    invitation.attended = attended
    invitation.save(update_fields=count_save(invitation, "response", "attended"))
    _audit(
        by,
        invitation.event.organisation_id,
        "coordination.invitation_recorded",
        invitation,
        response=response,
        attended=attended,
    )
    return invitation
