"""What employer contacts and mentors may see: the one door of the portal.

- A portal user is an `EmployerContact` with a user account, or a participant with their own
  login (by invitation only). A participant sees only their own placements.
- They see placements at their employer: a mentor those they mentor, a contact who is not a
  mentor every placement at the employer, and only while the placement runs or has ended
  within the last 30 days (`RECENTLY_ENDED`: time to approve the certificate and read the
  final evaluation). A cancelled placement is gone at once. Outside these a placement is a 404
  for reading and for every write (note, concern, approval, certificate).
- A participant with their own login sees their own placements, ended ones too (the
  evaluations and the certificate are theirs to keep), but not a cancelled one.
- Nobody sees any participant data without a signed confidentiality declaration.
- Of the participant, only what the participant has consented to share with the workplace,
  checked at every request (withdrawing consent hides it at once): name and contact details,
  goals, and the accommodations written to be shared. Never health details (`needs`), belief
  check-ins or notes.
"""

import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from samspill.employers.models import EmployerContact
from samspill.participants.models import Participant
from samspill.participants.sharing import Shared, shared_with_workplace
from samspill.placements.models import Placement

# How long an ended placement stays in the workplace's portal after its end date.
RECENTLY_ENDED = datetime.timedelta(days=30)


__all__ = ["Shared", "shared_with_workplace"]  # the workplace's sharing rule, used here


class Relationship:
    MENTOR = "portal:mentor"
    EMPLOYER_CONTACT = "portal:employer_contact"
    SELF = "portal:self"


def portal_contact(user: Any) -> EmployerContact | None:
    """The user's employer contact record when they may use the portal, else None."""
    if not getattr(user, "is_authenticated", False):
        return None
    if hasattr(user, "_samspill_portal_contact"):
        cached: EmployerContact | None = user._samspill_portal_contact
        return cached
    contact = (
        EmployerContact.objects.select_related("employer", "employer__contact_person")
        .filter(user_id=user.pk, is_active=True)
        .first()
    )
    user._samspill_portal_contact = contact
    return contact


def portal_participant(user: Any) -> Participant | None:
    """The participant record whose own login this is, else None. A participant sees their
    own placements: agreements, follow-up dates, evaluations and certificates."""
    if not getattr(user, "is_authenticated", False):
        return None
    if hasattr(user, "_samspill_portal_participant"):
        cached: Participant | None = user._samspill_portal_participant
        return cached
    participant = (
        Participant.objects.select_related("organisation", "counselor")
        .filter(portal_user_id=user.pk)
        .first()
    )
    user._samspill_portal_participant = participant
    return participant


def portal_placements(user: Any) -> QuerySet[Placement]:
    """The placements an employer contact or mentor may see and write to: not cancelled, and
    running or ended within `RECENTLY_ENDED`."""
    contact = portal_contact(user)
    if contact is None or not contact.has_declaration:
        return Placement.objects.none()
    since = timezone.localdate() - RECENTLY_ENDED
    current = Q(end_date__isnull=True) | Q(end_date__gte=since)
    mine = Q(mentor_id=contact.pk) if contact.is_mentor else Q(employer_id=contact.employer_id)
    return Placement.objects.filter(
        mine & current, employer_id=contact.employer_id, cancelled_at__isnull=True
    )


def own_placements(participant: Participant) -> QuerySet[Placement]:
    """The placements a participant sees with their own login: all but the cancelled ones."""
    return Placement.objects.filter(participant=participant, cancelled_at__isnull=True)


def relationship(contact: EmployerContact, placement: Placement) -> str:
    return (
        Relationship.MENTOR if placement.mentor_id == contact.pk else Relationship.EMPLOYER_CONTACT
    )
