"""Who may see and change which employer.

Employers are business data shared across the organisation: every staff member who works with
participants (counselor, coordinator/driver, leader) sees and maintains the organisation's
employer base. Administrators manage staff and settings only; people from other organisations
and portal users (employer contacts, mentors) see nothing here: another organisation's employer
is a 404.
"""

from typing import Any

from django.db.models import Q

from samspill.organisations.queries import membership_for_user

NOTHING = Q(pk__in=[])


def employer_scope(user: Any) -> Q:
    membership = membership_for_user(user)
    if membership is None or not membership.follows_participants:
        return NOTHING
    return Q(organisation_id=membership.organisation_id)


def can_use_employer_base(user: Any) -> bool:
    membership = membership_for_user(user)
    return membership is not None and membership.follows_participants


def coordination_scope(user: Any) -> Q:
    """Coordinator meeting series and employer events (models_coordination): the same staff as
    the employer base, their own organisation's only."""
    return employer_scope(user)
