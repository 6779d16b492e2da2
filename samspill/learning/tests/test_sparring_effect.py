""" "Does sparring help?": lost beliefs that recovered, with and without sparring; small cells
hidden; only leaders and platform mentors see it."""

import datetime

import pytest
from django.urls import reverse

from samspill.core.testing import client_for, make_participant
from samspill.followup import services as followup_services
from samspill.learning import sparring_services
from samspill.learning.models import SparringCase
from samspill.learning.sparring_stats import sparring_effect, wilson

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 1, 5)


def lost_belief(org, counselor, colleague, *, name, sparring, recovered, later=True):
    participant = make_participant(org, counselor, family_name=name, start_date=START)
    followup_services.checkin_record(
        participant=participant, by=counselor, belief=5, asked_on=START
    )
    lost = followup_services.checkin_record(
        participant=participant,
        by=counselor,
        belief=2,
        asked_on=START + datetime.timedelta(days=28),
    )
    assert lost.suggest_sparring
    if sparring:
        sparring_services.sparring_case_ask(
            by=counselor,
            kind=SparringCase.Kind.LOST_BELIEF,
            audience=SparringCase.Audience.COLLEAGUE,
            asked=colleague,
            participant=participant,
            checkin=lost.checkin,
            situation="Troen falt",
        )
    if later:
        followup_services.checkin_record(
            participant=participant,
            by=counselor,
            belief=4 if recovered else 2,
            asked_on=START + datetime.timedelta(days=56),
        )


@pytest.fixture
def cases(org, counselor, colleague):
    """With sparring: 7 of 12 recovered; without: 5 of 12; two not known yet."""
    for index in range(12):
        lost_belief(org, counselor, colleague, name=f"S{index}", sparring=True, recovered=index < 7)
        lost_belief(
            org, counselor, colleague, name=f"N{index}", sparring=False, recovered=index < 5
        )
    for index in range(2):
        lost_belief(
            org,
            counselor,
            colleague,
            name=f"P{index}",
            sparring=False,
            recovered=False,
            later=False,
        )


def test_wilsons_interval_matches_the_known_values():
    low, high = wilson(5, 10)
    assert round(low, 4) == 0.2366 and round(high, 4) == 0.7634
    assert wilson(0, 10)[0] == 0.0
    assert wilson(10, 10)[1] == pytest.approx(1.0)


def test_the_shares_with_and_without_sparring_per_team_and_organisation(org, team_a, team_b, cases):
    effect = sparring_effect(org.pk)
    row = effect.organisation
    assert (row.with_sparring.n, row.with_sparring.recovered) == (12, 7)
    assert (row.without.n, row.without.recovered) == (12, 5)
    assert row.with_sparring.share == round(7 / 12, 3)
    interval = row.with_sparring.interval
    assert interval is not None
    low, high = interval
    assert low < 7 / 12 < high
    # The counselor's team carries every lost belief; the other team has none.
    team = next(r for r in effect.teams if r.name == team_a.name)
    assert team.with_sparring.n == 12
    other = next(r for r in effect.teams if r.name != team_a.name)
    assert other.with_sparring.n == 0
    assert effect.pending is None  # two not known yet: a small count, hidden


def test_small_cells_are_hidden_with_their_shares(org, counselor, colleague):
    for index in range(3):
        lost_belief(org, counselor, colleague, name=f"S{index}", sparring=True, recovered=True)
    for index in range(6):
        lost_belief(
            org, counselor, colleague, name=f"N{index}", sparring=False, recovered=index < 3
        )
    effect = sparring_effect(org.pk)
    assert effect.organisation.with_sparring.n is None
    assert effect.organisation.with_sparring.share is None
    assert effect.organisation.with_sparring.interval is None
    # 3 of 6 recovered: both parts are small, so the share is hidden too.
    assert effect.organisation.without.recovered is None
    assert effect.organisation.without.share is None
    assert effect.suppressed


def test_a_sparring_case_asked_after_the_next_checkin_does_not_count(org, counselor, colleague):
    participant = make_participant(org, counselor, start_date=START)
    followup_services.checkin_record(
        participant=participant, by=counselor, belief=5, asked_on=START
    )
    followup_services.checkin_record(
        participant=participant, by=counselor, belief=1, asked_on=START + datetime.timedelta(1)
    )
    followup_services.checkin_record(
        participant=participant, by=counselor, belief=1, asked_on=START + datetime.timedelta(2)
    )
    sparring_services.sparring_case_ask(
        by=counselor, asked=colleague, audience="colleague", participant=participant, situation="x"
    )  # today: long after the next check-in
    row = sparring_effect(org.pk).organisation
    assert row.with_sparring.n == 0


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("counselor", 403),
        ("coordinator", 403),
        ("admin", 403),
        ("mentor", 403),
        ("outsider", 403),
        ("leader", 200),
    ],
)
def test_only_leaders_and_platform_mentors_see_it(request, who, status):
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("learning:sparring_effect")).status_code == status


def test_a_platform_mentor_sees_it_with_the_warning(platform_mentor, cases):
    response = client_for(platform_mentor).get(reverse("learning:sparring_effect"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'role="note"' in body
    assert response.context["effect"].organisation.with_sparring.n == 12


def test_the_page_takes_the_same_queries_however_many_cases(
    org, leader, counselor, colleague, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(leader)
    url = reverse("learning:sparring_effect")
    lost_belief(org, counselor, colleague, name="A", sparring=True, recovered=True)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    for index in range(6):
        lost_belief(
            org, counselor, colleague, name=f"M{index}", sparring=index % 2 == 0, recovered=True
        )
    assert count() == few
