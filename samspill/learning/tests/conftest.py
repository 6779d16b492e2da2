"""The learning cast: a platform mentor in `org` and one in `other_org`, a network both are in."""

import pytest

from samspill.core.testing import make_staff
from samspill.learning import services
from samspill.organisations.models import Membership

CONTENT = {
    "title": "Troen på deltakeren",
    "purpose": "Hold fast ved troen på at deltakeren kan jobbe.",
    "research_source": "Kopano BIP",
    "research_finding": "Tro på deltakeren gir flere i arbeid.",
    "effect_size": "+32 %",
    "steps": "1. Spør. 2. Lytt.",
    "when_to_use": "Ved hver oppfølgingssamtale.",
    "practice_places": ["belief_check_in"],
}


@pytest.fixture(autouse=True)
def english(client, settings):
    """These tests read the English source strings."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def platform_mentor(org, leader, colleague):
    services.platform_mentor_appoint(user=colleague, by=leader)
    return colleague


@pytest.fixture
def other_leader(other_org):
    return make_staff(other_org, "otherleader@example.org", Membership.Role.LEADER)


@pytest.fixture
def other_admin(other_org):
    return make_staff(other_org, "otheradmin@example.org", Membership.Role.ADMIN)


@pytest.fixture
def other_mentor(other_org, other_leader, outsider):
    services.platform_mentor_appoint(user=outsider, by=other_leader)
    return outsider


@pytest.fixture
def network(admin, other_admin):
    network = services.network_create(name="Kopano-nettverket", by=admin)
    services.network_join(join_code=network.join_code, by=other_admin)
    return network


@pytest.fixture
def published(platform_mentor):
    method = services.method_create(by=platform_mentor, **CONTENT)
    services.method_publish(method=method, by=platform_mentor)
    method.refresh_from_db()
    return method
