"""The permission matrix (pretix style): role x URL x expected status, for every page.

A record outside a user's scope is a 404, never a 403, so that nobody learns it exists. A write
by someone without access changes nothing; a write by someone with access changes something
(so the refusals below are refusals of a request that would otherwise have worked).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, reverse

from samspill.accounts.models import User
from samspill.audit.models import AuditEvent
from samspill.core.testing import client_for, make_participant
from samspill.employers.models import EmployerContact
from samspill.followup import urls as followup_urls
from samspill.followup.models import BeliefCheckIn
from samspill.learning import sparring_services
from samspill.learning.models import SparringCase
from samspill.organisations.models import Membership
from samspill.participants import outcomes, services
from samspill.participants import urls as participant_urls
from samspill.participants.models import (
    ConsentRecord,
    CounselorAssignment,
    FollowUpPeriod,
    FollowUpStatus,
    Outcome,
    Participant,
    PeriodOutcome,
)
from samspill.placements import services as placement_services
from samspill.placements.models import Placement
from samspill.placements.tests import cast
from samspill.plans import services as plan_services
from samspill.plans.models import Activity, Goal, Note

ROLES = [
    "anonymous",
    "counselor",  # follows the participant
    "colleague",  # same team, organisation does not let teams see each other's participants
    "colleague_team",  # same team, organisation lets teams see their participants
    "other_team",
    "leader",
    "admin",  # organisation administrator: manages staff, reads no case records
    "outsider",  # counselor in another organisation
    # A workplace mentor (portal user, declaration signed) with whom the participant is placed
    # and who has been given every workplace consent: still no staff page, belief or note.
    "mentor",
]


@dataclass
class World:
    participant: Participant
    consent: ConsentRecord
    goal: Goal
    activity: Activity
    sparring: SparringCase
    # An outcome recorded in the open period, and a placement that ended in work after it
    # (proposing its outcome as the period's).
    outcome: PeriodOutcome
    placement: Placement
    # Another participant of `counselor`'s whose period has ended, and its status six months
    # after (due): the former counselor records it from the statuses page, a leader from the
    # record.
    ended: Participant
    status: FollowUpStatus
    users: dict[str, User | None]


def placed_mentor(participant: Participant, counselor: User) -> User:
    """A mentor at an employer where `participant` is placed, with every workplace consent."""
    from samspill.core.testing import PASSWORD, make_employer
    from samspill.employers import services as employer_services
    from samspill.placements import services as placement_services

    employer = make_employer(participant.organisation, counselor, name="Mentorbedrift AS")
    contact = employer_services.contact_add(
        employer=employer,
        by=counselor,
        name="Mona Mentor",
        email="mona@mentor.example",
        is_mentor=True,
        confidentiality_signed_on=datetime.date(2026, 1, 2),
    )
    contact.user = User.objects.create_user(
        email=contact.email, password=PASSWORD, full_name=contact.name
    )
    contact.save(update_fields=["user"])
    placement_services.placement_create(
        participant=participant,
        employer=employer,
        by=counselor,
        kind="work_training",
        title="Lager",
        start_date=datetime.date(2026, 2, 1),
        end_date=datetime.date(2027, 1, 31),
        start_reason="Registered after the start.",
        mentor=contact,
    )
    for information in ConsentRecord.Information.values:
        services.consent_give(
            participant=participant, by=counselor, recipient="workplace", information=information
        )
    return contact.user


def placement_ended_in_work(participant: Participant, counselor: User, mentor: User) -> Placement:
    """An approved placement at the mentor's employer that ended in ordinary work."""
    contact = EmployerContact.objects.get(user=mentor)
    placement = cast.approve_all(
        cast.draft(
            participant, contact.employer, counselor, contact, start=datetime.date(2026, 6, 1)
        ),
        counselor,
        mentor,
    )
    return placement_services.placement_end(
        placement=placement,
        by=counselor,
        ended_on=datetime.date(2026, 11, 1),
        outcome=Outcome.ORDINARY_WORK,
    )


def ended_participant(org: Any, counselor: User) -> Participant:
    """A participant of `counselor`'s whose period ended on 2026-05-04: the status six months
    after was due on 2026-11-04."""
    ended = make_participant(org, counselor, given_name="Per", family_name="Ferdig")
    services.period_end(
        participant=ended,
        by=counselor,
        end_date=datetime.date(2026, 5, 4),
        outcome=Outcome.EDUCATION,
    )
    return ended


@pytest.fixture
def world(
    org, counselor, colleague, other_team_counselor, leader, admin, outsider, participant
) -> World:
    consent = services.consent_give(
        participant=participant, by=counselor, recipient="nav", information="plan"
    )
    goal = plan_services.goal_add(participant=participant, by=counselor, title="A job")
    activity = plan_services.activity_add(
        participant=participant,
        by=counselor,
        kind="meeting",
        title="Meet NAV",
        due_date=participant.periods.get().start_date,
    )
    sparring = sparring_services.sparring_case_ask(
        by=counselor,
        kind=SparringCase.Kind.LOST_BELIEF,
        audience=SparringCase.Audience.COLLEAGUE,
        asked=colleague,
        participant=participant,
        situation="Lost belief",
    )
    outcome = outcomes.outcome_record(
        period=participant.active_period,
        by=counselor,
        date=datetime.date(2026, 2, 10),
        outcome=Outcome.EDUCATION,
    )
    mentor = placed_mentor(participant, counselor)
    placement = placement_ended_in_work(participant, counselor, mentor)
    ended = ended_participant(org, counselor)
    return World(
        participant=participant,
        consent=consent,
        goal=goal,
        activity=activity,
        sparring=sparring,
        outcome=outcome,
        placement=placement,
        ended=ended,
        status=FollowUpStatus.objects.get(period__participant=ended, months=6),
        users={
            "anonymous": None,
            "counselor": counselor,
            "colleague": colleague,
            "colleague_team": colleague,
            "other_team": other_team_counselor,
            "leader": leader,
            "admin": admin,
            "outsider": outsider,
            "mentor": mentor,
        },
    )


def client_as(role: str, world: World) -> Client:
    if role == "colleague_team":
        org = world.participant.organisation
        org.team_sees_team_participants = True
        org.save()
    return client_for(world.users[role])


def pk_of(world: World) -> dict[str, int]:
    return {"pk": world.participant.pk}


# Every URL in participants/urls.py, with how to build it from the world.
URLS: dict[str, Callable[[World], str]] = {
    "caseload": lambda w: reverse("participants:caseload"),
    "create": lambda w: reverse("participants:create"),
    "bulk_reassign": lambda w: reverse("participants:bulk_reassign"),
    "detail": lambda w: reverse("participants:detail", kwargs=pk_of(w)),
    "edit": lambda w: reverse("participants:edit", kwargs=pk_of(w)),
    "consent": lambda w: reverse("participants:consent", kwargs=pk_of(w)),
    "consent_withdraw": lambda w: reverse(
        "participants:consent_withdraw", kwargs={**pk_of(w), "consent_pk": w.consent.pk}
    ),
    "follow_up": lambda w: reverse("participants:follow_up", kwargs=pk_of(w)),
    "outcome_record": lambda w: reverse("participants:outcome_record", kwargs=pk_of(w)),
    "outcome_correct": lambda w: reverse(
        "participants:outcome_correct", kwargs={**pk_of(w), "outcome_pk": w.outcome.pk}
    ),
    "outcome_propose": lambda w: reverse(
        "participants:outcome_propose", kwargs={**pk_of(w), "placement_pk": w.placement.pk}
    ),
    "status_record": lambda w: reverse(
        "participants:status_record", kwargs={"pk": w.ended.pk, "status_pk": w.status.pk}
    ),
    "statuses": lambda w: reverse("participants:statuses"),
    "status_form": lambda w: reverse("participants:status_form", kwargs={"status_pk": w.status.pk}),
    "access_log": lambda w: reverse("participants:access_log", kwargs=pk_of(w)),
    "plan": lambda w: reverse("participants:plan", kwargs=pk_of(w)),
    "note_add": lambda w: reverse("participants:note_add", kwargs=pk_of(w)),
    "activity_status": lambda w: reverse(
        "participants:activity_status", kwargs={**pk_of(w), "activity_pk": w.activity.pk}
    ),
    "goal_status": lambda w: reverse(
        "participants:goal_status", kwargs={**pk_of(w), "goal_pk": w.goal.pk}
    ),
    "today": lambda w: reverse("followup:today"),
    "today_section": lambda w: reverse("followup:today_section", kwargs={"section": "checkins"}),
    "dashboard": lambda w: reverse("followup:dashboard"),
    "belief": lambda w: reverse("followup:belief", kwargs=pk_of(w)),
    "sparring_request": lambda w: reverse("learning:sparring_lost_belief", kwargs=pk_of(w)),
    "sparring_accept": lambda w: reverse("learning:sparring_accept", kwargs={"pk": w.sparring.pk}),
    "sparring_close": lambda w: reverse("learning:sparring_close", kwargs={"pk": w.sparring.pk}),
    "home": lambda w: "/",
    "login": lambda w: "/login/",
    "password_reset": lambda w: "/password-reset/",
    "admin": lambda w: "/admin/",
}


def statuses(**by_role: int) -> dict[str, int]:
    # A mentor reaches the staff pages exactly as far as an administrator does: not at all.
    by_role.setdefault("mentor", by_role["admin"])
    assert set(by_role) == set(ROLES), set(ROLES) ^ set(by_role)
    return by_role


# Who may read a participant's record.
RECORD = statuses(
    anonymous=302,
    counselor=200,
    colleague=404,
    colleague_team=200,
    other_team=404,
    leader=200,
    admin=404,
    outsider=404,
)
# Pages for everyone who follows participants; an administrator follows nobody.
CASELOAD = statuses(
    anonymous=302,
    counselor=200,
    colleague=200,
    colleague_team=200,
    other_team=200,
    leader=200,
    admin=403,
    outsider=200,
)
# A URL asked with the wrong method answers 405, whoever asks (after the login check).
WRONG_METHOD = statuses(
    anonymous=302,
    counselor=405,
    colleague=405,
    colleague_team=405,
    other_team=405,
    leader=405,
    admin=405,
    outsider=405,
)
STATUS_FORM = statuses(
    anonymous=302,
    counselor=200,
    colleague=404,
    colleague_team=404,
    other_team=404,
    leader=404,
    admin=403,
    outsider=404,
)
LOGGED_IN_REDIRECT = statuses(
    anonymous=302,
    counselor=302,
    colleague=302,
    colleague_team=302,
    other_team=302,
    leader=302,
    admin=302,
    outsider=302,
)

GET_MATRIX: dict[str, dict[str, int]] = {
    "caseload": CASELOAD,
    "create": CASELOAD,
    # Only a leader moves a whole caseload.
    "bulk_reassign": {**dict.fromkeys(ROLES, 403), "anonymous": 302, "leader": 200},
    "detail": RECORD,
    "edit": RECORD,
    "consent": RECORD,
    "consent_withdraw": WRONG_METHOD,
    "follow_up": RECORD,
    "outcome_record": WRONG_METHOD,
    "outcome_correct": WRONG_METHOD,
    "outcome_propose": WRONG_METHOD,
    "status_record": WRONG_METHOD,
    # The statuses the user is reminded to record, as a period's last counselor: a page for
    # everyone who follows participants (empty for all but `counselor`).
    "statuses": CASELOAD,
    # A status's form opens for the period's last counselor only, who no longer reads the
    # record; other followers find no such status.
    "status_form": STATUS_FORM,
    "access_log": {**RECORD, "counselor": 403, "colleague_team": 403},
    "plan": RECORD,
    "note_add": WRONG_METHOD,
    "activity_status": WRONG_METHOD,
    "goal_status": WRONG_METHOD,
    "today": CASELOAD,
    "today_section": CASELOAD,
    "dashboard": {**dict.fromkeys(ROLES, 403), "anonymous": 302, "leader": 200},
    # Belief is staff reflection for the counselor and leaders; team colleagues are refused.
    "belief": {**RECORD, "colleague_team": 403},
    "sparring_request": WRONG_METHOD,
    "sparring_accept": WRONG_METHOD,
    "sparring_close": WRONG_METHOD,
    # Staff land where their work is (Today, the pipeline, outcomes); an administrator on the
    # home page.
    "home": {**LOGGED_IN_REDIRECT, "admin": 200},
    "login": {**LOGGED_IN_REDIRECT, "anonymous": 200},
    "password_reset": dict.fromkeys(ROLES, 200),
    # None of the cast is `is_staff`: the admin sends them all to its own login page.
    "admin": LOGGED_IN_REDIRECT,
}


def post_data(name: str, world: World, user: User | None) -> dict[str, Any]:
    """A POST that succeeds for someone allowed to make it."""
    participant = world.participant
    if name == "create":
        membership = Membership.objects.filter(user=user).first() if user else None
        if membership is None or not membership.follows_participants:
            membership = Membership.objects.get(user=world.users["counselor"])
        return {
            "given_name": "Nina",
            "family_name": "Ny",
            "preferred_language": "nb",
            "counselor": membership.pk,
            "start_date": "2026-02-02",
        }
    if name == "edit":
        data = {f: getattr(participant, f) or "" for f in services.PROFILE_FIELDS}
        return {**data, "phone": "+47 999 99 999", "revision": participant.revision}
    if name == "consent":
        return {"recipient": "health", "information": "strengths"}
    if name == "follow_up":
        return {"action": "end", "end_date": "2026-03-01", "outcome": "ordinary_work"}
    if name == "plan":
        return {"action": "goal", "goal-title": "Another goal"}
    if name == "outcome_record":
        return {"record-date": "2026-11-02", "record-outcome": "education"}
    if name == "outcome_correct":
        prefix = f"o{world.outcome.pk}-"
        return {
            prefix + "date": "2026-02-10",
            prefix + "outcome": "apprenticeship",
            prefix + "revision": world.outcome.revision,
            prefix + "reason": "It is an apprenticeship",
        }
    if name in ("status_record", "status_form"):
        prefix = f"s{world.status.pk}-"
        return {
            prefix + "outcome": "education",
            prefix + "as_of": "2026-11-04",
            prefix + "revision": world.status.revision,
        }
    if name == "note_add":
        return {"kind": "phone", "occurred_on": "2026-02-10", "text": "Called"}
    if name == "bulk_reassign":
        return {
            "leaving": Membership.objects.get(user=world.users["counselor"]).pk,
            "to": [Membership.objects.get(user=world.users["colleague"]).pk],
            "reason": "counselor_left",
        }
    if name == "belief":
        return {"belief": "4", "asked_on": "2026-02-10"}
    if name == "sparring_request":
        leader = world.users["leader"]
        assert leader is not None
        return {"colleague": leader.pk, "why": "Help me see possibilities"}
    if name == "sparring_close":
        return {"private_note": "We found a way"}
    if name in ("activity_status", "goal_status"):
        return {"status": "dropped" if name == "goal_status" else "done", "revision": 1}
    return {}


WRITE = statuses(
    anonymous=302,
    counselor=302,
    colleague=404,
    colleague_team=302,
    other_team=404,
    leader=302,
    admin=404,
    outsider=404,
)
POST_MATRIX: dict[str, dict[str, int]] = {
    "caseload": WRONG_METHOD,
    "create": statuses(
        anonymous=302,
        counselor=302,
        colleague=302,
        colleague_team=302,
        other_team=302,
        leader=302,
        admin=403,
        outsider=302,
    ),
    "bulk_reassign": {**dict.fromkeys(ROLES, 403), "anonymous": 302, "leader": 200},
    "edit": WRITE,
    "consent": WRITE,
    "consent_withdraw": WRITE,
    "follow_up": WRITE,
    "outcome_record": WRITE,
    "outcome_correct": WRITE,
    "outcome_propose": WRITE,
    # The ended participant leaves every caseload: only a leader still reads the record.
    "status_record": {**dict.fromkeys(ROLES, 404), "anonymous": 302, "leader": 302},
    "statuses": WRONG_METHOD,
    "status_form": {**STATUS_FORM, "counselor": 302},
    "access_log": WRONG_METHOD,
    "plan": WRITE,
    "note_add": WRITE,
    "activity_status": WRITE,
    "goal_status": WRITE,
    # Only the participant's counselor answers the belief question or asks for sparring.
    "belief": {**WRITE, "colleague_team": 403, "leader": 403},
    "sparring_request": {**WRITE, "colleague_team": 403, "leader": 403},
    # A sparring request is found only by the two colleagues in it; the rest get a 404.
    "sparring_accept": statuses(
        anonymous=302,
        counselor=302,  # the asker cannot accept: a message, and nothing changes
        colleague=302,
        colleague_team=302,
        other_team=404,
        leader=404,
        admin=403,
        outsider=404,
    ),
    "sparring_close": statuses(
        anonymous=302,
        counselor=302,
        colleague=302,
        colleague_team=302,
        other_team=404,
        leader=404,
        admin=403,
        outsider=404,
    ),
}
# Roles whose successful POST is expected to change something.
MAY_WRITE = {
    "create": {"counselor", "colleague", "colleague_team", "other_team", "leader", "outsider"},
    **{
        name: {"counselor", "colleague_team", "leader"}
        for name in POST_MATRIX
        if name not in ("create", "caseload", "access_log", "statuses")
    },
    "bulk_reassign": {"leader"},
    "belief": {"counselor"},
    "sparring_request": {"counselor"},
    "sparring_accept": {"colleague", "colleague_team"},
    "sparring_close": {"counselor", "colleague", "colleague_team"},
    "status_record": {"leader"},
    "status_form": {"counselor"},
}


def snapshot(world: World) -> dict[str, Any]:
    """Everything a POST to these URLs could change."""
    participant = Participant.objects.get(pk=world.participant.pk)
    return {
        "participants": list(Participant.objects.values_list("pk", flat=True)),
        "profile": {f: getattr(participant, f) for f in services.PROFILE_FIELDS},
        "counselor": participant.counselor_id,
        "periods": list(FollowUpPeriod.objects.values_list("pk", "end_date", "end_reason")),
        "assignments": list(CounselorAssignment.objects.values_list("pk", "ended_at")),
        "consents": list(ConsentRecord.objects.values_list("pk", "withdrawn_at")),
        "goals": list(Goal.objects.values_list("pk", "status")),
        "activities": list(Activity.objects.values_list("pk", "status")),
        "notes": Note.objects.count(),
        "checkins": BeliefCheckIn.objects.count(),
        "outcomes": list(
            PeriodOutcome.objects.order_by("pk").values_list("pk", "date", "outcome", "revision")
        ),
        "statuses": list(
            FollowUpStatus.objects.order_by("pk").values_list("pk", "outcome", "revision")
        ),
        "sparring": list(SparringCase.objects.values_list("pk", "status")),
        "events": AuditEvent.objects.count(),
    }


def cases(matrix: dict[str, dict[str, int]]) -> list[Any]:
    return [
        pytest.param(role, name, expected, id=f"{name}-{role}-{expected}")
        for name, by_role in matrix.items()
        for role, expected in by_role.items()
    ]


def test_the_matrix_covers_every_participant_url():
    names = {
        p.name
        for urls in (participant_urls, followup_urls)
        for p in urls.urlpatterns
        if isinstance(p, URLPattern)
    }

    assert names <= set(GET_MATRIX)
    assert {"create", "edit", "consent", "consent_withdraw", "follow_up", "plan"} <= set(
        POST_MATRIX
    )
    assert {"note_add", "activity_status", "goal_status"} <= set(POST_MATRIX)
    for matrix in (GET_MATRIX, POST_MATRIX):
        for by_role in matrix.values():
            assert set(by_role) == set(ROLES)


@pytest.mark.parametrize(("role", "name", "expected"), cases(GET_MATRIX))
def test_get(world, role, name, expected):
    client = client_as(role, world)
    before = snapshot(world)

    response = client.get(URLS[name](world))

    assert response.status_code == expected
    if expected == 302 and role == "anonymous":
        login = "/admin/login/" if name == "admin" else "/login/"
        assert response["Location"].startswith(f"{login}?next=")
    assert snapshot(world) == before, "a GET changed something"


@pytest.mark.parametrize(("role", "name", "expected"), cases(POST_MATRIX))
def test_post(world, role, name, expected):
    client = client_as(role, world)
    user = world.users[role]
    before = snapshot(world)

    response = client.post(URLS[name](world), post_data(name, world, user))

    assert response.status_code == expected
    if role == "anonymous":
        assert response["Location"].startswith("/login/?next=")
    if role in MAY_WRITE.get(name, set()):
        assert snapshot(world) != before, "an allowed POST changed nothing"
    else:
        assert snapshot(world) == before, "a refused POST changed something"


class TestDjangoAdmin:
    def test_a_staff_user_who_is_not_a_superuser_is_sent_to_the_admin_login(self, org):
        staff = User.objects.create_user(
            email="staff@example.org", password="x-long-password", full_name="Staff", is_staff=True
        )

        response = client_for(staff).get("/admin/")

        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")

    def test_a_superuser_in_no_organisation_reaches_the_admin(self, db):
        root = User.objects.create_superuser(
            email="root@example.org", password="x-long-password", full_name="Root"
        )

        assert client_for(root).get("/admin/").status_code == 200

    @pytest.mark.parametrize("role", ["counselor", "leader", "admin"])
    def test_a_user_who_is_not_staff_is_sent_to_the_admin_login(self, world, role):
        response = client_for(world.users[role]).get("/admin/")

        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")

    def test_a_user_who_is_not_staff_cannot_open_an_admin_page(self, world):
        response = client_for(world.users["leader"]).get(reverse("admin:accounts_user_changelist"))

        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
