"""Who may see the insights: leaders and administrators of the organisation (counts and
estimates only, never a person)."""

from typing import Any

from samspill.organisations.models import Membership
from samspill.organisations.queries import membership_for_user


def insights_membership(user: Any) -> Membership | None:
    membership = membership_for_user(user)
    if membership is None or membership.role not in (
        Membership.Role.LEADER,
        Membership.Role.ADMIN,
    ):
        return None
    return membership
