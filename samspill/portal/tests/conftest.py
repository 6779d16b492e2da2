"""The portal's cast: a mentor (with a declaration) and an employer contact at `employer`, each
with a portal account; a placement of `participant` with the mentor."""

import datetime

import pytest

from samspill.accounts.models import User
from samspill.core.testing import PASSWORD
from samspill.employers import services as employer_services
from samspill.employers.models import EmployerContact
from samspill.placements import services as placement_services
from samspill.placements.models import Placement


def portal_user(contact: EmployerContact) -> User:
    user = User.objects.create_user(email=contact.email, password=PASSWORD, full_name=contact.name)
    contact.user = user
    contact.save(update_fields=["user"])
    return user


@pytest.fixture
def mentor_contact(employer, counselor) -> EmployerContact:
    return employer_services.contact_add(
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
    return employer_services.contact_add(
        employer=employer,
        by=counselor,
        name="Eirik Eier",
        email="eirik@bakeriet.example",
        confidentiality_signed_on=datetime.date(2026, 1, 2),
    )


@pytest.fixture
def employer_user(employer_contact) -> User:
    return portal_user(employer_contact)


@pytest.fixture
def placement(participant, employer, counselor, mentor_contact) -> Placement:
    return placement_services.placement_create(
        participant=participant,
        employer=employer,
        by=counselor,
        kind=Placement.Kind.WORK_TRAINING,
        title="Bakeassistent",
        tasks="Steke brød, rydde",
        start_date=datetime.date(2026, 2, 1),
        end_date=datetime.date(2027, 1, 31),
        start_reason="Registered after the start.",
        mentor=mentor_contact,
    )
