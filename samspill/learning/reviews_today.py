"""The Today page's list of learning-goal reviews due, from this app (followup is lower than
learning and must not import it, so it is registered in LearningConfig.ready).

A leader sees the follow-up conversations due with their organisation's staff and their own
goals' reviews; anyone else their own goals' reviews. Only the goal, its owner and the review
date are shown: never notes of earlier conversations or reflections. A leader's list of other
people's goals is a read of their learning records, logged as the team page logs it.
"""

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from samspill.followup import today
from samspill.learning.models import LearningGoal, StaffRecordRead
from samspill.organisations.models import Membership

# A review is listed this many days before it falls due, and until it is held.
REVIEW_NOTICE_DAYS = 7


def reviews_due(user: Any, membership: Membership, day: datetime.date) -> QuerySet[LearningGoal]:
    """Active goals whose next review is due within REVIEW_NOTICE_DAYS or overdue, in the
    user's organisation: every staff member's for a leader, otherwise the user's own."""
    goals = LearningGoal.objects.filter(
        organisation_id=membership.organisation_id,
        status=LearningGoal.Status.ACTIVE,
        next_review_on__lte=day + datetime.timedelta(days=REVIEW_NOTICE_DAYS),
    )
    if not membership.is_active:
        return goals.none()
    if membership.role != Membership.Role.LEADER:
        goals = goals.filter(owner_id=user.pk)
    return goals.order_by("next_review_on", "id")


def _rows(user: Any, membership: Membership, day: datetime.date) -> QuerySet[LearningGoal]:
    return (
        reviews_due(user, membership, day)
        .select_related("owner")
        .only("goal", "next_review_on", "owner_id", "owner__full_name")
    )


def _log(items: list[Any], membership: Membership) -> None:
    """Other people's goals on a leader's list: a read of their learning records. Nothing is
    written (no transaction opened: BEGIN and COMMIT were two round trips of every Today page)
    when every goal shown is the reader's own."""
    others = sorted({goal.owner_id for goal in items} - {membership.user_id})
    if others:
        StaffRecordRead.objects.bulk_create(
            StaffRecordRead(
                reader_id=membership.user_id,
                subject_id=owner_id,
                organisation_id=membership.organisation_id,
                what="today:learning_reviews",
            )
            for owner_id in others
        )


SECTION = today.Section(
    "learning-reviews",
    _("Learning-goal reviews due"),
    _("No reviews due."),
    _rows,
    prepare=_log,
    template_name="learning/today_reviews.html",
)


def register() -> None:
    today.section_register(SECTION, after="statuses")
