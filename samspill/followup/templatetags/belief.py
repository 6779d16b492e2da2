"""An inline SVG of the belief trend: no JavaScript, no external chart library."""

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()

WIDTH, HEIGHT, PAD = 560, 180, 28


def _points(values: list[tuple[int, int]], count: int) -> list[tuple[float, float]]:
    step = (WIDTH - 2 * PAD) / max(count - 1, 1)
    return [
        (PAD + index * step, HEIGHT - PAD - (value - 1) * (HEIGHT - 2 * PAD) / 4)
        for index, value in values
    ]


@register.simple_tag
def belief_chart(trend: list[Any]) -> SafeString:
    """Three lines on the five steps: the counselor's belief in the person, their belief in the
    labour market (when answered) and the participant's own."""
    if not trend:
        return SafeString("")
    count = len(trend)
    staff = _points([(i, c.belief) for i, c in enumerate(trend)], count)
    own = _points([(i, c.self_belief) for i, c in enumerate(trend) if c.self_belief], count)
    market = _points([(i, c.market_belief) for i, c in enumerate(trend) if c.market_belief], count)
    grid = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#c9ced6"/><text x="4" y="{}" font-size="11" fill="#4a5460">{}</text>',
        (
            (PAD, WIDTH - PAD, y, y, y + 4, step)
            for step in range(1, 6)
            for y in [HEIGHT - PAD - (step - 1) * (HEIGHT - 2 * PAD) / 4]
        ),
    )

    def line(points: list[tuple[float, float]], colour: str, dash: str) -> SafeString:
        if not points:
            return SafeString("")
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        dots = format_html_join(
            "",
            '<circle cx="{}" cy="{}" r="4" fill="{}"/>',
            ((f"{x:.1f}", f"{y:.1f}", colour) for x, y in points),
        )
        return format_html(
            '<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5" stroke-dasharray="{}"/>{}',
            path,
            colour,
            dash,
            dots,
        )

    return format_html(
        '<svg viewBox="0 0 {} {}" width="100%" role="img" aria-labelledby="belief-chart-title" class="belief-chart">'
        '<title id="belief-chart-title">{}</title>{}{}{}{}</svg>',
        WIDTH,
        HEIGHT,
        _(
            "Belief over time, 5 = yes, certainly, 1 = no. Solid: counselor. "
            "Dotted: belief in the labour market. Dashed: the participant's own."
        ),
        grid,
        line(staff, "#0a4f8a", "0"),
        line(own, "#8a4b00", "6 4"),
        line(market, "#2e6b30", "2 3"),
    )


@register.filter
def belief_visible_to(participant: Any, user: Any) -> bool:
    from samspill.followup.permissions import can_see_belief

    return can_see_belief(user, participant)
