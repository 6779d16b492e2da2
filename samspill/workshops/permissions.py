"""Who sees what of a workshop (least access).

- Staff who follow participants in the organisation see its workshops; others get 403, and a
  workshop of another organisation is not found (404).
- The facilitator (and a leader) runs it: the whole roster, sessions, attendance.
- Anyone else sees only the enrolled participants they may see anyway
  (Participant.objects.visible_to): a counselor sees their own participants on the roster."""

from typing import Any

from django.db.models import QuerySet

from samspill.organisations.queries import membership_for_user
from samspill.participants.models import Participant
from samspill.workshops.models import Enrolment, Workshop


def workshops_for(user: Any) -> QuerySet[Workshop] | None:
    """The workshops `user` may open, or None when they are not staff who follow people."""
    membership = membership_for_user(user)
    if membership is None or not membership.follows_participants:
        return None
    return Workshop.objects.filter(organisation_id=membership.organisation_id)


def sees(user: Any, workshop: Workshop) -> bool:
    found = workshops_for(user)
    return found is not None and found.filter(pk=workshop.pk).exists()


def runs(user: Any, workshop: Workshop) -> bool:
    membership = membership_for_user(user)
    if membership is None or membership.organisation_id != workshop.organisation_id:
        return False
    return workshop.facilitator_id == user.pk or membership.is_leader


def roster(user: Any, workshop: Workshop) -> QuerySet[Enrolment]:
    enrolments = Enrolment.objects.filter(workshop=workshop).select_related("participant")
    if runs(user, workshop):
        return enrolments
    return enrolments.filter(participant__in=Participant.objects.visible_to(user))


def may_write_profile(user: Any, enrolment: Enrolment) -> bool:
    return runs(user, enrolment.workshop) or (
        sees(user, enrolment.workshop)
        and Participant.objects.visible_to(user).filter(pk=enrolment.participant_id).exists()
    )
