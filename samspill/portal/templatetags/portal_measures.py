"""`{% measures_of_kind placement.kind as found %}`: the measures an agreement of this kind uses,
for a link from the agreement to the catalogue. Reads no database: a kind belongs to one
country's catalogue (Danish kinds only to Denmark's), so the country's wording is shown."""

from django import template

from samspill.placements.measures import CATALOGUE, Measure

register = template.Library()


@register.simple_tag
def measures_of_kind(kind: str) -> list[Measure]:
    return [m for measures in CATALOGUE.values() for m in measures if kind in m.kinds]
