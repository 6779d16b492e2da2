"""The standard cast (STYLE.md 6): the same people in every test.

- `org` (Norway, team visibility off) with teams `team_a` and `team_b`;
- `counselor` (team A) who follows `participant`; `colleague` (team A); `other_team_counselor`
  (team B); `leader`; `admin` (organisation administrator); `outsider` (a counselor in
  `other_org`, who follows `other_participant`).
"""

import datetime

import pytest
from django.test import Client

from samspill.accounts.models import User
from samspill.organisations.models import Membership, Organisation, Team
from samspill.participants import services
from samspill.participants.models import Participant

PASSWORD = "test-password-123"


def make_staff(org: Organisation, email: str, role: str, team: Team | None = None) -> User:
    user = User.objects.create_user(email=email, password=PASSWORD, full_name=email.split("@")[0].title())
    Membership.objects.create(user=user, organisation=org, role=role, team=team)
    return user


@pytest.fixture
def org(db) -> Organisation:
    return Organisation.objects.create(name="Inkludering AS", kind=Organisation.Kind.INCLUSION_COMPANY)


@pytest.fixture
def other_org(db) -> Organisation:
    return Organisation.objects.create(name="NAV Annen", kind=Organisation.Kind.NAV_OFFICE)


@pytest.fixture
def team_a(org) -> Team:
    return Team.objects.create(organisation=org, name="Team A")


@pytest.fixture
def team_b(org) -> Team:
    return Team.objects.create(organisation=org, name="Team B")


@pytest.fixture
def counselor(org, team_a) -> User:
    return make_staff(org, "counselor@example.org", Membership.Role.COUNSELOR, team_a)


@pytest.fixture
def colleague(org, team_a) -> User:
    return make_staff(org, "colleague@example.org", Membership.Role.COUNSELOR, team_a)


@pytest.fixture
def other_team_counselor(org, team_b) -> User:
    return make_staff(org, "otherteam@example.org", Membership.Role.COUNSELOR, team_b)


@pytest.fixture
def leader(org) -> User:
    return make_staff(org, "leader@example.org", Membership.Role.LEADER)


@pytest.fixture
def admin(org) -> User:
    return make_staff(org, "admin@example.org", Membership.Role.ADMIN)


@pytest.fixture
def outsider(other_org) -> User:
    return make_staff(other_org, "outsider@example.org", Membership.Role.COUNSELOR)


def make_participant(org: Organisation, counselor: User, **fields) -> Participant:
    fields.setdefault("given_name", "Kari")
    fields.setdefault("family_name", "Nordmann")
    return services.participant_create(
        organisation=org, by=counselor, counselor=counselor, start_date=datetime.date(2026, 1, 5), **fields
    )


@pytest.fixture
def participant(org, counselor) -> Participant:
    return make_participant(org, counselor, needs="Sensitive health detail")


@pytest.fixture
def other_participant(other_org, outsider) -> Participant:
    return make_participant(other_org, outsider, given_name="Ola", family_name="Utenfor")


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
