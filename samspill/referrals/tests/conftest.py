"""The referral cast, on top of the standard one (the root conftest.py): a coordinator, and
referrals taken by the counselor, by nobody, and in another organisation."""

import datetime
from typing import Any

import pytest

from samspill.accounts.models import User
from samspill.core.testing import make_staff
from samspill.organisations.models import Membership, Organisation
from samspill.referrals import services
from samspill.referrals.models import Referral, Source


def make_referral(org: Organisation, by: User, **fields: Any) -> Referral:
    fields.setdefault("source", Source.YOUTH_DEPARTMENT)
    fields.setdefault("received_on", datetime.date(2026, 1, 12))
    fields.setdefault("given_name", "Siri")
    fields.setdefault("family_name", "Henvist")
    fields.setdefault("asked_for", "Help to find a practice place.")
    return services.referral_create(organisation=org, by=by, **fields)


@pytest.fixture
def coordinator(org) -> User:
    return make_staff(org, "coordinator@example.org", Membership.Role.COORDINATOR)


@pytest.fixture
def referral(org, counselor) -> Referral:
    """Taken by the counselor."""
    return make_referral(org, counselor, taken_by=counselor, phone="+47 900 00 000")


@pytest.fixture
def unassigned_referral(org, leader) -> Referral:
    return make_referral(org, leader, given_name="Ulf", family_name="Ledig")


@pytest.fixture
def colleagues_referral(org, colleague) -> Referral:
    return make_referral(
        org, colleague, given_name="Cora", family_name="Kollega", taken_by=colleague
    )


@pytest.fixture
def other_referral(other_org, outsider) -> Referral:
    return make_referral(
        other_org, outsider, given_name="Otto", family_name="Utenfor", taken_by=outsider
    )
