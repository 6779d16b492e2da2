"""iCal (RFC 5545) of programme sessions: one session as a file, and a person's own sessions at
a secret, revocable address (SessionCalendar).

Sessions have a time of day, so events are timed in the installation's zone (a VTIMEZONE is
included so phones place them right); UIDs are fixed per session, so a calendar that reads the
feed again updates its events. A feed shows what the session is, when and where, never who
attends or what anyone reflected.
"""

import datetime
from collections.abc import Iterable

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.learning.models import ProgrammeSession

PRODID = "-//Samspill//learning programme//EN"
# Hosts differ between installations; the UID's domain part only has to be ours and fixed.
UID_DOMAIN = "samspill.learning"


def session_uid(session: ProgrammeSession) -> str:
    return f"learning-session-{session.pk}@{UID_DOMAIN}"


def sessions_ical(
    sessions: Iterable[ProgrammeSession],
    *,
    name: str,
    site_url: str = "",
    stamp: datetime.datetime | None = None,
) -> bytes:
    """The sessions (with `module__programme` and `facilitator` selected) as a calendar."""
    stamp = stamp or timezone.now()
    sessions = list(sessions)
    zone = settings.TIME_ZONE
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", zone)
    if sessions:
        first = min(s.starts_at for s in sessions).date() - datetime.timedelta(days=366)
        last = max(s.ends_at for s in sessions).date() + datetime.timedelta(days=366)
        calendar.add_component(icalendar.Timezone.from_tzid(zone, first_date=first, last_date=last))
    local = timezone.get_default_timezone()
    for session in sessions:
        event = icalendar.Event()
        event.add("uid", session_uid(session))
        event.add("dtstamp", stamp.astimezone(datetime.UTC))
        event.add("dtstart", session.starts_at.astimezone(local))
        event.add("dtend", session.ends_at.astimezone(local))
        event.add("summary", f"{session.module.programme.title}: {session.title}")
        lines = [
            _("Module %(number)s: %(title)s")
            % {"number": session.module.number, "title": session.module.title},
            _("Facilitator: %(name)s") % {"name": session.facilitator.full_name},
        ]
        if session.video_url:
            lines.append(_("Video link: %(url)s") % {"url": session.video_url})
        if site_url:
            lines.append(site_url + reverse("learning:session", args=[session.pk]))
        event.add("description", "\n".join(lines))
        if session.place or session.video_url:
            event.add("location", session.place or session.video_url)
        if session.video_url:
            event.add("url", session.video_url)
        event.add("sequence", session.revision)
        calendar.add_component(event)
    return calendar.to_ical()
