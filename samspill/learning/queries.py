"""Reads for the learning pages."""

from typing import Any

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from samspill.learning.models import LearningGoal, Method
from samspill.organisations.models import Organisation

# Full-text configurations by the organisation's country (fixed names, never user input).
SEARCH_CONFIG: dict[str, str] = {
    Organisation.Country.NORWAY: "norwegian",
    Organisation.Country.DENMARK: "danish",
}


def method_search(methods: QuerySet[Method], text: str, country: str) -> QuerySet[Method]:
    """Methods whose published text matches `text`: PostgreSQL full-text search (the
    reader's language and the other configured ones, over the stored vectors' one index),
    words on SQLite."""
    text = text.strip()
    if not text:
        return methods
    if connection.vendor == "postgresql":
        # Each method's vector is in its own organisation's language, and a network shares
        # methods across languages: the words are looked for in the reader's language and in
        # the others (both use the same index).
        own = SEARCH_CONFIG.get(country, "norwegian")
        found = Q()
        for config in dict.fromkeys([own, *SEARCH_CONFIG.values()]):
            found |= Q(search_vector=SearchQuery(text, config=config, search_type="websearch"))
        return methods.filter(found)
    query = Q()
    for word in text.split()[:8]:
        query &= Q(search_text__icontains=word)
    return methods.filter(query)


def goals_for_owner(user: Any) -> QuerySet[LearningGoal]:
    return (
        LearningGoal.objects.filter(owner=user)
        .annotate(review_count=Count("reviews"))
        .order_by("status", "target_date", "id")
    )


def team_goals(goals: QuerySet[LearningGoal]) -> QuerySet[LearningGoal]:
    return goals.select_related("owner").order_by("owner__full_name", "status", "id")


def goal_counts(goals: QuerySet[LearningGoal]) -> dict[str, int]:
    today = timezone.localdate()
    return goals.aggregate(
        active=Count("id", filter=Q(status=LearningGoal.Status.ACTIVE)),
        reached=Count("id", filter=Q(status=LearningGoal.Status.REACHED)),
        dropped=Count("id", filter=Q(status=LearningGoal.Status.DROPPED)),
        overdue=Count(
            "id",
            filter=Q(status=LearningGoal.Status.ACTIVE, next_review_on__lt=today),
        ),
    )
