"""The participant's schedule: their meetings, placements with their follow-ups, and their
loop's rotations and gatherings, on one page and in their own calendar feed (loops/ical.py:
the feed address is made and revoked on the calendar page, as every feed is)."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.loops import ical
from samspill.loops.models import CalendarFeed
from samspill.loops.wheel import Event
from samspill.participants.models import Participant
from samspill.placements.models import FollowUp
from samspill.plans.models import Activity
from samspill.portal.permissions import own_placements

MEETING = "meeting"
PLACEMENT = "placement"
NOT_A_LOOP = 0  # Event.loop_id of an event that belongs to no loop


def own_events(participant: Participant) -> list[Event]:
    """Meetings in the plan, the placements' first and last days and their follow-ups: three
    queries."""
    events = [
        Event(
            uid=f"activity-{a.pk}@samspill",
            date=a.due_date,
            kind=MEETING,
            title=a.title,
            loop_id=NOT_A_LOOP,
        )
        for a in Activity.objects.filter(participant=participant, kind=Activity.Kind.MEETING)
        .exclude(status=Activity.Status.CANCELLED)
        .only("id", "due_date", "title")[:200]
    ]
    placements = list(own_placements(participant).select_related("employer")[:50])
    for p in placements:
        where = {"title": p.title, "employer": p.employer.name}
        events.append(
            Event(
                uid=f"placement-{p.pk}-start@samspill",
                date=p.start_date,
                kind=PLACEMENT,
                title=_("First day: %(title)s at %(employer)s") % where,
                loop_id=NOT_A_LOOP,
                employer=p.employer.name,
            )
        )
        if p.end_date:
            events.append(
                Event(
                    uid=f"placement-{p.pk}-end@samspill",
                    date=p.end_date,
                    kind=PLACEMENT,
                    title=_("Last day: %(title)s at %(employer)s") % where,
                    loop_id=NOT_A_LOOP,
                    employer=p.employer.name,
                )
            )
    names = {p.pk: p.employer.name for p in placements}
    for f in FollowUp.objects.filter(
        placement_id__in=names, held_on__isnull=True, due_on__isnull=False
    ).only("id", "placement_id", "due_on"):
        assert f.due_on is not None
        events.append(
            Event(
                uid=f"placement-follow-up-{f.pk}@samspill",
                date=f.due_on,
                kind="follow_up",
                title=_("Follow-up at %(employer)s") % {"employer": names[f.placement_id]},
                loop_id=NOT_A_LOOP,
                employer=names[f.placement_id],
            )
        )
    return events


def register() -> None:
    if own_events not in ical.PARTICIPANT_EVENTS:
        ical.PARTICIPANT_EVENTS.append(own_events)


@dataclass
class Day:
    date: datetime.date
    past: bool
    events: list[Event]


def schedule_for(participant: Participant, *, feed: CalendarFeed) -> list[Day]:
    """Everything in the participant's calendar feed, by day, from two weeks back; past days
    are marked so."""
    content = ical.feed_content(feed)
    events = list(content.events) if content else []
    today = timezone.localdate()
    since = today - datetime.timedelta(days=14)
    days: dict[datetime.date, list[Event]] = {}
    for event in sorted(events, key=lambda e: (e.date, e.uid)):
        if event.date >= since:
            days.setdefault(event.date, []).append(event)
    return [Day(date, date < today, day) for date, day in days.items()]
