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
from samspill.plans.models import Activity, Goal

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


@register.simple_tag(takes_context=True)
def goal_items(context: Any, participant: Any, goals: Any) -> SafeString:
    """The goals' `<li>`, each with its status form, as the template wrote them."""
    csrf = format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', context.get("csrf_token")
    )
    marker = 999999937
    before, after = reverse("participants:goal_status", args=[participant.pk, marker]).split(
        str(marker)
    )
    target = gettext("Target date")
    change = gettext("Change status")
    statuses = [(value, str(label)) for value, label in Goal.Status.choices]
    items = []
    for g in goals:
        options = format_html_join(
            "",
            '<option value="{}" {}>{}</option>',
            ((v, mark_safe("selected") if v == g.status else "", label) for v, label in statuses),
        )
        items.append(
            (
                g.title,
                g.get_status_display(),
                format_html(" · {}: {}", target, local_date(g.target_date))
                if g.target_date
                else "",
                format_html('\n      <p class="text">{}</p>', g.description)
                if g.description
                else "",
                f"{before}{g.pk}{after}",
                csrf,
                g.revision,
                g.pk,
                mark_safe(gettext("Status for %(title)s") % {"title": escape(g.title)}),
                g.pk,
                options,
                change,
                g.title,
            )
        )
    return format_html_join(
        "\n",
        "    <li>\n"
        '      <p><strong>{}</strong> <span class="badge">{}</span>{}</p>{}\n'
        '      <form method="post" action="{}" class="inline-form">{}'
        '<input type="hidden" name="revision" value="{}">\n'
        '        <label for="goal-status-{}" class="visually-hidden">{}</label>\n'
        '        <select name="status" id="goal-status-{}">{}</select>\n'
        '        <button type="submit" class="small secondary">{}'
        '<span class="visually-hidden">: {}</span></button>\n'
        "      </form>\n"
        "    </li>",
        items,
    )


@register.simple_tag
def timeline_items(timeline: Any) -> SafeString:
    """The timeline's `<li>`: a note or an activity each, as the template wrote them."""
    activity = gettext("Activity")
    items = []
    for entry in timeline:
        item = entry.item
        when = format_html(
            '<time datetime="{}">{}</time>', local_date(entry.date, "Y-m-d"), local_date(entry.date)
        )
        if entry.kind == "note":
            items.append(
                format_html(
                    '    <li>\n      <p class="meta">{} · {} · {}</p>\n'
                    '      <p class="text">{}</p>\n    </li>',
                    when,
                    item.get_kind_display(),
                    item.author.full_name if item.author_id else "",
                    item.text,
                )
            )
        else:
            items.append(
                format_html(
                    '    <li>\n      <p class="meta">{} · {}: {} · <span class="badge">{}</span>'
                    "</p>\n      <p><strong>{}</strong>{}</p>\n    </li>",
                    when,
                    activity,
                    item.get_kind_display(),
                    item.get_status_display(),
                    item.title,
                    format_html("<br>{}", item.description) if item.description else "",
                )
            )
    return mark_safe("\n".join(items))
