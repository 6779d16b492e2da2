"""The placements a user may list (`queries.placements_visible_to`): the participant door, asked
branch by branch, gives exactly the placements of the participants the door lets through, and
the API lists them newest start first in a fixed number of queries."""

import datetime

import pytest

from samspill.accounts.models import User
from samspill.core.testing import client_for, make_participant
from samspill.employers.models import Employer
from samspill.organisations.models import Organisation
from samspill.participants.models import Participant
from samspill.placements import queries
from samspill.placements.models import Placement

DAY = datetime.date(2026, 3, 2)
ROLES = [
    "counselor",
    "colleague",
    "other_team_counselor",
    "coordinator",
    "leader",
    "admin",
    "outsider",
]


def place(
    participant: Participant, employer: Employer, by: User, start: datetime.date
) -> Placement:
    return Placement.objects.create(
        participant=participant,
        organisation_id=participant.organisation_id,
        employer=employer,
        created_by=by,
        kind=Placement.Kind.WORK_TRAINING,
        title="Bakeassistent",
        start_date=start,
    )


@pytest.fixture
def placements(
    org,
    participant,
    employer,
    counselor,
    colleague,
    other_team_counselor,
    other_participant,
    other_employer,
    outsider,
) -> dict[str, Placement]:
    colleagues = make_participant(org, colleague, given_name="Kollega", family_name="Deltaker")
    other_team = make_participant(org, other_team_counselor, given_name="Annet", family_name="Lag")
    return {
        "mine": place(participant, employer, counselor, DAY),
        "mine_same_day": place(participant, employer, counselor, DAY),
        "colleagues": place(colleagues, employer, colleague, DAY - datetime.timedelta(days=1)),
        "other_team": place(other_team, employer, other_team_counselor, DAY),
        "other_org": place(other_participant, other_employer, outsider, DAY),
    }


def team_sees(org: Organisation, user: User, sees: bool) -> None:
    org.team_sees_team_participants = sees
    org.save(update_fields=["team_sees_team_participants"])
    user.__dict__.pop("_samspill_membership", None)


def listed(user: User) -> set[int]:
    return set(queries.placements_visible_to(user).values_list("pk", flat=True))


@pytest.mark.parametrize("sees", [False, True])
@pytest.mark.parametrize("role", ROLES)
def test_the_list_holds_the_placements_of_exactly_the_participants_the_door_lets_through(
    request, org, placements, role, sees
):
    user = request.getfixturevalue(role)
    team_sees(org, user, sees)
    door = Participant.objects.visible_to(user)

    assert listed(user) == set(
        Placement.objects.filter(participant__in=door).values_list("pk", flat=True)
    )


def test_a_counselor_lists_their_own_and_when_the_team_may_see_the_teams(
    org, placements, counselor
):
    team_sees(org, counselor, False)
    assert listed(counselor) == {placements["mine"].pk, placements["mine_same_day"].pk}

    team_sees(org, counselor, True)
    assert listed(counselor) == {
        placements["mine"].pk,
        placements["mine_same_day"].pk,
        placements["colleagues"].pk,
    }


def test_an_administrator_lists_nothing(org, placements, admin, leader):
    assert listed(admin) == set()
    assert len(listed(leader)) == 4  # every placement in the organisation, none outside it


def test_the_api_lists_newest_start_first_in_a_fixed_number_of_queries(
    org, placements, counselor, django_assert_num_queries
):
    team_sees(org, counselor, True)
    client = client_for(counselor)

    # Session, user, membership, count, page (participant and employer joined in).
    with django_assert_num_queries(5):
        body = client.get("/api/v1/placements").json()

    assert body["count"] == 3
    # Same start: the later made first (-start_date, -id).
    assert [item["id"] for item in body["items"]] == [
        placements["mine_same_day"].pk,
        placements["mine"].pk,
        placements["colleagues"].pk,
    ]
    page = client.get("/api/v1/placements", {"limit": 1, "offset": 2}).json()
    assert page == {"count": 3, "items": [body["items"][2]]}


def test_a_leaders_list_is_read_by_the_placements_organisation_in_the_same_queries(
    org, placements, leader, django_assert_num_queries
):
    client = client_for(leader)

    with django_assert_num_queries(5) as captured:
        body = client.get("/api/v1/placements").json()

    assert body["count"] == 4
    assert placements["other_org"].pk not in {item["id"] for item in body["items"]}
    # Counted without collecting the organisation's participants.
    count = next(q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"])
    assert "participants_participant" not in count
