"""Belief answers are staff reflection: the participant's counselor and leaders see them;
team colleagues, employers, mentors and the participant never do."""

from typing import Any

from samspill.participants.models import Participant
from samspill.participants.permissions import Relationship, relationship_to


def can_see_belief(user: Any, participant: Participant) -> bool:
    return relationship_to(user, participant) in (Relationship.COUNSELOR, Relationship.LEADER)


def can_record_checkin(user: Any, participant: Participant) -> bool:
    """Only the participant's own counselor answers the belief question."""
    return relationship_to(user, participant) == Relationship.COUNSELOR
