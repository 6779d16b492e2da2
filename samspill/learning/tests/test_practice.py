"""My practice: each staff member's own mirror, never another person's."""

import datetime
from collections import Counter

import pytest
from django.urls import Resolver404, resolve, reverse

from samspill.core.testing import client_for, make_participant, make_staff
from samspill.followup.services import checkin_record
from samspill.insights.tests import outcome_data
from samspill.learning import practice
from samspill.organisations.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(time_machine, org, counselor, other_team_counselor, leader):
    return outcome_data.build(time_machine, org, counselor, other_team_counselor, leader)


def columns(response):
    return {column.key: column for column in response.context["columns"]}


def test_a_counselor_sees_their_own_figures(client, counselor, year):
    client.force_login(counselor)
    response = client.get(reverse("learning:my_practice"))
    assert response.status_code == 200
    mine = columns(response)["mine"]
    # 20 periods ended with this counselor as the last one: ten in work at the end, ten with
    # a work training, fifteen in work six months after; ten handed over to team B.
    assert mine.cells["ended"] == 20
    assert mine.share("woe_end", "ended") == 0.5
    assert mine.share("with_placement", "ended") == 0.5
    assert mine.share("woe_6", "due_6") == 0.75
    assert mine.cells["given"] == 10 and mine.cells["received"] == 0
    page = response.content.decode()
    assert "Only you see this page" in page
    # Team A has nobody else with participants: the team's figures are the counselor's own.
    assert columns(response)["team"].cells["ended"] == 20
    # The organisation has exactly one other counselor: its figures minus mine would be theirs.
    assert columns(response)["organisation"].withheld
    assert columns(response)["organisation"].cells["ended"] is None


def test_a_leader_cannot_see_a_counselors_mirror(client, counselor, leader, participant):
    """No route, parameter or API call shows another person's mirror."""
    client.force_login(counselor)
    assert columns(client.get(reverse("learning:my_practice")))["mine"].cells["caseload"] is None
    client.force_login(leader)
    response = client.get(
        reverse("learning:my_practice"), {"user": counselor.pk, "counselor": counselor.pk}
    )
    assert response.status_code == 200
    assert columns(response)["mine"].cells["caseload"] == 0  # the leader's own: none
    with pytest.raises(Resolver404):
        resolve(f"/learning/practice/{counselor.pk}/")
    api = client.get("/api/v1/openapi.json").json()
    assert not [path for path in api["paths"] if "practice" in path]


def test_portal_users_get_403(client, mentor):
    client.force_login(mentor)
    assert client.get(reverse("learning:my_practice")).status_code == 403


def test_anonymous_users_are_sent_to_sign_in(client):
    assert client.get(reverse("learning:my_practice")).status_code == 302


def test_the_page_reads_a_fixed_number_of_queries(
    org, counselor, year, time_machine, django_assert_num_queries
):
    client = client_for(counselor)
    url = reverse("learning:my_practice")
    colleague = make_staff(org, "c3@example.org", Membership.Role.COUNSELOR)

    def started(n: int) -> None:
        person = make_participant(org, colleague, given_name=f"Q{n}", start_date=outcome_data.TODAY)
        checkin_record(participant=person, by=colleague, belief=4, asked_on=outcome_data.TODAY)

    started(0)
    client.get(url)
    # The session, user, membership; beliefs, the trend, handovers, continuity; eight for the
    # employer contacts and caseloads, seven for the ended periods; the teams of the staff.
    with django_assert_num_queries(20):
        client.get(url)
    for n in range(1, 4):  # more participants, check-ins and periods: the same queries
        started(n)
    with django_assert_num_queries(20):
        client.get(url)


# --- The rule for the team's and the organisation's columns, on counts made up here --------


def tally(**counts):
    return practice.Tally(counts=Counter(counts))


@pytest.fixture
def three_in_team(org, team_a, team_b, counselor):
    people = {
        "c2": make_staff(org, "c2@example.org", Membership.Role.COUNSELOR, team_a),
        "c3": make_staff(org, "c3@example.org", Membership.Role.COUNSELOR, team_a),
        "b1": make_staff(org, "b1@example.org", Membership.Role.COUNSELOR, team_b),
        "b2": make_staff(org, "b2@example.org", Membership.Role.COUNSELOR, team_b),
    }
    return people


def mirror_with(monkeypatch, counselor, tallies):
    monkeypatch.setattr(practice, "counselor_tallies", lambda *args: tallies)
    membership = Membership.objects.select_related("organisation", "team").get(user=counselor)
    result = practice.mirror(counselor, membership, datetime.date(2026, 3, 2))
    return {column.key: column for column in result["columns"]}


def test_team_and_organisation_figures_rest_on_two_colleagues_or_more(
    monkeypatch, counselor, three_in_team
):
    p = three_in_team
    shown = mirror_with(
        monkeypatch,
        counselor,
        {
            counselor.pk: tally(ended=20, woe_end=10, not_woe_end=10),
            p["c2"].pk: tally(ended=6, woe_end=3, not_woe_end=3),
            p["c3"].pk: tally(ended=10, woe_end=5, not_woe_end=5),
            p["b1"].pk: tally(ended=8, woe_end=4, not_woe_end=4),
            p["b2"].pk: tally(ended=9, woe_end=5, not_woe_end=4),
        },
    )
    assert shown["team"].cells["ended"] == 36
    assert shown["team"].share("woe_end", "ended") == 0.5
    assert shown["organisation"].cells["ended"] == 53
    assert shown["organisation"].per_counselor("ended") == 10.6


def test_a_team_figure_is_hidden_when_the_colleagues_part_of_it_is_small(
    monkeypatch, counselor, three_in_team
):
    p = three_in_team
    shown = mirror_with(
        monkeypatch,
        counselor,
        {
            counselor.pk: tally(ended=20, woe_end=10, not_woe_end=10),
            p["c2"].pk: tally(ended=2, woe_end=1, not_woe_end=1),
            p["c3"].pk: tally(ended=1, woe_end=0, not_woe_end=1),
            p["b1"].pk: tally(ended=8, woe_end=4, not_woe_end=4),
            p["b2"].pk: tally(ended=9, woe_end=5, not_woe_end=4),
        },
    )
    # Team minus mine is 3 periods: the team's count would give the colleagues' away.
    assert shown["team"].cells["ended"] is None
    assert shown["team"].share("woe_end", "ended") is None
    assert shown["mine"].cells["ended"] == 20


def test_a_team_with_one_other_counselor_is_withheld(monkeypatch, counselor, three_in_team):
    p = three_in_team
    shown = mirror_with(
        monkeypatch,
        counselor,
        {
            counselor.pk: tally(ended=20, woe_end=10, not_woe_end=10),
            p["c2"].pk: tally(ended=10, woe_end=5, not_woe_end=5),
            p["b1"].pk: tally(ended=8, woe_end=4, not_woe_end=4),
            p["b2"].pk: tally(ended=9, woe_end=5, not_woe_end=4),
        },
    )
    assert shown["team"].withheld
    assert shown["team"].cells["ended"] is None
    assert shown["organisation"].cells["ended"] == 47  # three others: shown


def test_my_own_small_counts_are_hidden_too(monkeypatch, counselor, three_in_team):
    shown = mirror_with(monkeypatch, counselor, {counselor.pk: tally(ended=3, woe_end=3)})
    assert shown["mine"].cells["ended"] is None
    assert shown["mine"].share("woe_end", "ended") is None
