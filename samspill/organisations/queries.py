from typing import Any

from django.db.models import Count, F, Q, QuerySet

from samspill.accounts.models import ApiToken
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


def staff_list(organisation_id: int, q: str = "") -> QuerySet[Membership]:
    """The organisation's staff (active first, then by name), searched by name or e-mail."""
    memberships = Membership.objects.filter(organisation_id=organisation_id).select_related(
        "user", "team"
    )
    q = q.strip()
    if q:
        memberships = memberships.filter(
            Q(user__full_name__icontains=q) | Q(user__email__icontains=q)
        )
    return memberships.order_by("-is_active", "user__full_name", "pk")


def teams_with_counts(organisation_id: int) -> QuerySet[Team]:
    """The organisation's teams, each with how many active staff are in it."""
    return (
        Team.objects.filter(organisation_id=organisation_id)
        .annotate(active_members=Count("memberships", filter=Q(memberships__is_active=True)))
        .order_by("name")
    )


def active_staff(organisation_id: int) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation_id=organisation_id, is_active=True)
        .select_related("user")
        .order_by("user__full_name")
    )


def tokens_of_organisation(organisation_id: int) -> QuerySet[ApiToken]:
    """API tokens of the organisation's active staff, newest first (live ones before revoked)."""
    return (
        ApiToken.objects.filter(
            user__memberships__organisation_id=organisation_id,
            user__memberships__is_active=True,
        )
        .select_related("user")
        .order_by(F("revoked_at").desc(nulls_first=True), "-created_at", "-pk")
    )
