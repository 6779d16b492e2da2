"""Helpers for tests: the standard cast is built from these (see the root conftest.py)."""

import datetime
import itertools
import random
from typing import Any

from django.test import Client

from samspill.accounts.models import User
from samspill.core.synthetic import orgnr_for
from samspill.employers.models import Employer, EmployerContact
from samspill.organisations.models import Membership, Organisation, Team
from samspill.participants import services
from samspill.participants.models import Participant

PASSWORD = "test-password-123"


def make_staff(org: Organisation, email: str, role: str, team: Team | None = None) -> User:
    user = User.objects.create_user(
        email=email, password=PASSWORD, full_name=email.split("@")[0].title()
    )
    Membership.objects.create(user=user, organisation=org, role=role, team=team)
    return user


def make_participant(org: Organisation, counselor: User, **fields: Any) -> Participant:
    fields.setdefault("given_name", "Kari")
    fields.setdefault("family_name", "Nordmann")
    fields.setdefault("start_date", datetime.date(2026, 1, 5))
    return services.participant_create(
        organisation=org, by=counselor, counselor=counselor, **fields
    )


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


_orgnr_seed = itertools.count(1)


def make_employer(org: Organisation, contact_person: User, **fields: Any) -> Employer:
    """An employer with a valid, distinct organisation number and `contact_person` to call."""
    from samspill.employers.services import employer_create

    fields.setdefault("name", "Arbeidsgiver AS")
    fields.setdefault("org_number", orgnr_for(random.Random(next(_orgnr_seed))))
    return employer_create(
        organisation=org, by=contact_person, contact_person=contact_person, **fields
    )


def portal_user(contact: EmployerContact) -> User:
    """Give an employer contact a portal account (as accepting the invitation would)."""
    user = User.objects.create_user(email=contact.email, password=PASSWORD, full_name=contact.name)
    contact.user = user
    contact.save(update_fields=["user"])
    return user
