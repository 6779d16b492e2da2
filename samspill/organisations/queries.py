from typing import Any

from django.db.models import QuerySet

from samspill.organisations.models import Membership, Team


def membership_for_user(user: Any) -> Membership | None:
    """The user's active membership with its organisation and team, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    if hasattr(user, "_samspill_membership"):
        cached: Membership | None = user._samspill_membership
        return cached
    membership = (
        Membership.objects.select_related("organisation", "team")
        .filter(user=user, is_active=True)
        .first()
    )
    user._samspill_membership = membership
    return membership


def teams_for_organisation(organisation_id: int) -> list[Team]:
    return list(Team.objects.filter(organisation_id=organisation_id).order_by("name"))


def staff_who_follow(organisation_id: int) -> QuerySet[Membership]:
    """Active staff who can be a participant's counselor, by name."""
    return (
        Membership.objects.filter(
            organisation_id=organisation_id,
            is_active=True,
            role__in=[
                Membership.Role.COUNSELOR,
                Membership.Role.COORDINATOR,
                Membership.Role.LEADER,
            ],
        )
        .select_related("user", "team")
        .order_by("user__full_name")
    )
