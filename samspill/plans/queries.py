"""Reads of the plan and the timeline."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from samspill.participants.models import Participant
from samspill.plans.models import Activity, Goal, Note


@dataclass(frozen=True)
class TimelineEntry:
    date: datetime.date
    kind: str  # "note" or "activity"
    item: Any


def timeline_for(participant: Participant, *, limit: int = 20) -> list[TimelineEntry]:
    """The newest `limit` notes and activities, merged by date: two queries whatever the size."""
    notes = (
        Note.objects.filter(participant=participant)
        .select_related("author")
        .order_by("-occurred_on", "-id")[:limit]
    )
    activities = (
        Activity.objects.filter(participant=participant)
        .select_related("created_by")
        .order_by("-due_date", "-id")[:limit]
    )
    entries = [TimelineEntry(n.occurred_on, "note", n) for n in notes]
    entries += [TimelineEntry(a.due_date, "activity", a) for a in activities]
    entries.sort(key=lambda e: (e.date, e.item.created_at), reverse=True)
    return entries[:limit]


def goals_for(participant: Participant) -> QuerySet[Goal]:
    return Goal.objects.filter(participant=participant).order_by("status", "target_date", "id")


def activities_for(participant: Participant) -> QuerySet[Activity]:
    return (
        Activity.objects.filter(participant=participant)
        .select_related("goal", "employer")
        .order_by("-due_date", "-id")
    )
