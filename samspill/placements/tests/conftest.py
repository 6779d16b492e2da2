"""Fixtures for the agreement story (test_agreement, test_status_and_chain, test_followups): the
clock frozen on `cast.TODAY`, a complete draft that starts on `cast.START`, and the same draft
approved by all three parties. A module that wants the frozen clock names it in `pytestmark`;
the modules here that define their own `clock`, `draft` or `approved` keep theirs."""

import pytest

from samspill.placements.models import Placement
from samspill.placements.tests import cast
from samspill.placements.tests.cast import START, TODAY, at


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(at(TODAY), tick=False)
    return time_machine


@pytest.fixture
def draft(participant, employer, counselor, mentor_contact) -> Placement:
    return cast.draft(participant, employer, counselor, mentor_contact, start=START)


@pytest.fixture
def approved(draft, counselor, employer_user) -> Placement:
    return cast.approve_all(draft, counselor, employer_user)
