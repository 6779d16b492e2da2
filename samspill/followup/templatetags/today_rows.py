"""The due date of a row on Today, written the same in every list.

Was the partial followup/today/_due.html, included once a row: an include in a loop cost a
template lookup and a new context per row, a good part of the Today page (issue 24).
"""

import datetime
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from samspill.core.dates import local_date

register = template.Library()


@register.simple_tag(takes_context=True)
def due(context: Any, on: datetime.date | None, label: str = "") -> SafeString:
    """ "due 05.01.2026" (or `label` for "due"), marked overdue when the day has passed."""
    today = context.get("today")
    late = on is not None and today is not None and on < today
    return format_html(
        "{} {}{}",
        label or gettext("due"),
        local_date(on),
        format_html(' <span class="badge warn">{}</span>', gettext("overdue")) if late else "",
    )
