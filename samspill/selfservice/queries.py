"""Reads for the participant's own pages and the counselor's side of the dialog."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from samspill.audit.models import AccessLog
from samspill.core import smallcells
from samspill.employers.models import EmployerContact
from samspill.organisations.models import Membership
from samspill.participants import permissions as participant_permissions
from samspill.participants.models import ConsentRecord, Participant
from samspill.placements.models import AgreementApproval, Evaluation, Party, Placement, Status
from samspill.plans.models import Activity, Goal
from samspill.portal import permissions as portal_permissions
from samspill.selfservice.models import CV, Feedback, Message, PortalSettings

THREAD_LENGTH = 100
ACCESS_LOG_PAGE = 50


def unread_from_participants(user: Any) -> QuerySet[Message]:
    """What the user's own participants wrote that the user has not read, oldest first."""
    return (
        Message.objects.filter(
            participant__counselor_id=user.pk, from_participant=True, read_at__isnull=True
        )
        .select_related("participant", "activity")
        .order_by("created_at", "id")
    )


def unread_count(participant: Participant, *, from_participant: bool) -> int:
    return Message.objects.filter(
        participant=participant, from_participant=from_participant, read_at__isnull=True
    ).count()


def thread(participant: Participant) -> list[Message]:
    """The newest messages of the dialog, oldest first."""
    newest = (
        Message.objects.filter(participant=participant)
        .select_related("author", "activity")
        .order_by("-created_at", "-id")[:THREAD_LENGTH]
    )
    return list(reversed(newest))


@dataclass
class Plan:
    goals: list[Goal]
    activities: list[Activity]  # not cancelled, newest date first

    def of(self, goal: Goal | None) -> list[Activity]:
        return [a for a in self.activities if a.goal_id == (goal.pk if goal else None)]

    @property
    def rows(self) -> list[tuple[Goal | None, list[Activity]]]:
        """Each goal with its activities, then the activities without a goal."""
        rows: list[tuple[Goal | None, list[Activity]]] = [(g, self.of(g)) for g in self.goals]
        loose = self.of(None)
        if loose:
            rows.append((None, loose))
        return rows


def plan_for(participant: Participant) -> Plan:
    """The participant's goals (not dropped) and activities (not cancelled): two queries."""
    goals = list(
        Goal.objects.filter(participant=participant)
        .exclude(status=Goal.Status.DROPPED)
        .order_by("status", "target_date", "id")[:50]
    )
    activities = list(
        Activity.objects.filter(participant=participant)
        .exclude(status=Activity.Status.CANCELLED)
        .order_by("due_date", "id")[:200]
    )
    return Plan(goals=goals, activities=activities)


def workplaces(participant: Participant) -> list[Placement]:
    """The participant's running placements, each with its one person to call."""
    today = timezone.localdate()
    return list(
        portal_permissions.own_placements(participant)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today), start_date__lte=today)
        .select_related("employer", "employer__contact_person", "mentor")
        .order_by("start_date", "id")[:10]
    )


def consents(participant: Participant) -> list[ConsentRecord]:
    return list(participant.consents.order_by("withdrawn_at", "-given_at", "id")[:100])


def hides_staff_names(organisation_id: int) -> bool:
    return PortalSettings.objects.filter(
        organisation_id=organisation_id, hide_staff_names=True
    ).exists()


# The relationship written to the access log, in words the participant understands.
WHY: dict[str, Promise] = {
    participant_permissions.Relationship.COUNSELOR: _("Is your counselor"),
    participant_permissions.Relationship.TEAM: _("Works in your counselor's team"),
    participant_permissions.Relationship.LEADER: _("Leads the follow-up service"),
    portal_permissions.Relationship.MENTOR: _("Your mentor at the workplace"),
    portal_permissions.Relationship.EMPLOYER_CONTACT: _("Your contact at the workplace"),
}


@dataclass
class Read:
    """One read of the participant's record, as the participant is told of it."""

    at: datetime.datetime
    name: str  # blank where the organisation hides staff names
    role: Promise | str
    organisation: str
    why: Promise | str


def reads_of(participant: Participant, *, page: int) -> tuple[list[Read], bool]:
    """A page of who read the participant's record, newest first, with whether there are more:
    three queries whatever the page (the reads, the readers' memberships and their employer
    contacts). Their own reads are left out."""
    start = (page - 1) * ACCESS_LOG_PAGE
    rows = list(
        AccessLog.objects.filter(participant=participant)
        .exclude(actor_id=participant.portal_user_id)
        .select_related("actor")
        .order_by("-accessed_at", "-id")[start : start + ACCESS_LOG_PAGE + 1]
    )
    more = len(rows) > ACCESS_LOG_PAGE
    rows = rows[:ACCESS_LOG_PAGE]
    actors = {row.actor_id for row in rows}
    memberships = {
        m.user_id: m
        for m in Membership.objects.filter(user_id__in=actors)
        .select_related("organisation")
        .order_by("is_active", "id")  # the active membership last, so it is kept
    }
    contacts = {
        c.user_id: c
        for c in EmployerContact.objects.filter(user_id__in=actors).select_related("employer")
    }
    hide = hides_staff_names(participant.organisation_id) if rows else False
    reads = []
    for row in rows:
        membership = memberships.get(row.actor_id)
        contact = contacts.get(row.actor_id)
        if contact is not None:
            role: Promise | str = _("Mentor") if contact.is_mentor else _("Employer contact")
            organisation = contact.employer.name
            name = row.actor.full_name  # the workplace's people are known to the participant
        elif membership is not None:
            role = membership.get_role_display()
            organisation = membership.organisation.name
            name = "" if hide else row.actor.full_name
        else:
            role, organisation, name = _("Other"), "", "" if hide else row.actor.full_name
        reads.append(
            Read(
                at=row.accessed_at,
                name=name,
                role=role,
                organisation=organisation,
                why=WHY.get(row.why, _("Their work with your follow-up")),
            )
        )
    return reads, more


def cv_of(participant: Participant) -> CV:
    """The participant's CV, or an empty one not yet saved."""
    return CV.objects.filter(participant=participant).first() or CV(participant=participant)


@dataclass
class Documents:
    """One placement's papers as the participant has them."""

    placement: Placement
    awaiting_me: bool  # the agreement waits for the participant's approval
    my_approval: AgreementApproval | None
    evaluations: list[Evaluation]
    certificate_issued: bool


def documents_of(participant: Participant) -> list[Documents]:
    """Each placement's agreement (to read and approve), evaluations and certificate: three
    queries whatever the number of placements."""
    placements = list(
        portal_permissions.own_placements(participant)
        .select_related("employer", "certificate")
        .prefetch_related(
            Prefetch(
                "approvals",
                queryset=AgreementApproval.objects.filter(party=Party.PARTICIPANT),
                to_attr="mine",
            ),
            Prefetch("evaluations", queryset=Evaluation.objects.order_by("held_on", "id")),
        )
        .order_by("-start_date", "-id")[:50]
    )
    rows = []
    for p in placements:
        mine = p.mine[0] if p.mine else None
        certificate = getattr(p, "certificate", None)
        rows.append(
            Documents(
                placement=p,
                awaiting_me=p.status == Status.AWAITING_APPROVAL and mine is None,
                my_approval=mine,
                evaluations=list(p.evaluations.all()),
                certificate_issued=certificate is not None and certificate.is_issued,
            )
        )
    return rows


def feedback_answered(participant: Participant, round_: str) -> bool:
    return Feedback.objects.filter(participant=participant, round=round_).exists()


@dataclass
class FeedbackRound:
    round: str
    questions: list[tuple[str, list[smallcells.Cell], smallcells.Cell]]  # label, cells, total
    suppressed: bool


def feedback_summary(organisation_id: int, *, rounds: int = 4) -> list[FeedbackRound]:
    """The newest rounds' answers as counts per question and answer, small cells hidden: a
    query a question. Never who answered."""
    answers = Feedback.Answer.values
    counts: dict[tuple[str, str, int], int] = {}
    for question in Feedback.QUESTIONS:
        for row in (
            Feedback.objects.filter(organisation_id=organisation_id)
            .values("round", question)
            .annotate(n=Count("id"))
            .order_by()
        ):
            counts[(row["round"], question, row[question])] = row["n"]
    names = sorted({key[0] for key in counts}, reverse=True)[:rounds]
    result = []
    for name in names:
        # Each question is a line of its own (its answers add up to who answered it): the
        # questions are asked of the same people, so no total runs across them.
        questions = []
        suppressed = False
        for q in Feedback.QUESTIONS:
            values: dict[int | str, int] = {a: counts.get((name, q, a), 0) for a in answers}
            values["total"] = sum(values.values())
            shown = smallcells.apply(values, [("total", list(answers))])
            suppressed = suppressed or None in shown.values()
            label = str(Feedback._meta.get_field(q).verbose_name)  # type: ignore[union-attr]
            questions.append((label, [shown[a] for a in answers], shown["total"]))
        result.append(FeedbackRound(round=name, questions=questions, suppressed=suppressed))
    return result
