"""Writes for the feedback and sparring culture (issue 20, item 6): sparring cases (a lost
belief is one kind), their answers, peer feedback on one's practice, supervision groups and
their sessions. Each is keyword-only, atomic, validated, and writes an audit event.

Who may do what:
- any active staff member (not an administrator) asks a colleague, a platform mentor of their
  organisation, or a supervision group they belong to; a named participant must be one the
  asker may read;
- the one asked accepts; the asker, the one asked and the group's members answer; the asker
  and the one asked (for a group, its facilitator) close, with a private note;
- the asker edits the case text while it is not closed (revision checked);
- anyone observes a colleague and writes them feedback; it is the observed person's;
- leaders and platform mentors make supervision groups; the facilitator plans sessions, and
  every member keeps the notes of a session (revision checked).
"""

import datetime
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.audit.services import audit_record
from samspill.core.revisions import check_revision, count_save
from samspill.followup.models import BeliefCheckIn
from samspill.learning.models import (
    PeerFeedback,
    PlatformMentor,
    SparringCase,
    SparringResponse,
    SupervisionGroup,
    SupervisionMember,
    SupervisionSession,
)
from samspill.learning.permissions import is_platform_mentor, staff_membership
from samspill.organisations.models import Membership
from samspill.participants.models import Participant

# A case reference names no one: letters and digits that cannot be mistaken for each other.
REFERENCE_ALPHABET = "ACDEFHJKLMNPRTUVWXY34679"
REFERENCE_LENGTH = 6
MAX_TEXT = 5000
MAX_SESSIONS_PLANNED = 26


def _staff(by: Any) -> Membership:
    """An active staff member who takes part in sparring (administrators keep settings only)."""
    membership = staff_membership(by)
    if membership is None or membership.role == Membership.Role.ADMIN:
        raise PermissionDenied
    return membership


def _is_colleague(user: Any, organisation_id: int) -> bool:
    return (
        Membership.objects.filter(user=user, organisation_id=organisation_id, is_active=True)
        .exclude(role=Membership.Role.ADMIN)
        .exists()
    )


def _text(value: str, field: str, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("Write a few words here.")})
    if len(value) > MAX_TEXT:
        raise ValidationError({field: _("Keep it under 5000 characters.")})
    return value


def new_reference() -> str:
    return "S-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def is_group_member(user: Any, group: SupervisionGroup) -> bool:
    return (
        group.facilitator_id == user.pk
        or SupervisionMember.objects.filter(group=group, user_id=user.pk).exists()
    )


# --- Sparring cases ---------------------------------------------------------------------------


@transaction.atomic
def sparring_case_ask(
    *,
    by: Any,
    audience: str,
    situation: str,
    kind: str = SparringCase.Kind.CASE,
    tried: str = "",
    belief_drop: str = "",
    next_steps: str = "",
    asked: Any = None,
    group: SupervisionGroup | None = None,
    participant: Participant | None = None,
    checkin: BeliefCheckIn | None = None,
    asked_on: datetime.date | None = None,
) -> SparringCase:
    """Ask for sparring about a case. `asked` is the colleague or platform mentor; `group` the
    supervision group. `asked_on` records a request made earlier (an import, the demo's past
    year); it cannot be in the future."""
    membership = _staff(by)
    org_id = membership.organisation_id
    if kind not in SparringCase.Kind.values:
        raise ValidationError({"kind": _("Choose a kind of sparring from the list.")})
    if audience == SparringCase.Audience.GROUP:
        if group is None:
            raise ValidationError({"group": _("Choose a supervision group.")})
        if group.organisation_id != org_id or not is_group_member(by, group):
            raise ValidationError({"group": _("Choose a supervision group you are in.")})
        asked = None
    elif audience in (SparringCase.Audience.COLLEAGUE, SparringCase.Audience.PLATFORM_MENTOR):
        group = None
        if asked is None:
            raise ValidationError({"asked": _("Choose whom to ask.")})
        if asked.pk == by.pk:
            raise ValidationError({"asked": _("Choose a colleague, not yourself.")})
        if not _is_colleague(asked, org_id):
            raise ValidationError({"asked": _("Choose a colleague in your organisation.")})
        if audience == SparringCase.Audience.PLATFORM_MENTOR and not (
            PlatformMentor.objects.filter(organisation_id=org_id, user=asked).exists()
        ):
            raise ValidationError({"asked": _("Choose one of your platform mentors.")})
    else:
        raise ValidationError({"audience": _("Choose whom to ask.")})
    if participant is not None and not (
        Participant.objects.visible_to(by).filter(pk=participant.pk).exists()
    ):
        raise ValidationError({"participant": _("Choose one of the participants you follow.")})
    if kind == SparringCase.Kind.LOST_BELIEF and participant is None:
        raise ValidationError(
            {"participant": _("A lost belief is about a participant: choose one.")}
        )
    if checkin is not None and (participant is None or checkin.participant_id != participant.pk):
        raise ValidationError(_("The check-in belongs to another participant."))
    now = timezone.now()
    if asked_on is not None:
        if asked_on > timezone.localdate():
            raise ValidationError({"asked_on": _("The date cannot be in the future.")})
        if asked_on < timezone.localdate():
            now = timezone.make_aware(datetime.datetime.combine(asked_on, datetime.time(12)))
    case = SparringCase(
        organisation_id=org_id,
        created_at=now,
        kind=kind,
        audience=audience,
        asked_by=by,
        asked=asked,
        group=group,
        participant=participant,
        checkin=checkin,
        situation=_text(situation, "situation", required=True),
        tried=_text(tried, "tried"),
        belief_drop=_text(belief_drop, "belief_drop"),
        next_steps=_text(next_steps, "next_steps"),
    )
    for _attempt in range(5):
        case.reference = new_reference()
        if not SparringCase.objects.filter(reference=case.reference).exists():
            break
    case.full_clean()
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError:  # a reference taken between the check and the insert
        case.reference = new_reference()
        case.save()
    audit_record(
        actor=by,
        organisation_id=org_id,
        action="sparring.requested",
        obj=case,
        participant_id=participant.pk if participant else None,
        data={"kind": kind, "audience": audience, "asked": asked.pk if asked else None},
    )
    return case


def _locked(case: SparringCase) -> SparringCase:
    return (
        SparringCase.objects.select_for_update(of=("self",)).select_related("group").get(pk=case.pk)
    )


@transaction.atomic
def sparring_case_update(
    *,
    case: SparringCase,
    by: Any,
    situation: str,
    tried: str = "",
    belief_drop: str = "",
    next_steps: str = "",
    revision: int | None = None,
) -> SparringCase:
    """The asker rewrites the case (the structured model) while it is not closed."""
    case = _locked(case)
    if case.asked_by_id != by.pk:
        raise PermissionDenied
    check_revision(case, revision)
    if case.status == SparringCase.Status.CLOSED:
        raise ValidationError(_("This sparring is closed."))
    case.situation = _text(situation, "situation", required=True)
    case.tried = _text(tried, "tried")
    case.belief_drop = _text(belief_drop, "belief_drop")
    case.next_steps = _text(next_steps, "next_steps")
    case.full_clean()
    case.save(update_fields=count_save(case, "situation", "tried", "belief_drop", "next_steps"))
    audit_record(
        actor=by,
        organisation_id=case.organisation_id,
        action="sparring.updated",
        obj=case,
        participant_id=case.participant_id,
    )
    return case


@transaction.atomic
def sparring_case_accept(*, case: SparringCase, by: Any) -> SparringCase:
    case = _locked(case)
    if case.asked_id != by.pk:
        raise ValidationError(_("Only the colleague who was asked can accept."))
    if case.status != SparringCase.Status.OPEN:
        raise ValidationError(_("This request is no longer waiting."))
    case.status = SparringCase.Status.ACCEPTED
    case.accepted_at = timezone.now()
    case.save(update_fields=count_save(case, "status", "accepted_at"))
    audit_record(
        actor=by,
        organisation_id=case.organisation_id,
        action="sparring.accepted",
        obj=case,
        participant_id=case.participant_id,
    )
    return case


def may_answer(user: Any, case: SparringCase) -> bool:
    if case.status == SparringCase.Status.CLOSED:
        return False
    if user.pk in (case.asked_by_id, case.asked_id):
        return True
    return case.group is not None and is_group_member(user, case.group)


@transaction.atomic
def sparring_case_answer(*, case: SparringCase, by: Any, text: str) -> SparringResponse:
    """Record an answer. An answer from anyone but the asker makes the case answered."""
    case = _locked(case)
    if case.status == SparringCase.Status.CLOSED:
        raise ValidationError(_("This sparring is closed."))
    if not may_answer(by, case):
        raise PermissionDenied
    response = SparringResponse(case=case, author=by, text=_text(text, "text", required=True))
    response.full_clean()
    response.save()
    if by.pk != case.asked_by_id and case.status != SparringCase.Status.ANSWERED:
        case.status = SparringCase.Status.ANSWERED
        if case.accepted_at is None and case.asked_id == by.pk:
            case.accepted_at = timezone.now()
        case.save(update_fields=count_save(case, "status", "accepted_at"))
    audit_record(
        actor=by,
        organisation_id=case.organisation_id,
        action="sparring.answered",
        obj=case,
        participant_id=case.participant_id,
        data={"response": response.pk},
    )
    return response


def may_close(user: Any, case: SparringCase) -> bool:
    if user.pk in (case.asked_by_id, case.asked_id):
        return True
    return case.group is not None and case.group.facilitator_id == user.pk


@transaction.atomic
def sparring_case_close(*, case: SparringCase, by: Any, private_note: str = "") -> SparringCase:
    case = _locked(case)
    if not may_close(by, case):
        raise ValidationError(_("Only the two colleagues in the sparring can close it."))
    if case.status == SparringCase.Status.CLOSED:
        raise ValidationError(_("This request is already closed."))
    case.status = SparringCase.Status.CLOSED
    case.closed_at = timezone.now()
    case.private_note = _text(private_note, "private_note")
    case.save(update_fields=count_save(case, "status", "closed_at", "private_note"))
    audit_record(
        actor=by,
        organisation_id=case.organisation_id,
        action="sparring.closed",
        obj=case,
        participant_id=case.participant_id,
    )
    return case


# --- Peer feedback ----------------------------------------------------------------------------


@transaction.atomic
def peer_feedback_give(
    *,
    by: Any,
    observed: Any,
    observed_on: datetime.date,
    setting: str,
    went_well: str,
    to_try: str = "",
    question: str = "",
) -> PeerFeedback:
    """`by` observed `observed` at work and writes them feedback; it is theirs to read."""
    membership = _staff(by)
    org_id = membership.organisation_id
    if observed.pk == by.pk:
        raise ValidationError({"observed": _("Choose a colleague, not yourself.")})
    if not _is_colleague(observed, org_id):
        raise ValidationError({"observed": _("Choose a colleague in your organisation.")})
    if observed_on > timezone.localdate():
        raise ValidationError({"observed_on": _("The date cannot be in the future.")})
    feedback = PeerFeedback(
        organisation_id=org_id,
        observed=observed,
        observer=by,
        observed_on=observed_on,
        setting=setting,
        went_well=_text(went_well, "went_well", required=True),
        to_try=_text(to_try, "to_try"),
        question=_text(question, "question"),
    )
    feedback.full_clean()
    feedback.save()
    audit_record(
        actor=by,
        organisation_id=org_id,
        action="learning.peer_feedback_given",
        obj=feedback,
        data={"observed": observed.pk},
    )
    return feedback


@transaction.atomic
def peer_feedback_seen(*, feedback: PeerFeedback, by: Any) -> PeerFeedback:
    """The observed person has read it (the first time counts)."""
    if feedback.observed_id != by.pk:
        raise PermissionDenied
    updated = PeerFeedback.objects.filter(pk=feedback.pk, seen_at__isnull=True).update(
        seen_at=timezone.now()
    )
    if updated:
        feedback.refresh_from_db(fields=["seen_at"])
    return feedback


# --- Supervision groups -----------------------------------------------------------------------


def may_make_groups(user: Any, membership: Membership) -> bool:
    return membership.role == Membership.Role.LEADER or is_platform_mentor(
        user, membership.organisation_id
    )


def _members(users: Iterable[Any], organisation_id: int) -> list[Any]:
    users = list(users)
    for user in users:
        if not _is_colleague(user, organisation_id):
            raise ValidationError({"members": _("Choose members among your colleagues.")})
    return users


@transaction.atomic
def supervision_group_create(
    *,
    by: Any,
    name: str,
    facilitator: Any,
    members: Iterable[Any],
    first_session_at: datetime.datetime,
    every_weeks: int = 4,
    sessions: int = 6,
    place: str = "",
    purpose: str = "",
) -> SupervisionGroup:
    """A supervision group with its members and its first `sessions` meetings planned."""
    membership = _staff(by)
    org_id = membership.organisation_id
    if not may_make_groups(by, membership):
        raise PermissionDenied
    if not _is_colleague(facilitator, org_id):
        raise ValidationError({"facilitator": _("Choose a colleague in your organisation.")})
    if not 1 <= every_weeks <= 12:
        raise ValidationError({"every_weeks": _("Meet every 1 to 12 weeks.")})
    if not 1 <= sessions <= MAX_SESSIONS_PLANNED:
        raise ValidationError({"sessions": _("Plan 1 to 26 sessions at a time.")})
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the group a name.")})
    people = {user.pk: user for user in _members(members, org_id)}
    people[facilitator.pk] = facilitator
    group = SupervisionGroup(
        organisation_id=org_id,
        name=name,
        purpose=_text(purpose, "purpose"),
        facilitator=facilitator,
        every_weeks=every_weeks,
        created_by=by,
    )
    group.full_clean()
    group.save()
    SupervisionMember.objects.bulk_create(
        SupervisionMember(group=group, user_id=pk) for pk in people
    )
    _plan(group, first_session_at, sessions, place)
    audit_record(
        actor=by,
        organisation_id=org_id,
        action="learning.supervision_group_created",
        obj=group,
        data={"members": sorted(people)},
    )
    return group


def _plan(
    group: SupervisionGroup, first: datetime.datetime, count: int, place: str
) -> list[SupervisionSession]:
    step = datetime.timedelta(weeks=group.every_weeks)
    return SupervisionSession.objects.bulk_create(
        SupervisionSession(group=group, starts_at=first + step * i, place=place.strip()[:300])
        for i in range(count)
    )


def may_run_group(user: Any, group: SupervisionGroup) -> bool:
    """The facilitator, or a leader or platform mentor of the group's organisation."""
    if group.facilitator_id == user.pk:
        return True
    membership = staff_membership(user)
    return (
        membership is not None
        and membership.organisation_id == group.organisation_id
        and may_make_groups(user, membership)
    )


@transaction.atomic
def supervision_sessions_plan(
    *, group: SupervisionGroup, by: Any, count: int, place: str = ""
) -> list[SupervisionSession]:
    """Plan `count` more sessions at the group's interval after its last one."""
    if not may_run_group(by, group):
        raise PermissionDenied
    if not 1 <= count <= MAX_SESSIONS_PLANNED:
        raise ValidationError({"count": _("Plan 1 to 26 sessions at a time.")})
    last = group.sessions.order_by("-starts_at").values_list("starts_at", flat=True).first()
    step = datetime.timedelta(weeks=group.every_weeks)
    first = last + step if last else timezone.now() + step
    planned = _plan(group, first, count, place)
    audit_record(
        actor=by,
        organisation_id=group.organisation_id,
        action="learning.supervision_sessions_planned",
        obj=group,
        data={"count": count},
    )
    return planned


@transaction.atomic
def supervision_member_add(*, group: SupervisionGroup, by: Any, user: Any) -> SupervisionMember:
    if not may_run_group(by, group):
        raise PermissionDenied
    _members([user], group.organisation_id)
    member, created = SupervisionMember.objects.get_or_create(group=group, user=user)
    if not created:
        raise ValidationError({"user": _("%(name)s is in the group already.") % {"name": user}})
    audit_record(
        actor=by,
        organisation_id=group.organisation_id,
        action="learning.supervision_member_added",
        obj=group,
        data={"user": user.pk},
    )
    return member


@transaction.atomic
def supervision_notes_save(
    *, session: SupervisionSession, by: Any, notes: str, revision: int | None = None
) -> SupervisionSession:
    """A member writes the session's notes; a colleague's newer save is not overwritten."""
    session = (
        SupervisionSession.objects.select_for_update(of=("self",))
        .select_related("group")
        .get(pk=session.pk)
    )
    if not is_group_member(by, session.group):
        raise PermissionDenied
    check_revision(session, revision)
    session.notes = _text(notes, "notes")
    session.notes_by = by
    session.save(update_fields=count_save(session, "notes", "notes_by"))
    audit_record(
        actor=by,
        organisation_id=session.group.organisation_id,
        action="learning.supervision_notes_saved",
        obj=session,
    )
    return session
