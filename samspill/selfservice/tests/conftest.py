"""The participant's own login, given as staff give it (an invitation; the participant then
chooses a password), and another participant of the same organisation with a login of theirs."""

import pytest

from samspill.accounts.models import User
from samspill.core.testing import PASSWORD, make_participant
from samspill.participants import services as participant_services
from samspill.participants.models import Participant
from samspill.portal.services import participant_invite


def own_login(participant: Participant, by: User, email: str) -> User:
    participant_services.participant_update(participant=participant, by=by, email=email)
    participant.refresh_from_db()
    user = participant_invite(participant=participant, by=by)
    user.set_password(PASSWORD)  # as the invitation page does
    user.save(update_fields=["password"])
    participant.refresh_from_db()
    return user


@pytest.fixture
def me(participant, counselor) -> User:
    counselor.phone = "+47 400 00 001"
    counselor.save(update_fields=["phone"])
    return own_login(participant, counselor, "kari@example.org")


@pytest.fixture
def them(org, colleague) -> Participant:
    other = make_participant(org, colleague, given_name="Siri", family_name="Annen")
    own_login(other, colleague, "siri@example.org")
    return other
