"""Reads for coordinator meetings and employer events. Every function starts from the one door
(`MeetingSeries.objects.visible_to(user)`, `EmployerEvent.objects.visible_to(user)`)."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from samspill.employers.models import Employer
from samspill.employers.models_coordination import (
    CoordinationMeeting,
    EmployerEvent,
    EmployerStageChange,
    EventInvitation,
    MeetingAction,
    MeetingSeries,
)
from samspill.organisations.models import Membership

# How far after an event a move in the pipeline counts as "afterwards".
MOVED_WITHIN_DAYS = 90
# The pipeline's order; a pause is where an employer starts again from.
STAGE_RANK: dict[str, int] = {
    Employer.Stage.PROSPECT: 0,
    Employer.Stage.PAUSED: 0,
    Employer.Stage.FIRST_MEETING: 1,
    Employer.Stage.INTENTION_AGREEMENT: 2,
    Employer.Stage.ACTIVE_PARTNER: 3,
}


def series_list(user: Any) -> QuerySet[MeetingSeries]:
    return (
        MeetingSeries.objects.visible_to(user)
        .annotate(
            open_actions=Count("actions", filter=Q(actions__done_at__isnull=True), distinct=True),
            member_count=Count("members", distinct=True),
        )
        .order_by("-is_active", "title", "id")
    )


def series_detail(user: Any, pk: int) -> MeetingSeries | None:
    return (
        MeetingSeries.objects.visible_to(user)
        .select_related("organisation")
        .prefetch_related("members")
        .filter(pk=pk)
        .first()
    )


def meetings_of(series: MeetingSeries) -> QuerySet[CoordinationMeeting]:
    return series.meetings.annotate(
        present=Count("attendance", filter=Q(attendance__status="present"), distinct=True),
        agreed=Count("actions", distinct=True),
    ).order_by("-held_on", "-id")


def _actions() -> QuerySet[MeetingAction]:
    return MeetingAction.objects.select_related("responsible", "employer", "meeting")


def open_actions(series: MeetingSeries) -> QuerySet[MeetingAction]:
    return _actions().filter(series=series, done_at__isnull=True).order_by("due_on", "id")


def meeting_detail(series: MeetingSeries, pk: int) -> CoordinationMeeting | None:
    return series.meetings.filter(pk=pk).first()


def carried_actions(meeting: CoordinationMeeting) -> list[MeetingAction]:
    """Actions agreed at earlier meetings of the series that were still open when this one
    began: what the meeting goes through first."""
    start = timezone.make_aware(datetime.datetime.combine(meeting.held_on, datetime.time.min))
    return list(
        _actions()
        .filter(series_id=meeting.series_id, meeting__held_on__lt=meeting.held_on)
        .filter(Q(done_at__isnull=True) | Q(done_at__gte=start))
        .order_by("due_on", "id")[:200]
    )


def agreed_at(meeting: CoordinationMeeting) -> list[MeetingAction]:
    return list(_actions().filter(meeting=meeting).order_by("due_on", "id")[:200])


def attendance_of(meeting: CoordinationMeeting) -> dict[int, str]:
    return dict(meeting.attendance.values_list("user_id", "status"))


def my_actions(user: Any) -> QuerySet[MeetingAction]:
    """The open actions `user` answers for, in series they can still see, soonest due first."""
    return (
        _actions()
        .select_related("series")
        .filter(
            responsible_id=user.pk,
            done_at__isnull=True,
            series__in=MeetingSeries.objects.visible_to(user),
        )
        .order_by("due_on", "id")
    )


def actions_due(user: Any, *, until: datetime.date) -> QuerySet[MeetingAction]:
    """Open actions of `user` due by `until` (the Today page's list)."""
    return my_actions(user).filter(due_on__lte=until)


def action_detail(user: Any, pk: int) -> MeetingAction | None:
    return (
        MeetingAction.objects.filter(series__in=MeetingSeries.objects.visible_to(user), pk=pk)
        .select_related("series")
        .first()
    )


# Events.


def event_list(user: Any) -> QuerySet[EmployerEvent]:
    return (
        EmployerEvent.objects.visible_to(user)
        .annotate(
            invited=Count("invitations", distinct=True),
            came=Count("invitations", filter=Q(invitations__attended=True), distinct=True),
        )
        .order_by("-held_on", "-id")
    )


def event_detail(user: Any, pk: int) -> EmployerEvent | None:
    return (
        EmployerEvent.objects.visible_to(user).select_related("organisation").filter(pk=pk).first()
    )


@dataclass
class InvitationRow:
    invitation: EventInvitation
    stage_at_event: str
    stage_now: str
    moved_forward: bool  # to a later stage within MOVED_WITHIN_DAYS after the event

    @property
    def stage_at_event_label(self) -> str:
        return str(Employer.Stage(self.stage_at_event).label)

    @property
    def stage_now_label(self) -> str:
        return str(Employer.Stage(self.stage_now).label)


@dataclass
class EventOutcome:
    rows: list[InvitationRow] = field(default_factory=list)
    invited: int = 0
    coming: int = 0
    came: int = 0
    moved_forward: int = 0
    moved_forward_of_those_who_came: int = 0
    window_days: int = MOVED_WITHIN_DAYS


def event_outcome(event: EmployerEvent) -> EventOutcome:
    """Each invited employer's stage at the event and now, and who moved forward afterwards.

    The stage at the event is where the first move from the event's day on started (or the
    stage now, without a move since); "forward" is a later stage in the pipeline's order,
    reached within MOVED_WITHIN_DAYS. Two queries, whatever the number of employers."""
    start = timezone.make_aware(datetime.datetime.combine(event.held_on, datetime.time.min))
    end = start + datetime.timedelta(days=MOVED_WITHIN_DAYS)
    changes = EmployerStageChange.objects.filter(changed_at__gte=start).order_by("changed_at", "id")
    invitations = list(
        event.invitations.select_related("employer", "contact")
        .prefetch_related(Prefetch("employer__stage_changes", queryset=changes))
        .order_by("employer__name", "id")
    )
    outcome = EventOutcome(invited=len(invitations))
    for invitation in invitations:
        employer = invitation.employer
        moves = list(employer.stage_changes.all())
        at_event = moves[0].from_stage if moves else employer.stage
        rank = STAGE_RANK.get(at_event, 0)
        forward = any(m.changed_at < end and STAGE_RANK.get(m.to_stage, 0) > rank for m in moves)
        outcome.rows.append(InvitationRow(invitation, at_event, employer.stage, forward))
        outcome.coming += invitation.response == EventInvitation.Response.YES
        outcome.came += invitation.attended is True
        outcome.moved_forward += forward
        outcome.moved_forward_of_those_who_came += forward and invitation.attended is True
    return outcome


def invitable_employers(user: Any, event: EmployerEvent) -> QuerySet[Employer]:
    """The organisation's employers not yet invited, by name."""
    return (
        Employer.objects.visible_to(user)
        .exclude(event_invitations__event=event)
        .only("id", "name", "stage")
        .order_by("name", "id")
    )


# The employer's own page: what the coordinator meetings agreed about it, and its events.

EMPLOYER_PAGE_ROWS = 20


def actions_for_employer(user: Any, employer: Employer) -> list[MeetingAction]:
    """Actions agreed about `employer` in series `user` can see: open first (soonest due), then
    done (latest first). One query."""
    return list(
        MeetingAction.objects.filter(
            employer=employer, series__in=MeetingSeries.objects.visible_to(user)
        )
        .select_related("series", "responsible")
        .only(
            "what",
            "due_on",
            "done_at",
            "series_id",
            "series__title",
            "responsible__full_name",
        )
        .order_by(F("done_at").desc(nulls_first=True), F("due_on").asc(nulls_last=True), "-id")[
            :EMPLOYER_PAGE_ROWS
        ]
    )


def invitations_for_employer(user: Any, employer: Employer) -> list[EventInvitation]:
    """The events `employer` was invited to, latest first, with its answer. One query."""
    return list(
        EventInvitation.objects.filter(
            employer=employer, event__in=EmployerEvent.objects.visible_to(user)
        )
        .select_related("event")
        .only("response", "attended", "event_id", "event__title", "event__held_on")
        .order_by("-event__held_on", "-id")[:EMPLOYER_PAGE_ROWS]
    )


def actions_due_for_reminders(*, until: datetime.date) -> QuerySet[MeetingAction]:
    """Every open action due by `until` whose responsible still works in the series'
    organisation with the employer base (the reminder run's list; no user's door applies)."""
    still_there = Membership.objects.filter(
        user_id=OuterRef("responsible_id"),
        organisation_id=OuterRef("series__organisation_id"),
        is_active=True,
        role__in=[Membership.Role.COUNSELOR, Membership.Role.COORDINATOR, Membership.Role.LEADER],
    )
    return MeetingAction.objects.filter(done_at__isnull=True, due_on__lte=until).filter(
        Exists(still_there)
    )
