"""iCal feeds (RFC 5545) of the annual wheel: per loop and per person, at a secret address.

- The events are whole days (gatherings and follow-ups have a date, not a time), in a calendar
  that declares Europe/Oslo (VTIMEZONE and X-WR-TIMEZONE) so phones show them on the right day.
- UIDs come from `wheel.py` (object ids), so a calendar that reads the feed again updates its
  events instead of adding copies.
- A feed names a participant only where the participant has consented to share name and
  contact details with the workplace (`shared_with_workplace`): a feed address can end up in a
  mentor's phone. A participant's own feed names nobody. Never health data. A read that names a
  participant is written to the access log, in the feed owner's name.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import icalendar
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.accounts.models import User
from samspill.audit.services import access_log_record
from samspill.loops.models import CalendarFeed, Loop, LoopSeat
from samspill.loops.wheel import Event, Kind, loop_wheel
from samspill.organisations.models import Membership
from samspill.participants.models import Participant
from samspill.portal.permissions import portal_contact, portal_participant, shared_with_workplace

TZID = "Europe/Oslo"
PRODID = "-//Samspill//jobbLOOP annual wheel//EN"
# Loop-wide events every member of a loop sees; follow-ups belong to one placement.
LOOP_WIDE = {Kind.KICK_OFF, Kind.ROTATION, Kind.MIDWAY, Kind.FINAL, Kind.CLOSING, Kind.GATHERING}
ACCESS_WHY = "calendar_feed"
# Events of a participant's own feed that other apps add (selfservice: meetings, placements
# and their follow-ups); apps above this one register here, this module imports none of them.
PARTICIPANT_EVENTS: list[Callable[[Participant], list[Event]]] = []


@dataclass(frozen=True)
class Feed:
    name: str
    events: tuple[Event, ...]
    named: frozenset[int]  # participants whose names the feed shows


def _loop_events(loops: Iterable[Loop]) -> list[Event]:
    return [event for loop in loops for event in loop_wheel(loop).events]


def _named(events: Iterable[Event], *, names: bool) -> frozenset[int]:
    ids = sorted({e.participant_id for e in events if e.participant_id is not None})
    if not names or not ids:
        return frozenset()
    shared = shared_with_workplace(ids)
    return frozenset(pid for pid in ids if shared[pid].contact)


def _active_membership(user: User, organisation_id: int) -> Membership | None:
    return (
        Membership.objects.filter(user=user, organisation_id=organisation_id, is_active=True)
        .exclude(role=Membership.Role.ADMIN)
        .first()
    )


def feed_content(feed: CalendarFeed) -> Feed | None:
    """What the feed shows now, or None when its owner may no longer have it."""
    owner = feed.owner
    if feed.kind == CalendarFeed.Kind.LOOP:
        if feed.loop is None or _active_membership(owner, feed.organisation_id) is None:
            return None
        events = _loop_events([feed.loop])
        return Feed(feed.loop.name, tuple(events), _named(events, names=True))
    if _active_membership(owner, feed.organisation_id) is not None:
        loops = Loop.objects.filter(organisation_id=feed.organisation_id).filter(
            driver=owner
        ) | Loop.objects.filter(organisation_id=feed.organisation_id, counselor=owner)
        events = _loop_events(loops.distinct().order_by("start_date", "id"))
        return Feed(owner.full_name, tuple(events), _named(events, names=True))
    contact = portal_contact(owner)
    if contact is not None and contact.employer.organisation_id == feed.organisation_id:
        if not contact.has_declaration:
            return None
        loops = Loop.objects.filter(
            employers__mentor=contact, employers__replaced_at__isnull=True
        ).distinct()
        events = [
            e
            for e in _loop_events(loops.order_by("start_date", "id"))
            if e.kind in LOOP_WIDE or e.mentor_id == contact.pk
        ]
        return Feed(contact.name, tuple(events), _named(events, names=True))
    participant = portal_participant(owner)
    if participant is not None and participant.organisation_id == feed.organisation_id:
        seats = LoopSeat.objects.filter(participant=participant, left_at__isnull=True)
        loops = Loop.objects.filter(seats__in=seats).distinct()
        events = [
            e
            for e in _loop_events(loops)
            if e.kind in LOOP_WIDE or e.participant_id == participant.pk
        ]
        for more in PARTICIPANT_EVENTS:
            events += more(participant)
        return Feed(str(participant), tuple(events), frozenset())
    return None


def to_ical(feed: Feed, *, stamp: datetime.datetime | None = None) -> bytes:
    """The feed as an RFC 5545 calendar."""
    stamp = stamp or timezone.now()
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("jobbLOOP: %(name)s") % {"name": feed.name})
    calendar.add("x-wr-timezone", TZID)
    if feed.events:
        first = min(e.date for e in feed.events) - datetime.timedelta(days=366)
        last = max(e.date for e in feed.events) + datetime.timedelta(days=366)
        calendar.add_component(icalendar.Timezone.from_tzid(TZID, first_date=first, last_date=last))
    for event in feed.events:
        item = icalendar.Event()
        item.add("uid", event.uid)
        item.add("dtstamp", stamp.astimezone(datetime.UTC))
        item.add("dtstart", event.date)
        item.add("dtend", event.date + datetime.timedelta(days=1))
        item.add("summary", event.title_for(name_visible=event.participant_id in feed.named))
        if event.place:
            item.add("location", event.place)
        item.add("categories", [event.kind])
        item.add("transp", "TRANSPARENT")
        calendar.add_component(item)
    return calendar.to_ical()


def feed_read(feed: CalendarFeed, *, what: str) -> bytes | None:
    """The calendar for a request to the feed's address; logs the participants it names."""
    content = feed_content(feed)
    if content is None:
        return None
    if content.named:
        for participant in Participant.objects.filter(pk__in=content.named).only(
            "id", "organisation_id"
        ):
            access_log_record(actor=feed.owner, participant=participant, what=what, why=ACCESS_WHY)
    return to_ical(content)
