"""Reads for the counselor's day and the belief trend."""

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Max, Q, QuerySet, Window

from samspill.followup.models import BeliefCheckIn
from samspill.organisations.models import Membership
from samspill.participants.models import CounselorAssignment, Participant
from samspill.plans.models import Activity

if TYPE_CHECKING:
    from samspill.followup.services import CheckInResult

# The first check-in in a period is due this long after it starts; later ones every
# `Organisation.belief_checkin_weeks` weeks.
FIRST_CHECKIN_AFTER = datetime.timedelta(weeks=4)


@dataclass
class TodayList:
    count: int
    items: list[Any]


def checkin_interval(membership: Membership) -> datetime.timedelta:
    return datetime.timedelta(weeks=membership.organisation.belief_checkin_weeks)


def due_checkins(
    user: Any, membership: Membership, *, today: datetime.date
) -> QuerySet[Participant]:
    """The user's active participants whose belief check-in is due, oldest first."""
    interval = checkin_interval(membership)
    return (
        Participant.objects.filter(counselor_id=user.pk, active_period__isnull=False)
        .annotate(
            last_checkin=Max(
                "belief_checkins__asked_on",
                filter=Q(belief_checkins__period_id=F("active_period_id")),
            )
        )
        .filter(
            Q(last_checkin__lte=today - interval)
            | Q(
                last_checkin__isnull=True,
                active_period__start_date__lte=today - FIRST_CHECKIN_AFTER,
            )
        )
        .select_related("active_period")
        .order_by("last_checkin", "active_period__start_date", "id")
    )


def checkin_due_on(participant: Any, membership: Membership) -> datetime.date:
    if participant.last_checkin is not None:
        due: datetime.date = participant.last_checkin + checkin_interval(membership)
        return due
    start: datetime.date = participant.active_period.start_date
    return start + FIRST_CHECKIN_AFTER


def unread_handovers(user: Any) -> QuerySet[CounselorAssignment]:
    """Participants handed to the user by someone else, not yet opened."""
    return (
        CounselorAssignment.objects.filter(
            counselor_id=user.pk, ended_at__isnull=True, seen_at__isnull=True
        )
        .exclude(assigned_by_id=user.pk)
        .select_related("participant", "assigned_by")
        .order_by("started_at", "id")
    )


def overdue_activities(user: Any, *, today: datetime.date) -> QuerySet[Activity]:
    return (
        Activity.objects.filter(
            Activity.open_q(), participant__counselor_id=user.pk, due_date__lt=today
        )
        .select_related("participant")
        .order_by("due_date", "id")
    )


def follow_ups_due(user: Any, *, today: datetime.date) -> QuerySet[Participant]:
    """The user's participants whose next follow-up is due; not after their period ended."""
    return Participant.objects.filter(
        counselor_id=user.pk, active_period__isnull=False, next_follow_up_on__lte=today
    ).order_by("next_follow_up_on", "id")


def limited(qs: QuerySet[Any], limit: int) -> TodayList:
    """The first `limit` rows and how many there are in all: one query, whatever the size. The
    count is a window over the whole list (taken before the LIMIT), so the list's rows are
    found once, not once for a COUNT and again for the page."""
    items = list(qs.annotate(today_total=Window(Count("pk")))[:limit])
    return TodayList(count=items[0].today_total if items else 0, items=items)


def belief_trend(participant: Participant) -> list[BeliefCheckIn]:
    """Check-ins in the participant's open period (or, after it ended, the latest one), oldest first."""
    period_id = participant.active_period_id or (
        BeliefCheckIn.objects.filter(participant=participant)
        .order_by("-asked_on", "-id")
        .values_list("period_id", flat=True)
        .first()
    )
    return list(
        BeliefCheckIn.objects.filter(participant=participant, period_id=period_id)
        .select_related("counselor")
        .order_by("asked_on", "id")[:200]
    )


def checkin_result(checkin: BeliefCheckIn) -> "CheckInResult":
    """A check-in compared with the one before it in the same period."""
    from samspill.followup.services import CheckInResult, belief_suggests_sparring

    previous = (
        BeliefCheckIn.objects.filter(period_id=checkin.period_id)
        .filter(Q(asked_on__lt=checkin.asked_on) | Q(asked_on=checkin.asked_on, id__lt=checkin.pk))
        .order_by("-asked_on", "-id")
        .first()
    )
    return CheckInResult(
        checkin=checkin,
        previous=previous,
        suggest_sparring=belief_suggests_sparring(
            belief=checkin.belief, previous_belief=previous.belief if previous else None
        ),
    )
