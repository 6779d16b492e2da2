"""Health needs and other special-category fields: shown only to those who follow the
participant; a leader reads the rest of the record (and the figures in aggregate)."""

import pytest

from samspill.core.testing import client_for
from samspill.organisations.models import Organisation
from samspill.participants.models import Participant
from samspill.participants.tests.test_api import bearer_client

pytestmark = pytest.mark.django_db
SECRET = "Sensitive health detail"


@pytest.fixture
def team_sees_team(org) -> Organisation:
    org.team_sees_team_participants = True
    org.save(update_fields=["team_sees_team_participants"])
    return org


def page(user, participant: Participant) -> str:
    response = client_for(user).get(f"/participants/{participant.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_counselor_sees_the_needs(counselor, participant):
    assert SECRET in page(counselor, participant)


def test_the_team_sees_the_needs_where_it_follows_the_teams_participants(
    team_sees_team, colleague, participant
):
    assert SECRET in page(colleague, participant)


def test_a_leader_reads_the_record_without_the_needs(leader, participant):
    content = page(leader, participant)

    assert participant.family_name in content
    assert SECRET not in content
    assert "shown only to those who follow the participant" in content or "følger" in content


def test_the_api_gives_a_leader_the_record_without_the_needs(leader, counselor, participant):
    as_leader = bearer_client(leader).get(f"/api/v1/participants/{participant.pk}").json()
    as_counselor = bearer_client(counselor).get(f"/api/v1/participants/{participant.pk}").json()

    assert (as_leader["needs"], as_counselor["needs"]) == ("", SECRET)
    assert as_leader["family_name"] == participant.family_name


def test_a_leaders_edit_form_neither_shows_nor_clears_the_needs(leader, participant):
    client = client_for(leader)
    url = f"/participants/{participant.pk}/edit/"
    assert SECRET not in client.get(url).content.decode()

    response = client.post(
        url,
        {
            "given_name": "Kari",
            "family_name": "Nordmann-Berg",
            "preferred_language": "nb",
            "revision": participant.revision,
        },
    )

    assert response.status_code == 302
    saved = Participant.objects.get(pk=participant.pk)
    assert (saved.family_name, saved.needs) == ("Nordmann-Berg", SECRET)


def test_a_counselor_in_another_team_or_organisation_gets_a_404(
    other_team_counselor, outsider, participant
):
    for user in (other_team_counselor, outsider):
        assert client_for(user).get(f"/participants/{participant.pk}/").status_code == 404
