"""The library's search results, a page at a time, fast for a word that is in most methods.

Counting every match of a broad word (one that is in thousands of methods) and sorting them
all by title is what made a search slow (bench/library_search.py). Now the count stops at
COUNT_CAP (a total above it reads "more than 200 methods"), and the page is read either by the
ids of the few matches or, for a broad word, in title order from the title index (migration
0005), which stops after its 25 rows. The wide search columns are never read for a list.
"""

from functools import cached_property
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet

from samspill.learning.models import Method
from samspill.learning.queries import method_search

COUNT_CAP = 200
LIST_FIELDS = (
    "id",
    "title",
    "organisation_id",
    "published_id",
    "organisation__name",
    "published__number",
    "published__purpose",
)


def narrowed(methods: QuerySet[Method]) -> tuple[QuerySet[Method], int, bool]:
    """(the methods to page through, count, more). One query reads the ids of the first
    COUNT_CAP + 1 matches (from the full-text index). Up to COUNT_CAP matches, the page is read
    by those ids; beyond it (a broad word) from the title index, which finds 25 matches at once
    (the planner cannot tell the two apart from its estimates alone)."""
    ids = list(methods.order_by().values_list("pk", flat=True)[: COUNT_CAP + 1])
    if len(ids) > COUNT_CAP:
        return methods, COUNT_CAP, True
    return methods.filter(pk__in=ids), len(ids), False


class CappedPaginator(Paginator):
    """A paginator whose count stops at COUNT_CAP (`more` says there are more): the pages
    reach the first COUNT_CAP matches; a narrower search finds the rest."""

    more = False

    @cached_property
    def count(self) -> int:
        self.object_list, n, self.more = narrowed(self.object_list)  # type: ignore[arg-type]
        return n


def results(methods: QuerySet[Method], text: str, country: str) -> QuerySet[Method]:
    """The methods that match `text`, in title order, with what a list shows."""
    return (
        method_search(methods, text, country)
        .select_related("organisation", "published")
        # What a list shows and no more: the wide search columns and the version's long
        # texts are never read for a list.
        .only(*LIST_FIELDS)
        .order_by("title", "id")
    )


def page(methods: QuerySet[Method], *, offset: int, limit: int) -> dict[str, Any]:
    """`{"count", "more", "items"}` for the API: the count capped as on the page."""
    methods, count, more = narrowed(methods)
    items = list(methods[offset : min(offset + limit, count)]) if offset < count else []
    return {"count": count, "more": more, "items": items}
