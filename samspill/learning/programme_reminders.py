"""The learning app's reminders, run by followup's daily reminder run (registered in
LearningConfig.ready) and e-mailed in its one digest a day, as counts:

- a reflection's look-back day has come and its author has not looked back yet;
- a learning goal's next review has come: to its owner, and to the leader who holds the
  follow-up conversation (the leader of the last conversation while they still lead in the
  organisation, otherwise every active leader there).

Keys carry the object and the due day, so running twice makes nothing twice, and a new review
date makes a new reminder.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Exists, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from samspill.followup.models import Reminder
from samspill.learning.models import GoalReview, LearningGoal, Reflection
from samspill.organisations.models import Membership

LOOK_BACK = "learning_look_back"
GOAL_REVIEW = "learning_review"
CONVERSATION = "learning_followup"
LABELS = {
    LOOK_BACK: _("Reflection to look back on"),
    GOAL_REVIEW: _("Review of your learning goal due"),
    CONVERSATION: _("Follow-up conversation about a learning goal due"),
}
WHERE = _("Reflections and learning goals are under Learning in Samspill.")
BATCH = 5000


def learning_reminders(today: datetime.date) -> Iterator[Reminder]:
    author_works_there = Membership.objects.filter(
        user_id=OuterRef("author_id"),
        organisation_id=OuterRef("session__module__programme__organisation_id"),
        is_active=True,
    )
    look_backs = (
        Reflection.objects.filter(look_back_on__lte=today, looked_back_at__isnull=True)
        .filter(Exists(author_works_there))
        .values_list("id", "author_id", "look_back_on")
    )
    for reflection_id, user_id, due_on in look_backs.iterator(chunk_size=BATCH):
        yield Reminder(
            user_id=user_id,
            kind=LOOK_BACK,
            key=f"{LOOK_BACK}:{reflection_id}:{due_on.isoformat()}",
            due_on=due_on,
        )
    active_owner = Membership.objects.filter(
        user_id=OuterRef("owner_id"), organisation_id=OuterRef("organisation_id"), is_active=True
    )
    last_leader = GoalReview.objects.filter(goal_id=OuterRef("pk")).order_by("-held_on", "-id")
    goals = (
        LearningGoal.objects.filter(status=LearningGoal.Status.ACTIVE, next_review_on__lte=today)
        .filter(Exists(active_owner))
        .annotate(last_leader=Subquery(last_leader.values("leader_id")[:1]))
        .values_list("id", "owner_id", "organisation_id", "next_review_on", "last_leader")
    )
    leaders: dict[int, set[int]] = defaultdict(set)
    for user_id, leader_org in Membership.objects.filter(
        role=Membership.Role.LEADER, is_active=True
    ).values_list("user_id", "organisation_id"):
        leaders[leader_org].add(user_id)
    for goal_id, owner_id, org_id, review_on, last in goals.iterator(chunk_size=BATCH):
        assert review_on is not None  # filtered on next_review_on__lte
        key = f"{GOAL_REVIEW}:{goal_id}:{review_on.isoformat()}"
        yield Reminder(user_id=owner_id, kind=GOAL_REVIEW, key=key, due_on=review_on)
        in_org = leaders[org_id] - {owner_id}
        for leader_id in [last] if last in in_org else sorted(in_org):
            yield Reminder(
                user_id=leader_id,
                kind=CONVERSATION,
                key=f"{CONVERSATION}:{goal_id}:{review_on.isoformat()}",
                due_on=review_on,
            )
