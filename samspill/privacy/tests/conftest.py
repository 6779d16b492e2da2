import datetime

import pytest

from samspill.participants import services as participant_services
from samspill.participants.models import Participant
from samspill.plans import services as plan_services
from samspill.plans.models import Note
from samspill.referrals.models import Referral, Source
from samspill.referrals.services import referral_create

NOTE_TEXT = "Snakket om angsten før intervjuet hos Bakeriet"


@pytest.fixture(autouse=True)
def english(default_language):
    """Messages from the services and commands in English, the source language."""
    from django.utils import translation

    translation.activate("en")


@pytest.fixture
def person(org, counselor) -> Participant:
    """The cast's counselor follows a participant with contact details, a note and a consent."""
    from samspill.core.testing import make_participant

    person = make_participant(
        org,
        counselor,
        given_name="Sigrid",
        family_name="Solbakken",
        national_id="17059006819",
        phone="+47 912 34 567",
        email="sigrid.solbakken@example.net",
        needs="Trenger pauser (helse)",
    )
    plan_services.note_add(
        participant=person,
        by=counselor,
        kind=Note.Kind.CONVERSATION,
        text=NOTE_TEXT,
        occurred_on=datetime.date(2026, 2, 1),
    )
    participant_services.consent_give(
        participant=person, by=counselor, recipient="workplace", information="contact"
    )
    return person


def end_follow_up(person: Participant, by) -> None:
    participant_services.period_end(
        participant=person, by=by, end_date=datetime.date(2026, 3, 1), outcome="education"
    )


def make_referral(org, by, **fields) -> Referral:
    """A referral taken by `by`, received 2026-01-12."""
    values = {
        "taken_by": by,
        "source": Source.YOUTH_DEPARTMENT,
        "received_on": datetime.date(2026, 1, 12),
        "given_name": "Siri",
        "family_name": "Henvist",
        "phone": "+47 900 00 000",
        "asked_for": "Help to find a practice place.",
    }
    return referral_create(organisation=org, by=by, **(values | fields))
