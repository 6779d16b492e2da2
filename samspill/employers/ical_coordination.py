"""iCal (RFC 5545) of a coordinator meeting series: one recurring event (RRULE), so a calendar
shows every occurrence; the UID is fixed per series and the SEQUENCE follows its revision, so
an imported calendar updates when the series changes. Members are not listed."""

import datetime

import icalendar
from django.conf import settings
from django.utils import timezone

from samspill.employers.models_coordination import MeetingSeries

PRODID = "-//Samspill//coordinator meetings//EN"
UID_DOMAIN = "samspill.coordination"
BYDAY = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def series_uid(series: MeetingSeries) -> str:
    return f"coordination-series-{series.pk}@{UID_DOMAIN}"


def series_ical(series: MeetingSeries, *, stamp: datetime.datetime | None = None) -> bytes:
    stamp = stamp or timezone.now()
    zone = settings.TIME_ZONE
    local = timezone.get_default_timezone()
    start = datetime.datetime.combine(series.starts_on, series.start_time, tzinfo=local)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", series.title)
    calendar.add("x-wr-timezone", zone)
    calendar.add_component(
        icalendar.Timezone.from_tzid(
            zone,
            first_date=series.starts_on - datetime.timedelta(days=1),
            last_date=series.starts_on + datetime.timedelta(days=3 * 366),
        )
    )
    event = icalendar.Event()
    event.add("uid", series_uid(series))
    event.add("dtstamp", stamp.astimezone(datetime.UTC))
    event.add("dtstart", start)
    event.add("dtend", start + datetime.timedelta(minutes=series.duration_minutes))
    event.add(
        "rrule",
        {"freq": "weekly", "interval": series.interval_weeks, "byday": BYDAY[series.weekday]},
    )
    event.add("summary", series.title)
    if series.place or series.video_url:
        event.add("location", series.place or series.video_url)
    if series.video_url:
        event.add("url", series.video_url)
    if series.guests:
        event.add("description", series.guests)
    if not series.is_active:
        event.add("status", "CANCELLED")
    event.add("sequence", series.revision)
    calendar.add_component(event)
    return calendar.to_ical()
