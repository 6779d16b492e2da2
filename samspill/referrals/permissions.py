"""Who may see and change which referral. The one door for referral visibility.

Referrals hold personal data of people who are not participants (yet), so the rules are
narrow:
- a leader or a coordinator sees every referral of their organisation;
- a counselor sees the referrals they take, and the unassigned ones of their organisation
  (someone has to pick those up);
- an administrator sees none (least access), and nobody sees another organisation's referrals:
  such a record is a 404, never a 403;
- the statistics (counts only) are for leaders and coordinators.
"""

from typing import Any

from django.db.models import Q

from samspill.organisations.models import Membership
from samspill.organisations.queries import membership_for_user
from samspill.referrals.models import Referral

NOTHING = Q(pk__in=[])
SEES_ALL = (Membership.Role.LEADER, Membership.Role.COORDINATOR)


class Relationship:
    """Why a user may read a referral; written to the access log."""

    TAKER = "taker"
    UNASSIGNED = "unassigned"
    LEADER = "leader"
    COORDINATOR = "coordinator"


def uses_referrals(membership: Membership | None) -> bool:
    """Roles with any access to referrals (the others get a 403 on the list pages)."""
    return (
        bool(membership)
        and membership is not None
        and membership.role in (*SEES_ALL, Membership.Role.COUNSELOR)
    )


def sees_statistics(membership: Membership | None) -> bool:
    return bool(membership) and membership is not None and membership.role in SEES_ALL


def referral_scope(user: Any) -> Q:
    membership = membership_for_user(user)
    if not uses_referrals(membership):
        return NOTHING
    assert membership is not None
    in_org = Q(organisation_id=membership.organisation_id)
    if membership.role in SEES_ALL:
        return in_org
    return in_org & (Q(taken_by_id=user.pk) | Q(taken_by__isnull=True))


def relationship_to(user: Any, referral: Referral) -> str | None:
    """The relationship that lets `user` read `referral`, or None (as `referral_scope`)."""
    membership = membership_for_user(user)
    if not uses_referrals(membership):
        return None
    assert membership is not None
    if membership.organisation_id != referral.organisation_id:
        return None
    if referral.taken_by_id is not None and referral.taken_by_id == user.pk:
        return Relationship.TAKER
    if membership.role == Membership.Role.LEADER:
        return Relationship.LEADER
    if membership.role == Membership.Role.COORDINATOR:
        return Relationship.COORDINATOR
    if referral.taken_by_id is None:
        return Relationship.UNASSIGNED
    return None
