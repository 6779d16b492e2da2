"""The programme cast, on top of the learning cast: the platform mentor (`colleague`, team A)
runs a programme that enrols team A (`counselor`, `colleague`) and the `coordinator`; the
`other_team_counselor` (team B, not enrolled) facilitates its sessions. One session was
yesterday, one is next week. `admin` is staff but not enrolled; `outsider` is elsewhere."""

import datetime

import pytest
from django.utils import timezone

from samspill.learning import programme_services as services


@pytest.fixture
def facilitator(other_team_counselor):
    return other_team_counselor


@pytest.fixture
def programme(platform_mentor, team_a, coordinator):
    programme = services.programme_create(by=platform_mentor, title="Felles faglig plattform")
    services.enrolment_add(
        programme=programme, by=platform_mentor, teams=[team_a], users=[coordinator]
    )
    return programme


@pytest.fixture
def module(programme, platform_mentor):
    return services.module_add(programme=programme, by=platform_mentor, title="Troen på folk")


def at(days: int, hour: int = 9) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def held(module, platform_mentor, facilitator, published):
    """A session held yesterday, covering the published method."""
    return services.session_add(
        module=module,
        by=platform_mentor,
        title="Når troen faller",
        starts_at=at(-1),
        ends_at=at(-1, 12),
        place="Møterom Fjord",
        facilitator=facilitator,
        methods=[published],
    )


@pytest.fixture
def coming(module, platform_mentor, facilitator):
    return services.session_add(
        module=module,
        by=platform_mentor,
        title="Trepartsmøtet i praksis",
        starts_at=at(7, 13),
        ends_at=at(7, 15),
        video_url="https://video.example.org/trepart",
        facilitator=facilitator,
    )


@pytest.fixture
def attended(held, facilitator, counselor):
    """The facilitator recorded the counselor as present yesterday."""
    services.attendance_record(session=held, by=facilitator, present=[counselor.pk])
    return held


def reflection_data(**extra):
    return {
        "learned": "At troen smitter.",
        "will_try": "Spørre om troen i neste samtale.",
        "look_back_on": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        **extra,
    }
