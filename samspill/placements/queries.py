"""Reads of placements for staff."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from samspill.core import smallcells
from samspill.core.smallcells import Cell
from samspill.employers.models import EmployerContact
from samspill.organisations.queries import membership_for_user
from samspill.participants.models import WORK_OR_EDUCATION, Participant, PeriodOutcome
from samspill.participants.permissions import whole_organisation_scope
from samspill.participants.sharing import shared_with_workplace
from samspill.placements.models import (
    AgreementApproval,
    AgreementVersion,
    Certificate,
    Challenge,
    Concern,
    Evaluation,
    ExpectationMeeting,
    FollowUp,
    MentorNote,
    Placement,
)


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


def placements_visible_to(user: Any) -> QuerySet[Placement]:
    """Placements of participants the user may see (the participant door), for lists.

    Asked branch by branch of the door (`participant IN (own) OR participant IN (team's)`):
    each branch's participant ids come from an index alone, so a counselor who sees a team of
    12,000 participants does not wait for 12,000 participant rows to be read, and a list
    ordered by start can walk the placements newest first and stop at its page
    (bench/README.md, placement pages). A leader, who sees the whole organisation, is asked by
    the placements' own (denormalised) organisation: 600,000 participant ids would take
    hundreds of milliseconds to collect."""
    organisation_id = whole_organisation_scope(user)
    if organisation_id is not None:
        return Placement.objects.filter(organisation_id=organisation_id)
    branches = Participant.objects.visible_to_by_branch(user)
    if not branches:
        return Placement.objects.none()
    door = Q()
    for branch in branches:
        door |= Q(participant__in=branch.values("pk"))
    return Placement.objects.filter(door)


def placement_for_staff(user: Any, pk: int) -> Placement | None:
    """One placement through the door. Asked as one IN (the door's OR): for a single row
    PostgreSQL looks its participant up in the door, where `placements_visible_to` would first
    collect the ids of every participant the user sees."""
    return (
        Placement.objects.filter(participant__in=Participant.objects.visible_to(user).values("pk"))
        .select_related(
            "participant",
            "participant__counselor",
            "participant__organisation",
            "employer",
            "employer__contact_person",
            "mentor",
            "previous",
        )
        .filter(pk=pk)
        .first()
    )


def placement_for_contact_person(user: Any, pk: int) -> Placement | None:
    """A placement at an employer the user is our contact person for, in the user's
    organisation: the contact person sees it with what the participant shares with the
    workplace (`participants.sharing`), as the employer portal does."""
    membership = membership_for_user(user)
    if membership is None or not membership.follows_participants:
        return None
    return (
        Placement.objects.filter(
            pk=pk,
            employer__contact_person_id=user.pk,
            employer__organisation_id=membership.organisation_id,
        )
        .select_related("participant", "employer", "employer__contact_person", "mentor")
        .first()
    )


@dataclass(frozen=True)
class EmployerPlacement:
    """A row of the employer page's placement list; `name` is None when the user may not see
    the participant's name."""

    placement: Placement
    name: str | None


def placements_at_employer(user: Any, employer: Any) -> list[EmployerPlacement]:
    """The employer's placements that the user may open: all of them for the employer's contact
    person, else those of participants the user follows. The participant's name shows to who
    follows them, or as the participant shares it with the workplace."""
    rows = Placement.objects.filter(employer_id=employer.pk)
    is_contact_person = employer.contact_person_id == user.pk
    if not is_contact_person:
        rows = rows.filter(participant__in=Participant.objects.visible_to(user).values("pk"))
    placements = list(
        rows.select_related("participant", "mentor").order_by("-start_date", "-id")[:50]
    )
    ids = [p.participant_id for p in placements]
    followed = (
        set(Participant.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
        if is_contact_person and ids
        else set(ids)
    )
    shared = shared_with_workplace(ids) if ids else {}
    return [
        EmployerPlacement(
            placement=p,
            name=p.participant.full_name
            if p.participant_id in followed or shared[p.participant_id].contact
            else None,
        )
        for p in placements
    ]


@dataclass(frozen=True)
class EmployerSigner:
    """A contact at the employer who could approve an agreement in the portal, and what they
    still lack to do it."""

    contact: EmployerContact
    has_login: bool
    has_declaration: bool

    @property
    def can_approve(self) -> bool:
        return self.has_login and self.has_declaration


def employer_signers(placement: Placement) -> list[EmployerSigner]:
    """The employer's active contacts who would see this placement in the portal (a mentor sees
    only the placements they mentor): with a portal login and a signed confidentiality
    declaration they can approve its agreement there."""
    contacts = EmployerContact.objects.filter(
        employer_id=placement.employer_id, is_active=True
    ).order_by("name", "id")[:50]
    return [
        EmployerSigner(
            contact=c, has_login=c.user_id is not None, has_declaration=c.has_declaration
        )
        for c in contacts
        if not c.is_mentor or c.pk == placement.mentor_id
    ]


@dataclass
class AgreementPage:
    """Everything the agreement page shows beyond the placement, in a fixed number of queries."""

    approvals: dict[str, AgreementApproval]
    meeting: ExpectationMeeting | None
    versions: list[AgreementVersion]
    follow_ups: list[FollowUp]
    evaluations: dict[str, Evaluation]
    certificate: Certificate | None
    next_placements: list[Placement]


def agreement_page(placement: Placement) -> AgreementPage:
    return AgreementPage(
        approvals={
            a.party: a
            for a in AgreementApproval.objects.filter(placement=placement).select_related(
                "approved_by"
            )
        },
        meeting=ExpectationMeeting.objects.filter(placement=placement).first(),
        versions=list(
            AgreementVersion.objects.filter(placement=placement)
            .select_related("created_by")
            .order_by("number")
        ),
        follow_ups=list(
            FollowUp.objects.filter(placement=placement)
            .select_related("logged_by")
            .order_by(F("due_on").asc(nulls_last=True), "held_on", "id")[:100]
        ),
        evaluations={
            e.kind: e
            for e in Evaluation.objects.filter(placement=placement).select_related("written_by")
        },
        certificate=Certificate.objects.filter(placement=placement)
        .select_related("approved_by")
        .first(),
        next_placements=list(
            Placement.objects.filter(previous=placement).select_related("employer")[:5]
        ),
    )


def follow_ups_due(until: datetime.date) -> QuerySet[FollowUp]:
    """Scheduled placement follow-ups not yet held, due by `until` (the day), of placements
    still running on that day (the Today page and the reminders). An ended or cancelled
    placement, or one whose participant's follow-up period has ended, asks for nothing more."""
    return FollowUp.objects.filter(
        Q(placement__end_date__isnull=True) | Q(placement__end_date__gte=until),
        held_on__isnull=True,
        due_on__lte=until,
        placement__cancelled_at__isnull=True,
        placement__ended_at__isnull=True,
        placement__participant__active_period__isnull=False,
    )


def follow_ups_due_for(user: Any, until: datetime.date) -> QuerySet[FollowUp]:
    """The same, for the user's own participants."""
    return (
        follow_ups_due(until)
        .filter(placement__participant__counselor_id=user.pk)
        .select_related("placement__participant", "placement__employer")
        .order_by("due_on", "id")
    )


def outcome_proposals(period: Any) -> list[Placement]:
    """Placements of the period's participant that ended in work, education or an
    apprenticeship, in the open period, with no outcome of the period recorded on or after
    their end: each proposes its outcome as the period's, for the counselor to confirm."""
    if period is None or period.end_date is not None:
        return []
    later = PeriodOutcome.objects.filter(period_id=period.pk, date__gte=OuterRef("end_date"))
    return list(
        Placement.objects.filter(
            participant_id=period.participant_id,
            ended_at__isnull=False,
            outcome__in=WORK_OR_EDUCATION,
            end_date__gte=period.start_date,
            end_date__lte=timezone.localdate(),
        )
        .exclude(Exists(later))
        .select_related("employer")
        .only("outcome", "end_date", "title", "kind", "employer__name")
        .order_by("end_date", "id")
    )


@dataclass(frozen=True)
class ChallengeCount:
    value: str
    label: str
    placements: Cell  # None: hidden (core/smallcells.py)


def challenges_at_employer(employer: Any) -> list[ChallengeCount]:
    """How many of the employer's placements met each typed challenge (seed 002) in a logged
    follow-up or an evaluation: a placement counts once per challenge, however often it was
    named. Counts of people, so small ones are hidden by the one rule; the staff employer page
    only (mental health is a health detail and never reaches the portal). Two queries."""
    named: dict[str, set[int]] = {value: set() for value in Challenge.values}
    for model in (FollowUp, Evaluation):
        rows = model.objects.filter(placement__employer_id=employer.pk)
        for placement_id, challenges in rows.values_list("placement_id", "challenges"):
            for value in challenges or []:
                if value in named:
                    named[value].add(placement_id)
    return [
        ChallengeCount(value, str(label), smallcells.count(len(named[value])))
        for value, label in Challenge.choices
    ]
