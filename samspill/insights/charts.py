"""Bar charts drawn on the server as inline SVG: no script, they print, and they scale to the
width of a phone. Each chart is an image with a title and a description in words; the table
beside it holds the same numbers and is the alternative for those who do not see the chart.
A hidden count (core/smallcells.py, None) draws nothing.
"""

from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import slugify

WIDTH = 600
LABEL = 190  # the width of the labels at the left
BAR = 22
GAP = 12
# Outcome colours (the legend and the table name them; no meaning rests on colour alone).
COLOURS = {
    "ordinary_work": "#116530",
    "education": "#0a4f8a",
    "apprenticeship": "#6b3fa0",
    "other_measure": "#b8860b",
    "not_ready": "#b34700",
    "moved_other": "#6e6e6e",
    "unknown": "#a7adb4",
    "none": "#e3e6ea",
    "not_recorded": "#e3e6ea",
    "work_or_education": "#116530",
}
SERIES = ["#116530", "#0a4f8a", "#6b3fa0"]

# One segment: (key, label, count or None when hidden, share or None).
Segment = tuple[str, str, int | None, float | None]


def _n(value: float) -> str:
    """A coordinate, to a tenth."""
    return f"{value:.1f}"


# About as many characters as fit left of the bars at font size 13; a longer label is cut
# (the table beside the chart, and each bar's title, give it whole).
LABEL_CHARS = 24


def _fit(text: str) -> str:
    text = str(text)
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def _percent(share: float) -> str:
    return f"{round(share * 100)} %"


def _frame(ident: str, title: str, description: str, height: int, body: SafeString) -> SafeString:
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" width="100%" role="img" '
        'aria-labelledby="{id}-t {id}-d" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-t">{title}</title><desc id="{id}-d">{desc}</desc>{body}</svg>',
        w=WIDTH,
        h=height,
        id=ident,
        title=title,
        desc=description,
        body=body,
    )


def _label(y: int, text: str) -> SafeString:
    return format_html(
        '<text x="{x}" y="{y}" text-anchor="end" dominant-baseline="middle" '
        'font-size="13">{text}</text>',
        x=LABEL - 8,
        y=y + BAR // 2,
        text=_fit(text),
    )


def stacked(
    *, ident: str, title: str, description: str, bars: Sequence[tuple[str, Sequence[Segment]]]
) -> SafeString:
    """One 100 % bar per (label, segments): a segment as wide as its share."""
    span = WIDTH - LABEL - 4
    parts = []
    for index, (label, segments) in enumerate(bars):
        y = index * (BAR + GAP) + GAP
        parts.append(_label(y, label))
        parts.append(
            format_html(
                '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="none" stroke="#9aa1a9"/>',
                x=LABEL,
                y=y,
                w=span,
                h=BAR,
            )
        )
        x = float(LABEL)
        for key, name, n, share in segments:
            if n is None or not share:
                continue
            width = share * span
            parts.append(
                format_html(
                    '<rect class="{key}" x="{x}" y="{y}" width="{w}" height="{h}" '
                    'fill="{fill}"><title>{name}: {n} ({p})</title></rect>',
                    key=key,
                    x=_n(x),
                    y=y,
                    w=_n(width),
                    h=BAR,
                    fill=COLOURS.get(key, "#888888"),
                    name=name,
                    n=n,
                    p=_percent(share),
                )
            )
            x += width
    height = len(bars) * (BAR + GAP) + GAP
    return _frame(
        ident, title, description, height, format_html_join("", "{}", ((p,) for p in parts))
    )


def shares(
    *,
    ident: str,
    title: str,
    description: str,
    series: Sequence[str],
    rows: Sequence[tuple[str, Sequence[float | str | None]]],
    hidden: str,
) -> SafeString:
    """For each (label, shares): one thin bar per series, as long as the share (0-100 %), its
    percentage at its end; a hidden share (None) is written as `hidden` and a note (a string,
    e.g. "not yet due") as itself, and neither draws a bar."""
    span = WIDTH - LABEL - 60
    thin = 10
    block = thin * len(series) + GAP
    parts = []
    for index, (label, values) in enumerate(rows):
        top = index * block + GAP
        parts.append(
            format_html(
                '<text x="{x}" y="{y}" text-anchor="end" dominant-baseline="middle" '
                'font-size="13">{text}</text>',
                x=LABEL - 8,
                y=top + thin * len(series) // 2,
                text=_fit(label),
            )
        )
        for s, (name, share) in enumerate(zip(series, values, strict=True)):
            y = top + s * thin
            if share is None or isinstance(share, str):
                parts.append(
                    format_html(
                        '<text x="{x}" y="{y}" dominant-baseline="middle" font-size="10">'
                        "{name}: {note}</text>",
                        x=LABEL + 2,
                        y=y + thin // 2,
                        name=name,
                        note=hidden if share is None else share,
                    )
                )
                continue
            parts.append(
                format_html(
                    '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{fill}">'
                    "<title>{label}, {name}: {p}</title></rect>"
                    '<text x="{tx}" y="{ty}" dominant-baseline="middle" font-size="10">'
                    "{p}</text>",
                    x=LABEL,
                    y=y,
                    w=_n(max(share * span, 0.5)),
                    h=thin - 2,
                    fill=SERIES[s % len(SERIES)],
                    label=label,
                    name=name,
                    p=_percent(share),
                    tx=_n(LABEL + share * span + 4),
                    ty=y + thin // 2 - 1,
                )
            )
    height = len(rows) * block + GAP
    return _frame(
        ident, title, description, height, format_html_join("", "{}", ((p,) for p in parts))
    )


def ident(*parts: str) -> str:
    return "chart-" + "-".join(slugify(p) for p in parts)
