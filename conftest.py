"""The standard cast (STYLE.md 6): the same people in every test.

- `org` (Norway, team visibility off) with teams `team_a` and `team_b`;
- `counselor` (team A) who follows `participant`; `colleague` (team A); `other_team_counselor`
  (team B); `coordinator` (coordinator / driver, no team); `leader`; `admin` (organisation
  administrator); `outsider` (a counselor in `other_org`, who follows `other_participant`);
- `employer` (in `org`, the counselor is its person to call) and `other_employer` (in
  `other_org`).
"""

import datetime

import pytest

from samspill.accounts.models import User
from samspill.core.testing import make_employer, make_participant, make_staff, portal_user
from samspill.employers.models import Employer, EmployerContact
from samspill.employers.services import contact_add
from samspill.organisations.models import Membership, Organisation, Team
from samspill.participants.models import Participant


@pytest.fixture
def org(db) -> Organisation:
    return Organisation.objects.create(
        name="Inkludering AS", kind=Organisation.Kind.INCLUSION_COMPANY
    )


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
def coordinator(org) -> User:
    return make_staff(org, "coordinator@example.org", Membership.Role.COORDINATOR)


@pytest.fixture
def admin(org) -> User:
    return make_staff(org, "admin@example.org", Membership.Role.ADMIN)


@pytest.fixture
def outsider(other_org) -> User:
    return make_staff(other_org, "outsider@example.org", Membership.Role.COUNSELOR)


@pytest.fixture
def participant(org, counselor) -> Participant:
    return make_participant(org, counselor, needs="Sensitive health detail")


@pytest.fixture
def other_participant(other_org, outsider) -> Participant:
    return make_participant(other_org, outsider, given_name="Ola", family_name="Utenfor")


@pytest.fixture
def employer(org, counselor) -> Employer:
    return make_employer(org, counselor, name="Bakeriet AS")


@pytest.fixture
def other_employer(other_org, outsider) -> Employer:
    return make_employer(other_org, outsider, name="Annen Arbeidsgiver AS")


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the default language: a request in another language (the language
    switch tests) must not leak into the next test's messages."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def pytest_configure(config) -> None:
    # Argon2 is deliberately slow; the suite builds its cast in every test, so hash with MD5
    # here (tests only; production keeps Argon2 from settings.py).
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Uploaded files (signed agreements) go to a temporary folder, not the repository's media/.
    import tempfile

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="samspill-test-media-")


# The workplace: a mentor (with a declaration) and an employer contact at `employer`, each with
# a portal account.


@pytest.fixture
def mentor_contact(employer, counselor) -> EmployerContact:
    return contact_add(
        employer=employer,
        by=counselor,
        name="Mona Mentor",
        email="mona@bakeriet.example",
        is_mentor=True,
        confidentiality_signed_on=datetime.date(2026, 1, 2),
    )


@pytest.fixture
def mentor(mentor_contact) -> User:
    return portal_user(mentor_contact)


@pytest.fixture
def employer_contact(employer, counselor) -> EmployerContact:
    return contact_add(
        employer=employer,
        by=counselor,
        name="Eirik Eier",
        email="eirik@bakeriet.example",
        confidentiality_signed_on=datetime.date(2026, 1, 2),
    )


@pytest.fixture
def employer_user(employer_contact) -> User:
    return portal_user(employer_contact)
