"""The portal's cast: the mentor and employer contact are in the root conftest; here a placement
of `participant` with the mentor."""

import datetime

import pytest

from samspill.core.testing import portal_user  # noqa: F401 (imported by the portal tests)
from samspill.placements import services as placement_services
from samspill.placements.models import Placement


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
