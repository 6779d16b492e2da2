from typing import Any

from django import template
from django.http import QueryDict
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import gettext as _

from samspill.core import smallcells

register = template.Library()


@register.simple_tag(takes_context=True)
def query(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters changed (None removes one)."""
    params: QueryDict = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)


@register.filter
def cell(n: object) -> object:
    """A count from `core/smallcells.py`: a hidden one (None) is shown as "hidden"; put
    `{% small_cells_legend %}` under the table."""
    if n is None:
        return format_html('<span class="suppressed">{}</span>', _("hidden"))
    return n


@register.filter
def cell_text(n: object) -> object:
    """`cell` as plain text, for an attribute (aria-label, title)."""
    return _("hidden") if n is None else n


@register.simple_tag
def small_cells_legend() -> str:
    """The footnote under a table or chart with hidden counts."""
    return format_html(
        '<p class="muted small-cells">{}</p>',
        _(
            "Hidden: counts of 1 to %(n)d people are not shown, nor a number from which such a "
            "count could be worked out."
        )
        % {"n": smallcells.THRESHOLD - 1},
    )


@register.filter
def percent(share: float | None) -> str:
    """A share from 0 to 1 as a whole per cent in the language's style ("21 %"), "–" when
    there is none: the one way a page writes a share."""
    if share is None:
        return "–"
    return f"{formats.number_format(round(float(share) * 100))}\u00a0%"


@register.simple_tag
def bar(share: float | None) -> str:
    """A bar for a share from 0 to 1, in a track of fixed width. The width is written with a
    decimal point in every language: a template's own number would get the language's decimal
    comma ("0,211"), which CSS does not read, and the bar would not draw."""
    if share is None:
        return ""
    width = max(0.0, min(1.0, float(share))) * 100
    return format_html(
        '<span class="bar" aria-hidden="true"><span style="width: {}%"></span></span>',
        f"{width:.1f}",
    )
