"""The annual wheel of a loop: every date the loop's people meet or follow up, in order.

Generated from the loop, never typed in: the kick-off, a joint gathering at each rotation
change, the follow-ups the placements have scheduled (`FollowUp.due_on`), the mid-way and final
evaluation of each period, and the closing gathering. A gathering recorded for one of those
moments takes its place (with its own date and place). Each event has a UID derived from
object ids, so a calendar that reads the feed again sees the same events (`ical.py`).

`wheel_svg` draws the wheel as a circle from the loop's start to its end, server-side, with a
<title> and <desc>; pages show the same events as a list beside it.
"""

import datetime
import math
from collections.abc import Collection
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samspill.loops.models import Gathering, Loop, LoopEmployer, LoopPlacement
from samspill.loops.queries import Period, loop_periods
from samspill.placements.models import FollowUp


class Kind:
    KICK_OFF = "kick_off"
    ROTATION = "rotation"
    FOLLOW_UP = "follow_up"
    MIDWAY = "midway"
    FINAL = "final"
    CLOSING = "closing"
    YOUTH = "youth"
    GATHERING = "gathering"


COLOURS = {
    Kind.KICK_OFF: "#1d6b3a",
    Kind.ROTATION: "#1f4e8c",
    Kind.FOLLOW_UP: "#6b4f1d",
    Kind.MIDWAY: "#7a2e6e",
    Kind.FINAL: "#7a2e6e",
    Kind.CLOSING: "#8c1f1f",
    Kind.YOUTH: "#0b6e6e",
    Kind.GATHERING: "#1f4e8c",
}
# What each kind is called in the legend and the table beside the picture.
KIND_LABELS = {
    Kind.KICK_OFF: gettext_lazy("Kick-off"),
    Kind.ROTATION: gettext_lazy("Rotation change"),
    Kind.FOLLOW_UP: gettext_lazy("Follow-up"),
    Kind.MIDWAY: gettext_lazy("Mid-way evaluation"),
    Kind.FINAL: gettext_lazy("Final evaluation"),
    Kind.CLOSING: gettext_lazy("Closing"),
    Kind.YOUTH: gettext_lazy("Youth gathering"),
    Kind.GATHERING: gettext_lazy("Other gathering"),
}
TODAY_COLOUR = "#b8420b"
BEFORE_COLOUR = "#cccccc"  # the ring before the first period (from the kick-off)
# The periods' shades on the ring, in turn.
SHADES = ("#cfe3d6", "#d6deef", "#efe2cf", "#e8d3e4", "#d9ebeb", "#eee3c8")


@dataclass(frozen=True)
class LegendItem:
    colour: str
    label: str
    shape: str  # "dot", "small-dot", "band" (a period) or "line" (today)


def legend(wheel: "Wheel") -> list[LegendItem]:
    """What each colour of the picture means: the periods' shades, today's line, and the
    events' dots (kinds that share a colour share an entry)."""
    items = [
        LegendItem(
            SHADES[(number - 1) % len(SHADES)],
            _("Period %(period)s: %(start)s to %(end)s")
            % {
                "period": number,
                "start": formats.date_format(period.start, "SHORT_DATE_FORMAT"),
                "end": formats.date_format(period.end, "SHORT_DATE_FORMAT"),
            },
            "band",
        )
        for number, period in enumerate(wheel.periods, start=1)
    ]
    if wheel.periods and wheel.start < wheel.periods[0].start:
        items.insert(0, LegendItem(BEFORE_COLOUR, _("Before the first period"), "band"))
    items.append(LegendItem(TODAY_COLOUR, _("Today"), "line"))
    by_colour: dict[str, list[str]] = {}
    for kind in KIND_LABELS:
        if any(e.kind == kind for e in wheel.events):
            by_colour.setdefault(COLOURS[kind], []).append(kind)
    for colour, kinds in by_colour.items():
        label = ", ".join(str(KIND_LABELS[k]) for k in kinds)
        shape = "small-dot" if kinds == [Kind.FOLLOW_UP] else "dot"
        items.append(LegendItem(colour, label, shape))
    return items


@dataclass(frozen=True)
class Event:
    uid: str  # stable across regenerations: built from object ids
    date: datetime.date
    kind: str
    title: str  # names no participant
    loop_id: int
    place: str = ""
    employer_id: int | None = None
    employer: str = ""
    # A follow-up belongs to one placement: whose it is, and who mentors it.
    participant_id: int | None = None
    participant_name: str = ""
    mentor_id: int | None = None
    placement_id: int | None = None

    def title_for(self, *, name_visible: bool) -> str:
        """The title, with the participant's name when the reader may see it."""
        if self.participant_id is not None and name_visible:
            return _("%(title)s: %(name)s") % {"title": self.title, "name": self.participant_name}
        return self.title


@dataclass(frozen=True)
class Wheel:
    loop: Loop
    periods: tuple[Period, ...]
    events: tuple[Event, ...]

    @property
    def start(self) -> datetime.date:
        """The picture's top: the loop's start, or the kick-off before it."""
        return min([self.loop.start_date, *(e.date for e in self.events)])

    @property
    def end(self) -> datetime.date:
        last = self.periods[-1].end if self.periods else self.loop.start_date
        return max([last, *(e.date for e in self.events)])


def _gathering_event(loop: Loop, gathering: Gathering, kind: str) -> Event:
    return Event(
        uid=f"loop-{loop.pk}-gathering-{gathering.pk}@samspill",
        date=gathering.date,
        kind=kind,
        title=_("%(kind)s (%(loop)s)") % {"kind": gathering.get_kind_display(), "loop": loop.name},
        loop_id=loop.pk,
        place=gathering.place,
    )


def loop_wheel(loop: Loop) -> Wheel:
    """The loop's events in date order (four queries)."""
    periods = loop_periods(loop)
    members = list(
        LoopEmployer.objects.filter(loop=loop, replaced_at__isnull=True).select_related("employer")
    )
    employer_ids = [m.employer_id for m in members]
    gatherings = list(
        Gathering.objects.filter(
            Q(loop=loop)
            | Q(
                loop__isnull=True,
                kind=Gathering.Kind.KICK_OFF,
                organisation_id=loop.organisation_id,
                interest_marks__employer_id__in=employer_ids,
                date__lte=loop.start_date,
            )
        )
        .distinct()
        .order_by("date", "id")
    )
    events: list[Event] = []
    kick_offs = [g for g in gatherings if g.kind == Gathering.Kind.KICK_OFF]
    for gathering in kick_offs:
        events.append(_gathering_event(loop, gathering, Kind.KICK_OFF))
    if not kick_offs:
        events.append(
            Event(
                uid=f"loop-{loop.pk}-start@samspill",
                date=loop.start_date,
                kind=Kind.KICK_OFF,
                title=_("Start of %(loop)s") % {"loop": loop.name},
                loop_id=loop.pk,
            )
        )
    rotations = {g.date: g for g in gatherings if g.kind == Gathering.Kind.ROTATION}
    for number, period in enumerate(periods[1:], start=2):
        recorded = rotations.pop(period.start, None)
        if recorded is not None:
            events.append(_gathering_event(loop, recorded, Kind.ROTATION))
        else:
            events.append(
                Event(
                    uid=f"loop-{loop.pk}-rotation-{number}@samspill",
                    date=period.start,
                    kind=Kind.ROTATION,
                    title=_("Joint gathering: rotation to period %(period)s (%(loop)s)")
                    % {"period": number, "loop": loop.name},
                    loop_id=loop.pk,
                )
            )
    for number, period in enumerate(periods, start=1):
        midway = period.start + (period.end - period.start) // 2
        events.append(
            Event(
                uid=f"loop-{loop.pk}-midway-{number}@samspill",
                date=midway,
                kind=Kind.MIDWAY,
                title=_("Mid-way evaluations, period %(period)s (%(loop)s)")
                % {"period": number, "loop": loop.name},
                loop_id=loop.pk,
            )
        )
        events.append(
            Event(
                uid=f"loop-{loop.pk}-final-{number}@samspill",
                date=period.end - datetime.timedelta(days=7),
                kind=Kind.FINAL,
                title=_("Final evaluations, period %(period)s (%(loop)s)")
                % {"period": number, "loop": loop.name},
                loop_id=loop.pk,
            )
        )
    closings = [g for g in gatherings if g.kind == Gathering.Kind.CLOSING]
    for closing in closings:
        events.append(_gathering_event(loop, closing, Kind.CLOSING))
    if not closings and periods:
        events.append(
            Event(
                uid=f"loop-{loop.pk}-closing@samspill",
                date=periods[-1].end,
                kind=Kind.CLOSING,
                title=_("Closing gathering (%(loop)s)") % {"loop": loop.name},
                loop_id=loop.pk,
            )
        )
    # The young people's own gatherings: their community in the loop (issue 22, item 4).
    for youth in (g for g in gatherings if g.kind == Gathering.Kind.YOUTH):
        events.append(_gathering_event(loop, youth, Kind.YOUTH))
    others = [g for g in gatherings if g.kind == Gathering.Kind.OTHER or g in rotations.values()]
    for other in others:
        events.append(_gathering_event(loop, other, Kind.GATHERING))
    follow_ups = (
        FollowUp.objects.filter(
            placement__in=LoopPlacement.objects.filter(seat__loop=loop).values("placement_id"),
            placement__cancelled_at__isnull=True,
            due_on__isnull=False,
        )
        .select_related("placement__employer", "placement__participant")
        .order_by("due_on", "id")
    )
    for follow_up in follow_ups:
        placement = follow_up.placement
        events.append(
            Event(
                uid=f"loop-{loop.pk}-followup-{follow_up.pk}@samspill",
                date=follow_up.due_on,  # type: ignore[arg-type]  # filtered above
                kind=Kind.FOLLOW_UP,
                title=_("Follow-up at %(employer)s") % {"employer": placement.employer.name},
                loop_id=loop.pk,
                employer_id=placement.employer_id,
                employer=placement.employer.name,
                participant_id=placement.participant_id,
                participant_name=str(placement.participant),
                mentor_id=placement.mentor_id,
                placement_id=placement.pk,
            )
        )
    events.sort(key=lambda e: (e.date, e.kind != Kind.KICK_OFF, e.uid))
    return Wheel(loop=loop, periods=periods, events=tuple(events))


# The picture

SIZE = 360
CENTRE = SIZE / 2
RADIUS = 140
RING = 26


def _angle(wheel: Wheel, day: datetime.date) -> float:
    """Radians clockwise from the top: the loop's start at the top, its end back at the top."""
    span = max((wheel.end - wheel.start).days + 1, 1)
    return 2 * math.pi * (day - wheel.start).days / span


def _point(angle: float, radius: float) -> tuple[float, float]:
    return (CENTRE + radius * math.sin(angle), CENTRE - radius * math.cos(angle))


def _arc(start: float, end: float, radius: float) -> str:
    x1, y1 = _point(start, radius)
    x2, y2 = _point(end, radius)
    large = 1 if end - start > math.pi else 0
    return f"M {x1:.1f} {y1:.1f} A {radius} {radius} 0 {large} 1 {x2:.1f} {y2:.1f}"


def _months(wheel: Wheel) -> list[datetime.date]:
    """The first day of each month inside the wheel's span (its start's month included)."""
    day = wheel.start.replace(day=1)
    months = []
    while day <= wheel.end:
        months.append(max(day, wheel.start))
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return months


def _month_marks(wheel: Wheel) -> list[str]:
    """A tick at each month's start and its short name outside the ring; with more than
    eighteen months, every second (or third...) is named, so the names never crowd."""
    months = _months(wheel)
    step = max(1, math.ceil(len(months) / 18))
    parts = []
    for index, day in enumerate(months):
        angle = _angle(wheel, day)
        x1, y1 = _point(angle, RADIUS + RING / 2)
        x2, y2 = _point(angle, RADIUS + RING / 2 + 5)
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#4a5460"/>'
        )
        if index % step:
            continue
        # Named in the middle of its month, so the name sits beside the tick.
        middle = _angle(wheel, min(day + datetime.timedelta(days=14), wheel.end))
        x, y = _point(middle, RADIUS + RING / 2 + 13)
        name = formats.date_format(day, "M")
        # The year where it changes, and where a month comes round a second time.
        if day.month == 1 or index == 0 or (index >= 12 and day.month == months[0].month):
            name = f"{name} {day:%y}"
        parts.append(
            f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="middle" dominant-baseline="middle" '
            f'font-size="11" fill="#1b1f24">{escape(name)}</text>'
        )
    return parts


def _today_mark(wheel: Wheel, today: datetime.date) -> list[str]:
    if not wheel.start <= today <= wheel.end:
        return []
    angle = _angle(wheel, today)
    x1, y1 = _point(angle, RADIUS - RING / 2 - 4)
    x2, y2 = _point(angle, RADIUS + RING / 2 + 4)
    x, y = _point(angle, RADIUS - RING - 28)  # inside the period names
    label = _("Today, %(date)s") % {"date": formats.date_format(today)}
    return [
        f'<g class="wheel-today"><title>{escape(label)}</title>'
        f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
        f'stroke="{TODAY_COLOUR}" stroke-width="3"/>'
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="middle" dominant-baseline="middle" '
        f'font-size="11" font-weight="700" fill="{TODAY_COLOUR}">{escape(_("Today"))}</text></g>'
    ]


def wheel_svg(
    wheel: Wheel, *, named: Collection[int] = (), today: datetime.date | None = None
) -> str:
    """An accessible inline SVG: the periods as a ring with the months around it, each event a
    dot with its own title, and a line for `today` when it falls inside the wheel.

    `named`: the participants whose names the reader may see in follow-up titles."""
    title = _("Annual wheel of %(loop)s") % {"loop": wheel.loop.name}
    desc = _(
        "From %(start)s to %(end)s: %(periods)s periods and %(events)s events, "
        "listed in the table beside the picture."
    ) % {
        "start": formats.date_format(wheel.start),
        "end": formats.date_format(wheel.end),
        "periods": len(wheel.periods),
        "events": len(wheel.events),
    }
    if today is not None and wheel.start <= today <= wheel.end:
        desc = f"{desc} " + _("Today is %(date)s.") % {"date": formats.date_format(today)}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" role="img" '
        f'class="wheel" aria-labelledby="wheel-title-{wheel.loop.pk} wheel-desc-{wheel.loop.pk}">',
        f'<title id="wheel-title-{wheel.loop.pk}">{escape(title)}</title>',
        f'<desc id="wheel-desc-{wheel.loop.pk}">{escape(desc)}</desc>',
        f'<circle cx="{CENTRE}" cy="{CENTRE}" r="{RADIUS}" fill="none" stroke="{BEFORE_COLOUR}" '
        f'stroke-width="{RING}"/>',
    ]
    parts.extend(_month_marks(wheel))
    for number, period in enumerate(wheel.periods, start=1):
        start = _angle(wheel, period.start)
        end = _angle(wheel, period.end + datetime.timedelta(days=1)) - 0.01
        label = _("Period %(period)s") % {"period": number}
        parts.append(
            f'<path d="{_arc(start, end, RADIUS)}" fill="none" '
            f'stroke="{SHADES[(number - 1) % len(SHADES)]}" stroke-width="{RING}">'
            f"<title>{escape(label)}</title></path>"
        )
        x, y = _point((start + end) / 2, RADIUS - RING - 12)
        parts.append(
            f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="middle" font-size="12" '
            f'fill="#222">{escape(label)}</text>'
        )
    for event in wheel.events:
        x, y = _point(_angle(wheel, event.date), RADIUS)
        title = event.title_for(name_visible=event.participant_id in named)
        text = f"{formats.date_format(event.date)}: {title}"
        radius = 4 if event.kind == Kind.FOLLOW_UP else 7
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{COLOURS[event.kind]}" '
            f'stroke="#fff" stroke-width="1.5"><title>{escape(text)}</title></circle>'
        )
    if today is not None:
        parts.extend(_today_mark(wheel, today))
    parts.append(
        f'<text x="{CENTRE}" y="{CENTRE}" text-anchor="middle" font-size="14" fill="#222">'
        f"{escape(wheel.loop.name)}</text>"
    )
    parts.append("</svg>")
    return "".join(parts)
