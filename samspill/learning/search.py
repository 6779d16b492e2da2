"""The library's search results, a page at a time, fast for a word that is in most methods.

Counting every match of a broad word (one that is in thousands of methods) is what made a
search slow (bench/library_search.py): the count stops at COUNT_CAP + 1, and a total above
COUNT_CAP reads "more than 200 methods". The page itself is the first rows in title order,
which PostgreSQL reads from the title index, stopping at the LIMIT, when the word is broad,
and from the full-text index when it is narrow.
"""

from functools import cached_property
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet

from samspill.learning.models import Method
from samspill.learning.queries import method_search

COUNT_CAP = 200


def capped_count(methods: QuerySet[Method]) -> tuple[int, bool]:
    """(count, more): the number of matches up to COUNT_CAP, and whether there are more."""
    n = methods.order_by().values("pk")[: COUNT_CAP + 1].count()
    return min(n, COUNT_CAP), n > COUNT_CAP


class CappedPaginator(Paginator):
    """A paginator whose count stops at COUNT_CAP (`more` says there are more): the pages
    reach the first COUNT_CAP matches; a narrower search finds the rest."""

    more = False

    @cached_property
    def count(self) -> int:
        n, self.more = capped_count(self.object_list)  # type: ignore[arg-type]
        return n


def results(methods: QuerySet[Method], text: str, country: str) -> QuerySet[Method]:
    """The methods that match `text`, in title order, with what a list shows."""
    return (
        method_search(methods, text, country)
        .select_related("organisation", "published")
        .order_by("title", "id")
    )


def page(methods: QuerySet[Method], *, offset: int, limit: int) -> dict[str, Any]:
    """`{"count", "more", "items"}` for the API: the count capped as on the page."""
    count, more = capped_count(methods)
    items = list(methods[offset : min(offset + limit, count)]) if offset < count else []
    return {"count": count, "more": more, "items": items}
