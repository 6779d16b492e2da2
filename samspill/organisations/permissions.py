"""Who may administer an organisation: its own active administrators, and nobody else.

- Only a membership with role ADMIN reaches the organisation's pages (staff, teams, API tokens,
  settings); every other role, a portal user and a user without a membership get a 403.
- An administrator finds only their own organisation's memberships, teams and tokens: another
  organisation's object is a 404, never a 403, so that nobody learns it exists.
- An administrator reads no case records (participants/permissions.py keeps them out).
- Platform operators (Django admin) are not an organisation's administrators.
"""

from typing import Any

from django.db.models import QuerySet

from samspill.accounts.models import ApiToken
from samspill.organisations.models import Membership, Team
from samspill.organisations.queries import membership_for_user


def admin_membership(user: Any) -> Membership | None:
    """The user's active administrator membership, or None."""
    membership = membership_for_user(user)
    if membership is None or membership.role != Membership.Role.ADMIN:
        return None
    return membership


def memberships_administered_by(admin: Membership) -> QuerySet[Membership]:
    return Membership.objects.filter(organisation_id=admin.organisation_id)


def teams_administered_by(admin: Membership) -> QuerySet[Team]:
    return Team.objects.filter(organisation_id=admin.organisation_id)


def tokens_administered_by(admin: Membership) -> QuerySet[ApiToken]:
    """Tokens of the users whose active membership is in the administrator's organisation."""
    return ApiToken.objects.filter(
        user__memberships__organisation_id=admin.organisation_id,
        user__memberships__is_active=True,
    )
