"""Reads for sparring, peer feedback and supervision groups: the doors, and the case labels.

- A sparring case is seen by its asker, the one asked, and the members (and facilitator) of
  the group asked; nobody else, leaders included (they see counts in "Does sparring help?").
- Peer feedback is seen by the one observed (it is theirs) and its author.
- A supervision group is seen by its members, and by the leaders and platform mentors of its
  organisation, who make and run groups; a session's notes only by the members.
- A case names its participant only to those who may read that participant
  (`Participant.objects.visible_to`); everybody else sees the case reference.
Another organisation's case, feedback or group is outside every door: a 404.
"""

from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from samspill.learning.models import (
    PeerFeedback,
    SparringCase,
    StaffRecordRead,
    SupervisionGroup,
    SupervisionMember,
)
from samspill.learning.permissions import is_platform_mentor, staff_membership
from samspill.organisations.models import Membership
from samspill.participants.models import Participant


def my_group_ids(user: Any) -> QuerySet[SupervisionMember, int]:
    return SupervisionMember.objects.filter(user_id=user.pk).values_list("group_id", flat=True)


def cases_visible_to(user: Any) -> QuerySet[SparringCase]:
    membership = staff_membership(user)
    if membership is None:
        return SparringCase.objects.none()
    return SparringCase.objects.filter(
        Q(asked_by_id=user.pk) | Q(asked_id=user.pk) | Q(group_id__in=my_group_ids(user)),
        organisation_id=membership.organisation_id,
    )


def feedback_visible_to(user: Any) -> QuerySet[PeerFeedback]:
    membership = staff_membership(user)
    if membership is None:
        return PeerFeedback.objects.none()
    return PeerFeedback.objects.filter(
        Q(observed_id=user.pk) | Q(observer_id=user.pk),
        organisation_id=membership.organisation_id,
    )


def groups_visible_to(user: Any) -> QuerySet[SupervisionGroup]:
    membership = staff_membership(user)
    if membership is None:
        return SupervisionGroup.objects.none()
    org_id = membership.organisation_id
    groups = SupervisionGroup.objects.filter(organisation_id=org_id)
    if membership.role == Membership.Role.LEADER or is_platform_mentor(user, org_id):
        return groups
    return groups.filter(Q(pk__in=my_group_ids(user)) | Q(facilitator_id=user.pk))


def with_names(cases: QuerySet[SparringCase], user: Any) -> QuerySet[SparringCase]:
    """Annotate `shows_participant`: whether `user` may read the case's participant, through
    the one door, in the same query. Templates name the participant only where it is set."""
    return cases.annotate(
        shows_participant=Exists(
            Participant.objects.visible_to(user).filter(pk=OuterRef("participant_id"))
        )
    )


def log_reads(reader_id: int, subject_ids: Iterable[int], organisation_id: int, what: str) -> None:
    """A read of other people's sparring or feedback records (not the reader's own): one
    insert, none when every record shown is the reader's."""
    rows = [
        StaffRecordRead(
            reader_id=reader_id, subject_id=subject_id, organisation_id=organisation_id, what=what
        )
        for subject_id in sorted(set(subject_ids))
        if subject_id != reader_id
    ]
    if rows:
        StaffRecordRead.objects.bulk_create(rows)


def open_for(user: Any) -> QuerySet[SparringCase]:
    """Cases that wait on the user or that the user asked and are not closed: the Today list."""
    return (
        with_names(cases_visible_to(user), user)
        .exclude(status=SparringCase.Status.CLOSED)
        .select_related("participant", "asked_by", "asked", "group")
        .order_by("created_at", "id")
    )
