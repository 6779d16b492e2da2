"""`{% agreement_measures placement.kind as found %}`: the measures an agreement of this kind
uses, for the staff agreement page's link to the catalogue. Reads no database: a kind belongs
to one country's catalogue, so the country's names are shown."""

from django import template

from samspill.placements.measures import CATALOGUE, Measure

register = template.Library()


@register.simple_tag
def agreement_measures(kind: str) -> list[Measure]:
    return [m for measures in CATALOGUE.values() for m in measures if kind in m.kinds]
