"""The caseload table's rows, written in Python.

A page of 100 rows rendered through the template language took most of a counselor's
caseload page (about 0.3 ms a row: a dozen lookups, three dates, a URL and the badges, each a
node; bench/README.md, issue 24). The markup here is that of the template row it replaces,
cell for cell; the translations and date formats are the same calls the template made.
"""

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from samspill.core.dates import local_date

register = template.Library()

DASH = "–"


@register.simple_tag(takes_context=True)
def caseload_rows(context: Any, participants: Any, scope: str) -> SafeString:
    """`<tr>` for each participant of the page, with the counselor and team columns in any
    scope but the user's own."""
    today = context["today"]
    wide = scope != "mine"
    # One reverse for the page: every row's address differs only by its id.
    marker = 999999937
    before, after = reverse("participants:detail", args=[marker]).split(str(marker))
    new_to_you = format_html(' <span class="badge warn">{}</span>', gettext("new to you"))
    overdue = format_html(' <span class="badge warn">{}</span>', gettext("overdue"))
    in_follow_up = format_html('<span class="badge ok">{}</span>', gettext("In follow-up"))
    ended = format_html('<span class="badge">{}</span>', gettext("Ended"))
    rows = []
    for p in participants:
        next_on = p.next_follow_up_on
        next_cell: str
        if next_on:
            next_cell = format_html("{}{}", local_date(next_on), overdue if next_on < today else "")
        else:
            next_cell = DASH
        wide_cells = (
            format_html(
                '<td>{}</td><td class="hide-small">{}</td>',
                (p.counselor.full_name if p.counselor_id else "") or DASH,
                (p.team.name if p.team_id else "") or DASH,
            )
            if wide
            else ""
        )
        rows.append(
            (
                f"{before}{p.pk}{after}",
                p.family_name,
                p.given_name,
                new_to_you if getattr(p, "new_to_me", False) else "",
                local_date(p.birth_date, "Y") or DASH,
                next_cell,
                local_date(p.last_contact_on) or DASH,
                wide_cells,
                in_follow_up if p.active_period_id else ended,
            )
        )
    return format_html_join(
        "\n",
        '  <tr>\n    <td><a href="{}">{}, {}</a>{}</td>\n'
        '    <td class="hide-small">{}</td>\n'
        "    <td>{}</td>\n"
        '    <td class="hide-small">{}</td>\n'
        "    {}\n"
        '    <td class="hide-small">{}</td>\n  </tr>',
        rows,
    )
