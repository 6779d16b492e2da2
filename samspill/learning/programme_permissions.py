"""Who sees and does what in the learning programme (issue 20, item 4).

- Platform mentors and leaders of an organisation run its programmes: they create and change
  programmes, modules and sessions, enrol teams and people, and see every session.
- A session's facilitator (any active staff member) records its attendance and adds material.
- A staff member sees the programmes they are enrolled in (their team, or themselves) and the
  sessions they facilitate, and their own attendance and reflections.
- A reflection is private to its author. Shared with the facilitator, the session's facilitator
  reads it; shared with the leader, the leaders of the author's organisation read it. Nobody
  else ever does, leaders included: a private reflection is a 404 to them.
- Another organisation's programme or session is a 404; portal users get 403 (staff_only).
Every read of another person's attendance or reflections is logged in `StaffRecordRead`.
"""

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from samspill.accounts.models import User
from samspill.learning.models import (
    Programme,
    ProgrammeEnrolment,
    ProgrammeSession,
    Reflection,
    StaffRecordRead,
)
from samspill.learning.permissions import is_platform_mentor, staff_membership
from samspill.organisations.models import Membership


def may_run_programmes(user: Any, membership: Membership | None) -> bool:
    if membership is None:
        return False
    return membership.role == Membership.Role.LEADER or is_platform_mentor(
        user, membership.organisation_id
    )


def _enrolled_q(membership: Membership, prefix: str) -> Q:
    """Programmes (through `prefix`) that enrol this person or their team."""
    by_user = Q(**{f"{prefix}enrolments__user_id": membership.user_id})
    if membership.team_id is None:
        return by_user
    return by_user | Q(**{f"{prefix}enrolments__team_id": membership.team_id})


def programmes_visible_to(user: Any) -> QuerySet[Programme]:
    """The one door to programmes."""
    membership = staff_membership(user)
    if membership is None:
        return Programme.objects.none()
    own = Programme.objects.filter(organisation_id=membership.organisation_id)
    if may_run_programmes(user, membership):
        return own
    enrolled = Programme.objects.filter(_enrolled_q(membership, "")).values("pk")
    facilitated = ProgrammeSession.objects.filter(facilitator_id=user.pk).values(
        "module__programme_id"
    )
    return own.filter(Q(pk__in=enrolled) | Q(pk__in=facilitated))


def sessions_visible_to(user: Any) -> QuerySet[ProgrammeSession]:
    """The one door to sessions: those of the programmes one sees."""
    membership = staff_membership(user)
    if membership is None:
        return ProgrammeSession.objects.none()
    own = ProgrammeSession.objects.filter(
        module__programme__organisation_id=membership.organisation_id
    )
    if may_run_programmes(user, membership):
        return own
    enrolled = Programme.objects.filter(_enrolled_q(membership, "")).values("pk")
    return own.filter(Q(module__programme__in=enrolled) | Q(facilitator_id=user.pk))


def my_sessions(user: Any) -> QuerySet[ProgrammeSession]:
    """The sessions a person takes part in (enrolled) or facilitates: their own calendar."""
    membership = staff_membership(user)
    if membership is None:
        return ProgrammeSession.objects.none()
    enrolled = Programme.objects.filter(
        _enrolled_q(membership, ""), organisation_id=membership.organisation_id
    ).values("pk")
    return ProgrammeSession.objects.filter(
        Q(module__programme__in=enrolled)
        | Q(facilitator_id=user.pk, module__programme__organisation_id=membership.organisation_id)
    )


def may_manage_session(user: Any, session: ProgrammeSession, membership: Membership) -> bool:
    """Attendance and material: the facilitator, or whoever runs the programme."""
    return session.facilitator_id == user.pk or may_run_programmes(user, membership)


def enrolled_users(programme: Programme) -> QuerySet[User]:
    """Everyone the programme enrols now: the active staff of its enrolled teams (whatever their
    profession) and the people enrolled one by one."""
    teams = ProgrammeEnrolment.objects.filter(programme=programme, team__isnull=False).values(
        "team_id"
    )
    people = ProgrammeEnrolment.objects.filter(programme=programme, user__isnull=False).values(
        "user_id"
    )
    active = Membership.objects.filter(
        user_id=OuterRef("pk"), organisation_id=programme.organisation_id, is_active=True
    )
    in_team = active.filter(team_id__in=teams)
    return (
        User.objects.filter(Exists(active))
        .filter(Q(Exists(in_team)) | Q(pk__in=people))
        .order_by("full_name", "pk")
    )


def is_enrolled(user: Any, programme: Programme) -> bool:
    return enrolled_users(programme).filter(pk=user.pk).exists()


def reflections_visible_to(user: Any) -> QuerySet[Reflection]:
    """Own reflections; those shared with the facilitator of one's sessions; for a leader,
    those shared with the leader in their organisation. Never a private one of somebody else."""
    membership = staff_membership(user)
    if membership is None:
        return Reflection.objects.none()
    org = Q(session__module__programme__organisation_id=membership.organisation_id)
    visible = Q(author_id=user.pk) | Q(shared_with_facilitator=True, session__facilitator=user)
    if membership.role == Membership.Role.LEADER:
        visible |= Q(shared_with_leader=True)
    return Reflection.objects.filter(org & visible)


def log_reads(*, reader: Any, organisation_id: int, subjects: Any, what: str) -> None:
    """A read of other people's learning records (attendance, reflections), one row each."""
    StaffRecordRead.objects.bulk_create(
        StaffRecordRead(
            reader=reader, subject_id=subject, organisation_id=organisation_id, what=what
        )
        for subject in sorted(set(subjects))
        if subject != reader.pk
    )
