"""Reads of placements for staff."""

from typing import Any

from django.db.models import Q, QuerySet

from samspill.participants.models import Participant
from samspill.placements.models import Concern, MentorNote, Placement


def open_concerns_for(user: Any) -> QuerySet[Concern]:
    """Unhandled concerns about the user's participants or at employers the user is the contact
    person for (and in the user's organisation)."""
    return (
        Concern.objects.filter(handled_at__isnull=True)
        .filter(
            Q(placement__participant__counselor_id=user.pk)
            | Q(placement__employer__contact_person_id=user.pk)
        )
        .select_related("placement__participant", "placement__employer", "raised_by")
        .order_by("created_at", "id")
    )


def concern_for_staff(user: Any, pk: int) -> Concern | None:
    """A concern the user may handle: about a participant they may see, or at an employer they
    are the contact person for."""
    visible = Q(placement__participant__in=Participant.objects.visible_to(user).values("pk")) | Q(
        placement__employer__contact_person_id=user.pk
    )
    return (
        Concern.objects.filter(visible, pk=pk)
        .select_related("placement__participant", "placement__employer")
        .first()
    )


def placements_for_participant(participant_id: int) -> list[Placement]:
    return list(
        Placement.objects.filter(participant_id=participant_id)
        .select_related("employer", "employer__contact_person", "mentor")
        .order_by("-start_date", "-id")[:20]
    )


def workplace_messages(participant_id: int) -> tuple[list[MentorNote], list[Concern]]:
    """The latest notes and all open concerns from the participant's workplaces."""
    notes = list(
        MentorNote.objects.filter(placement__participant_id=participant_id)
        .select_related("author", "placement")
        .order_by("-created_at", "-id")[:10]
    )
    concerns = list(
        Concern.objects.filter(placement__participant_id=participant_id, handled_at__isnull=True)
        .select_related("raised_by", "placement")
        .order_by("-created_at", "-id")[:20]
    )
    return notes, concerns
