"""Who sees and does what in the learning organisation.

- Every active staff member (counselor, coordinator, leader, administrator) reads the published
  methods of their own organisation and those shared with a network their organisation is in.
  A draft is seen only by its own organisation's platform mentors.
- Platform mentors (appointed by a leader or an administrator) write, publish and share their
  organisation's methods, and adopt a copy of a method another member of a network shares.
- An administrator creates and joins networks; networks share methods, never a person.
- A learning goal is its owner's. Leaders of the owner's organisation see the goals and hold
  the follow-up conversations (each read logged); colleagues do not see them.
- Portal users (mentors at workplaces, participants) and users without a membership get 403;
  another organisation's goal or unshared method is a 404.
"""

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from samspill.learning.models import LearningGoal, Method, NetworkMembership, PlatformMentor
from samspill.organisations.models import Membership
from samspill.organisations.queries import membership_for_user


def _membership_and_mentor(user: Any) -> None:
    """Read the user's membership and whether they are a platform mentor in one query, and
    keep both where `membership_for_user` and `is_platform_mentor` look: every learning page
    asks both, and a round trip to the database is what a loaded machine makes slow."""
    mentor = PlatformMentor.objects.filter(
        user_id=OuterRef("user_id"), organisation_id=OuterRef("organisation_id")
    )
    membership = (
        Membership.objects.select_related("organisation", "team")
        .filter(user=user, is_active=True)
        .annotate(learning_mentor=Exists(mentor))
        .first()
    )
    user._samspill_membership = membership
    user._learning_mentor = (
        membership.organisation_id
        if membership is not None and membership.learning_mentor
        else None
    )


def staff_membership(user: Any) -> Membership | None:
    if getattr(user, "is_authenticated", False) and not hasattr(user, "_samspill_membership"):
        _membership_and_mentor(user)
    membership = membership_for_user(user)
    if membership is None or not membership.is_active:
        return None
    return membership


def is_platform_mentor(user: Any, organisation_id: int) -> bool:
    if hasattr(user, "_learning_mentor"):
        return bool(user._learning_mentor == organisation_id)
    mentor = PlatformMentor.objects.filter(
        user_id=user.pk, organisation_id=organisation_id
    ).exists()
    user._learning_mentor = organisation_id if mentor else None
    return mentor


def forget_mentor(user: Any) -> None:
    """After an appointment or removal: the user's next check reads the database again."""
    if hasattr(user, "_learning_mentor"):
        del user._learning_mentor


def may_appoint_mentors(membership: Membership) -> bool:
    return membership.role in {Membership.Role.LEADER, Membership.Role.ADMIN}


def network_ids(organisation_id: int) -> QuerySet[NetworkMembership, int]:
    return NetworkMembership.objects.filter(organisation_id=organisation_id).values_list(
        "network_id", flat=True
    )


def methods_visible_to(user: Any) -> QuerySet[Method]:
    """The one door to methods: own organisation's published ones (drafts too for platform
    mentors) and those shared with the organisation's networks."""
    membership = staff_membership(user)
    if membership is None:
        return Method.objects.none()
    org_id = membership.organisation_id
    own = Q(organisation_id=org_id)
    if not is_platform_mentor(user, org_id):
        own &= Q(published__isnull=False)
    shared = Q(shared_with__in=network_ids(org_id), published__isnull=False)
    return Method.objects.filter(own | shared)


def may_edit_method(user: Any, method: Method) -> bool:
    return is_platform_mentor(user, method.organisation_id)


def goals_visible_to(user: Any) -> QuerySet[LearningGoal]:
    """A staff member's own goals; for a leader, every goal in their organisation."""
    membership = staff_membership(user)
    if membership is None:
        return LearningGoal.objects.none()
    if membership.role == Membership.Role.LEADER:
        return LearningGoal.objects.filter(organisation_id=membership.organisation_id)
    return LearningGoal.objects.filter(owner_id=user.pk, organisation_id=membership.organisation_id)
