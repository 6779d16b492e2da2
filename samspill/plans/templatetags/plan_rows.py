"""The plan page's activity rows, written in Python.

Each row is a small form (its status, its revision, a CSRF token); through the template
language a page of 25 rows with their status options took most of the plan page (issue 24).
The markup is that of the template row it replaces, cell for cell, with the same translations
and date formats.
"""

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from samspill.core.dates import local_date
from samspill.plans.models import Activity

register = template.Library()


@register.simple_tag(takes_context=True)
def activity_rows(context: Any, participant: Any, activities: Any) -> SafeString:
    today = context["today"]
    csrf = format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', context.get("csrf_token")
    )
    marker = 999999937
    before, after = reverse("participants:activity_status", args=[participant.pk, marker]).split(
        str(marker)
    )
    overdue = format_html(' <span class="badge warn">{}</span>', gettext("overdue"))
    goal_label = gettext("Goal")
    save = gettext("Save")
    statuses = [(value, str(label)) for value, label in Activity.Status.choices]
    rows = []
    for a in activities:
        options = format_html_join(
            "",
            '<option value="{}" {}>{}</option>',
            ((v, mark_safe("selected") if v == a.status else "", label) for v, label in statuses),
        )
        late = a.due_date < today and a.status in Activity.OPEN_STATUSES
        rows.append(
            (
                local_date(a.due_date),
                overdue if late else "",
                a.title,
                format_html('<br><span class="muted">{}: {}</span>', goal_label, a.goal.title)
                if a.goal_id
                else "",
                a.get_kind_display(),
                f"{before}{a.pk}{after}",
                csrf,
                a.revision,
                a.pk,
                mark_safe(gettext("Status for %(title)s") % {"title": escape(a.title)}),
                a.pk,
                options,
                save,
                a.title,
            )
        )
    return format_html_join(
        "\n",
        "    <tr>\n"
        "      <td>{}{}</td>\n"
        "      <td>{}{}</td>\n"
        "      <td>{}</td>\n"
        '      <td><form method="post" action="{}" class="inline-form">{}'
        '<input type="hidden" name="revision" value="{}">\n'
        '        <label for="act-status-{}" class="visually-hidden">{}</label>\n'
        '        <select name="status" id="act-status-{}">{}</select>\n'
        '        <button type="submit" class="small secondary">{}'
        '<span class="visually-hidden">: {}</span></button>\n'
        "      </form></td>\n"
        "    </tr>",
        rows,
    )
