"""The workshop cast: the coordinator runs a Skjulte Talenter workshop with the counselor's
participant and a participant of another team's counselor enrolled."""

import datetime

import pytest

from samspill.core.testing import make_participant
from samspill.workshops import services


@pytest.fixture
def workshop(org, coordinator):
    return services.workshop_create(
        organisation=org,
        by=coordinator,
        name="Skjulte Talenter",
        facilitator=coordinator,
        starts_on=datetime.date(2026, 3, 2),
    )


@pytest.fixture
def theirs(org, other_team_counselor):
    return make_participant(org, other_team_counselor, given_name="Tor", family_name="Annen")


@pytest.fixture
def enrolled(workshop, participant, counselor, theirs, other_team_counselor):
    return (
        services.enrol(workshop=workshop, participant=participant, by=counselor),
        services.enrol(workshop=workshop, participant=theirs, by=other_team_counselor),
    )


@pytest.fixture
def session(workshop, coordinator):
    return services.session_add(
        workshop=workshop, by=coordinator, date=datetime.date(2026, 3, 2), place="KOM, Grünerløkka"
    )
