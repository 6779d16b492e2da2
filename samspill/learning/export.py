"""A staff member's own learning record, whole, for their data export (issue 20): their
learning goals and the follow-up conversations about them, their reflections, the sparring
cases they asked for and the answers they wrote, the peer feedback about them and by them, and
their attendance. Other rows that merely name them (a colleague's case they answered) stay as
keys and times, like the rest of the staff export."""

from collections import defaultdict
from typing import Any

from django.db import models
from django.db.models import Q

from samspill.learning.models import (
    GoalReview,
    LearningGoal,
    PeerFeedback,
    Reflection,
    SessionAttendance,
    SparringCase,
    SparringResponse,
)


def learning_record(user: Any) -> dict[type[models.Model], dict[Any, models.Model]]:
    querysets: list[models.QuerySet[Any]] = [
        LearningGoal.objects.filter(owner=user),
        GoalReview.objects.filter(goal__owner=user),
        Reflection.objects.filter(author=user),
        SparringCase.objects.filter(asked_by=user),
        SparringResponse.objects.filter(author=user),
        PeerFeedback.objects.filter(Q(observed=user) | Q(observer=user)),
        SessionAttendance.objects.filter(user=user),
    ]
    rows: dict[type[models.Model], dict[Any, models.Model]] = defaultdict(dict)
    for queryset in querysets:
        for obj in queryset.order_by("pk"):
            rows[type(obj)][obj.pk] = obj
    return rows
