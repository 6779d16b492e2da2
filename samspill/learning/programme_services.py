"""Writes of the learning programme: each in one transaction, with an audit row; programme and
session edits carry a revision, so a colleague's save is never silently overwritten."""

import datetime
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.audit.services import audit_record
from samspill.core.revisions import check_revision, count_save
from samspill.learning.models import (
    Method,
    Programme,
    ProgrammeEnrolment,
    ProgrammeModule,
    ProgrammeSession,
    Reflection,
    SessionAttendance,
    SessionCalendar,
    SessionMaterial,
)
from samspill.learning.permissions import methods_visible_to, staff_membership
from samspill.learning.programme_permissions import (
    enrolled_users,
    may_manage_session,
    may_run_programmes,
)
from samspill.organisations.models import Membership, Team

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_SESSION = datetime.timedelta(hours=12)
# How far ahead a look-back may be set.
MAX_LOOK_BACK = datetime.timedelta(days=366)


def _membership(by: Any) -> Membership:
    membership = staff_membership(by)
    if membership is None:
        raise PermissionDenied
    return membership


def _require_runner(by: Any, organisation_id: int) -> Membership:
    membership = _membership(by)
    if membership.organisation_id != organisation_id or not may_run_programmes(by, membership):
        raise PermissionDenied
    return membership


def _org_of(session: ProgrammeSession) -> int:
    return int(
        ProgrammeModule.objects.filter(pk=session.module_id)
        .values_list("programme__organisation_id", flat=True)
        .get()
    )


# --- Programmes and modules ----------------------------------------------------------------


@transaction.atomic
def programme_create(*, by: Any, title: str, description: str = "") -> Programme:
    membership = _membership(by)
    _require_runner(by, membership.organisation_id)
    programme = Programme(
        organisation_id=membership.organisation_id,
        title=title.strip(),
        description=description,
        created_by=by,
    )
    programme.full_clean()
    programme.save()
    audit_record(
        actor=by,
        organisation_id=programme.organisation_id,
        action="learning.programme_created",
        obj=programme,
    )
    return programme


@transaction.atomic
def programme_update(
    *, programme: Programme, by: Any, revision: int | None = None, **fields: Any
) -> Programme:
    _require_runner(by, programme.organisation_id)
    current = Programme.objects.select_for_update().get(pk=programme.pk)
    check_revision(current, revision)
    for field, value in fields.items():
        setattr(current, field, value.strip() if field == "title" else value)
    current.full_clean()
    current.save(update_fields=count_save(current, *fields))
    audit_record(
        actor=by,
        organisation_id=current.organisation_id,
        action="learning.programme_updated",
        obj=current,
        data={"fields": sorted(fields)},
    )
    return current


@transaction.atomic
def module_add(
    *, programme: Programme, by: Any, title: str, description: str = ""
) -> ProgrammeModule:
    _require_runner(by, programme.organisation_id)
    locked = Programme.objects.select_for_update().get(pk=programme.pk)
    last = locked.modules.aggregate(last=Max("number"))["last"] or 0
    module = ProgrammeModule(
        programme=locked, number=last + 1, title=title.strip(), description=description
    )
    module.full_clean()
    module.save()
    audit_record(
        actor=by,
        organisation_id=locked.organisation_id,
        action="learning.module_added",
        obj=locked,
        data={"module": module.pk},
    )
    return module


@transaction.atomic
def enrolment_add(
    *, programme: Programme, by: Any, teams: Iterable[Team] = (), users: Iterable[Any] = ()
) -> int:
    """Enrol whole teams and single staff members of the programme's organisation; those
    enrolled already are left as they are. Returns how many enrolments are new."""
    _require_runner(by, programme.organisation_id)
    teams, users = list(teams), list(users)
    if not teams and not users:
        raise ValidationError(_("Choose a team or a staff member to enrol."))
    if any(team.organisation_id != programme.organisation_id for team in teams):
        raise ValidationError({"teams": _("Choose teams of your own organisation.")})
    staff = set(
        Membership.objects.filter(
            organisation_id=programme.organisation_id,
            is_active=True,
            user_id__in=[u.pk for u in users],
        ).values_list("user_id", flat=True)
    )
    if any(user.pk not in staff for user in users):
        raise ValidationError({"users": _("Choose active staff of your own organisation.")})
    have_teams = set(programme.enrolments.values_list("team_id", flat=True))
    have_users = set(programme.enrolments.values_list("user_id", flat=True))
    new = [
        ProgrammeEnrolment(programme=programme, team=team, enrolled_by=by)
        for team in teams
        if team.pk not in have_teams
    ] + [
        ProgrammeEnrolment(programme=programme, user=user, enrolled_by=by)
        for user in users
        if user.pk not in have_users
    ]
    ProgrammeEnrolment.objects.bulk_create(new)
    audit_record(
        actor=by,
        organisation_id=programme.organisation_id,
        action="learning.programme_enrolled",
        obj=programme,
        data={"teams": [t.pk for t in teams], "users": [u.pk for u in users]},
    )
    return len(new)


@transaction.atomic
def enrolment_remove(*, enrolment: ProgrammeEnrolment, by: Any) -> None:
    programme = enrolment.programme
    _require_runner(by, programme.organisation_id)
    audit_record(
        actor=by,
        organisation_id=programme.organisation_id,
        action="learning.programme_unenrolled",
        obj=programme,
        data={"team": enrolment.team_id, "user": enrolment.user_id},
    )
    enrolment.delete()


# --- Sessions ------------------------------------------------------------------------------


def _check_session(
    *,
    organisation_id: int,
    by: Any,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str,
    video_url: str,
    facilitator: Any,
    methods: Iterable[Method],
) -> None:
    """Every problem at once, in plain words."""
    errors: dict[str, str] = {}
    if ends_at <= starts_at:
        errors["ends_at"] = _("The session must end after it starts.")
    elif ends_at - starts_at > MAX_SESSION:
        errors["ends_at"] = _("A session lasts at most 12 hours.")
    if not place.strip() and not video_url.strip():
        errors["place"] = _("Give a place or a video link.")
    if not Membership.objects.filter(
        user_id=facilitator.pk, organisation_id=organisation_id, is_active=True
    ).exists():
        errors["facilitator"] = _("The facilitator must be active staff in your organisation.")
    allowed = set(methods_visible_to(by).values_list("pk", flat=True))
    if any(method.pk not in allowed for method in methods):
        errors["methods"] = _("Choose methods from your library.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def session_add(
    *,
    module: ProgrammeModule,
    by: Any,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    facilitator: Any,
    place: str = "",
    video_url: str = "",
    description: str = "",
    methods: Iterable[Method] = (),
) -> ProgrammeSession:
    organisation_id = module.programme.organisation_id
    _require_runner(by, organisation_id)
    methods = list(methods)
    _check_session(
        organisation_id=organisation_id,
        by=by,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        video_url=video_url,
        facilitator=facilitator,
        methods=methods,
    )
    session = ProgrammeSession(
        module=module,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        video_url=video_url.strip(),
        facilitator=facilitator,
        description=description,
    )
    session.full_clean()
    session.save()
    session.methods.set(methods)
    audit_record(
        actor=by,
        organisation_id=organisation_id,
        action="learning.session_added",
        obj=session,
    )
    return session


@transaction.atomic
def session_update(
    *,
    session: ProgrammeSession,
    by: Any,
    revision: int | None = None,
    methods: Iterable[Method] | None = None,
    **fields: Any,
) -> ProgrammeSession:
    """Change a session; a stale form (a colleague saved in between) is refused."""
    organisation_id = _org_of(session)
    _require_runner(by, organisation_id)
    current = ProgrammeSession.objects.select_for_update().get(pk=session.pk)
    check_revision(current, revision)
    for field, value in fields.items():
        setattr(current, field, value.strip() if isinstance(value, str) else value)
    chosen = list(methods) if methods is not None else list(current.methods.all())
    _check_session(
        organisation_id=organisation_id,
        by=by,
        starts_at=current.starts_at,
        ends_at=current.ends_at,
        place=current.place,
        video_url=current.video_url,
        facilitator=current.facilitator,
        methods=chosen if methods is not None else [],
    )
    current.full_clean()
    current.save(update_fields=count_save(current, *fields))
    if methods is not None:
        current.methods.set(chosen)
    audit_record(
        actor=by,
        organisation_id=organisation_id,
        action="learning.session_updated",
        obj=current,
        data={"fields": sorted(fields)},
    )
    return current


@transaction.atomic
def material_add(
    *, session: ProgrammeSession, by: Any, name: str, file: UploadedFile
) -> SessionMaterial:
    organisation_id = _org_of(session)
    membership = _membership(by)
    if membership.organisation_id != organisation_id or not may_manage_session(
        by, session, membership
    ):
        raise PermissionDenied
    if file.size is not None and file.size > MAX_FILE_BYTES:
        raise ValidationError({"file": _("The file is larger than 10 MB.")})
    material = SessionMaterial.objects.create(
        session=session, name=name.strip() or file.name or "", file=file, uploaded_by=by
    )
    audit_record(
        actor=by,
        organisation_id=organisation_id,
        action="learning.material_added",
        obj=session,
        data={"material": material.pk},
    )
    return material


@transaction.atomic
def attendance_record(*, session: ProgrammeSession, by: Any, present: Iterable[int]) -> int:
    """Who was there: everyone enrolled is recorded, present or not. Only once the session has
    started, and only for people the programme enrols. Returns how many were present."""
    organisation_id = _org_of(session)
    membership = _membership(by)
    if membership.organisation_id != organisation_id or not may_manage_session(
        by, session, membership
    ):
        raise PermissionDenied
    if session.starts_at > timezone.now():
        raise ValidationError(_("Attendance can be recorded once the session has started."))
    present = set(present)
    enrolled = set(enrolled_users(session.module.programme).values_list("pk", flat=True))
    if present - enrolled:
        raise ValidationError(_("Only people enrolled in the programme can be recorded."))
    for user_id in sorted(enrolled):
        SessionAttendance.objects.update_or_create(
            session=session,
            user_id=user_id,
            defaults={"present": user_id in present, "recorded_by": by},
        )
    audit_record(
        actor=by,
        organisation_id=organisation_id,
        action="learning.attendance_recorded",
        obj=session,
        data={"present": len(present), "enrolled": len(enrolled)},
    )
    return len(present)


# --- Reflections ---------------------------------------------------------------------------


def _check_look_back(look_back_on: datetime.date) -> None:
    today = timezone.localdate()
    if look_back_on < today:
        raise ValidationError({"look_back_on": _("Choose a look-back day from today.")})
    if look_back_on > today + MAX_LOOK_BACK:
        raise ValidationError({"look_back_on": _("Choose a look-back day within a year.")})


@transaction.atomic
def reflection_write(
    *,
    session: ProgrammeSession,
    by: Any,
    learned: str,
    will_try: str,
    look_back_on: datetime.date,
    shared_with_facilitator: bool = False,
    shared_with_leader: bool = False,
    revision: int | None = None,
) -> Reflection:
    """The attendee's own reflection after the session: written once, changed by its author
    (a stale form is refused). Only someone recorded as present writes one."""
    organisation_id = _org_of(session)
    membership = _membership(by)
    if membership.organisation_id != organisation_id:
        raise PermissionDenied
    if not SessionAttendance.objects.filter(session=session, user=by, present=True).exists():
        raise ValidationError(
            _("You can write a reflection once the facilitator has recorded you as present.")
        )
    content = {
        "learned": learned.strip(),
        "will_try": will_try.strip(),
        "look_back_on": look_back_on,
        "shared_with_facilitator": shared_with_facilitator,
        "shared_with_leader": shared_with_leader,
    }
    current = Reflection.objects.select_for_update().filter(session=session, author=by).first()
    if current is None:
        _check_look_back(look_back_on)
        reflection = Reflection(session=session, author=by, **content)
        reflection.full_clean()
        reflection.save()
        action = "learning.reflection_written"
    else:
        check_revision(current, revision)
        if look_back_on != current.look_back_on:
            _check_look_back(look_back_on)
        for field, value in content.items():
            setattr(current, field, value)
        current.full_clean()
        current.save(update_fields=count_save(current, *content))
        reflection = current
        action = "learning.reflection_changed"
    # The audit row names the sharing, never the text: the reflection is the author's.
    audit_record(
        actor=by,
        organisation_id=organisation_id,
        action=action,
        obj=reflection,
        data={"facilitator": shared_with_facilitator, "leader": shared_with_leader},
    )
    return reflection


@transaction.atomic
def reflection_look_back(*, reflection: Reflection, by: Any, note: str = "") -> Reflection:
    """The author looks back on what they tried; the look-back reminder stops."""
    if reflection.author_id != by.pk:
        raise PermissionDenied
    current = Reflection.objects.select_for_update().get(pk=reflection.pk)
    current.looked_back_at = timezone.now()
    current.look_back_note = note.strip()
    current.save(update_fields=count_save(current, "looked_back_at", "look_back_note"))
    audit_record(
        actor=by,
        organisation_id=_org_of(current.session),
        action="learning.reflection_looked_back",
        obj=current,
    )
    return current


# --- Calendar addresses --------------------------------------------------------------------


@transaction.atomic
def session_calendar_create(*, by: Any) -> SessionCalendar:
    membership = _membership(by)
    calendar = SessionCalendar.objects.create(
        organisation_id=membership.organisation_id, owner=by, token=secrets.token_urlsafe(32)
    )
    audit_record(
        actor=by,
        organisation_id=membership.organisation_id,
        action="learning.session_calendar_created",
        obj=calendar,
    )
    return calendar


@transaction.atomic
def session_calendar_revoke(*, calendar: SessionCalendar, by: Any) -> None:
    if calendar.owner_id != by.pk:
        raise PermissionDenied
    if calendar.revoked_at is None:
        calendar.revoked_at = timezone.now()
        calendar.save(update_fields=["revoked_at"])
        audit_record(
            actor=by,
            organisation_id=calendar.organisation_id,
            action="learning.session_calendar_revoked",
            obj=calendar,
        )
