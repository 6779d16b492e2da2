"""The leader's learning overview: goals by status, overdue reviews, sparring, and whether
belief, continuity and outcomes moved since a start date (the organisation only)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samspill.core.testing import make_participant
from samspill.followup.services import checkin_record
from samspill.learning import overview, services
from samspill.learning.models import LearningGoal
from samspill.learning.sparring_services import sparring_case_ask

pytestmark = pytest.mark.django_db

URL = reverse("learning:overview")


def test_wilson_interval_matches_the_textbook():
    low, high = overview.wilson(10, 20)
    assert round(low, 3) == 0.299 and round(high, 3) == 0.701
    low, high = overview.wilson(0, 10)
    assert low == 0.0 and round(high, 3) == 0.278


def test_windows_are_of_equal_length():
    today = datetime.date(2026, 3, 2)
    before, after = overview.windows(datetime.date(2026, 1, 1), today)
    assert after == (datetime.date(2026, 1, 1), today)
    assert before[1] == datetime.date(2025, 12, 31)
    assert (before[1] - before[0]) == (after[1] - after[0])


def test_a_leader_sees_goals_by_status_and_overdue_reviews(
    client, leader, counselor, colleague, time_machine
):
    soon = timezone.localdate() + datetime.timedelta(days=3)
    services.goal_create(by=counselor, goal="Lære IPS", next_review_on=soon)
    goal = services.goal_create(by=colleague, goal="Trepartsmøter", next_review_on=soon)
    services.goal_update(learning_goal=goal, by=colleague, status=LearningGoal.Status.REACHED)
    time_machine.move_to(timezone.now() + datetime.timedelta(days=10))
    client.force_login(leader)
    response = client.get(URL)
    assert response.status_code == 200
    goals = response.context["result"]["goals"]
    assert (goals["active"], goals["reached"], goals["overdue"]) == (1, 1, 1)
    page = response.content.decode()
    assert "Observational" in page
    assert "Lære IPS" not in page  # no person's goal on the overview


def test_platform_mentors_and_administrators_see_it_and_counselors_do_not(
    client, counselor, colleague, admin, leader, mentor
):
    services.platform_mentor_appoint(user=colleague, by=leader)
    for user, status in ((colleague, 200), (admin, 200), (counselor, 403), (mentor, 403)):
        client.force_login(user)
        assert client.get(URL).status_code == status, user


def test_anonymous_users_are_sent_to_sign_in(client):
    assert client.get(URL).status_code == 302


@pytest.mark.parametrize("since", ["2100-01-01", "1990-01-01", "not a date"])
def test_a_bad_start_date_gets_a_message_and_the_default_is_used(client, leader, since):
    client.force_login(leader)
    response = client.get(URL, {"since": since})
    assert response.status_code == 400
    assert response.context["form"].errors["since"]
    assert response.context["result"]["since"] == overview.default_since(timezone.localdate())


def test_belief_before_and_after_with_intervals_and_small_cells(
    client, org, counselor, colleague, leader, time_machine
):
    start = datetime.date(2026, 1, 5)
    time_machine.move_to(datetime.datetime(2026, 1, 5, 12, tzinfo=datetime.UTC))
    people = [
        make_participant(org, counselor, given_name=f"P{n}", start_date=start) for n in range(12)
    ]
    for n, person in enumerate(people):  # before: 3 of 12 at 4-5
        checkin_record(participant=person, by=counselor, belief=4 if n < 3 else 2, asked_on=start)
    sparring_case_ask(
        by=counselor,
        audience="colleague",
        asked=colleague,
        kind="lost_belief",
        participant=people[0],
        situation="Troen falt.",
    )
    time_machine.move_to(datetime.datetime(2026, 3, 2, 12, tzinfo=datetime.UTC))
    for n, person in enumerate(people):  # after: 7 of 12 at 4-5
        checkin_record(
            participant=person,
            by=counselor,
            belief=5 if n < 7 else 2,
            asked_on=datetime.date(2026, 3, 1),
        )
    client.force_login(leader)
    response = client.get(URL, {"since": "2026-02-01"})
    assert response.status_code == 200
    result = response.context["result"]
    belief = next(m for m in result["moved"] if m.key == "belief")
    assert (belief.before.k, belief.before.n) == (None, 12)  # 3 is a small cell
    assert (belief.after.k, belief.after.n) == (7, 12)
    assert belief.before.value is None and belief.points is None
    assert belief.after.interval is not None
    assert result["sparring"]["asked_before"] is None  # one request: hidden
    assert result["sparring"]["asked_after"] == 0
    response = client.get(URL, {"since": "2026-01-06"})
    belief = next(m for m in response.context["result"]["moved"] if m.key == "belief")
    assert belief.before.n == 12 and belief.after.n == 12


def test_the_page_reads_a_fixed_number_of_queries(
    client, org, leader, counselor, django_assert_num_queries
):
    def add(n: int) -> None:
        person = make_participant(org, counselor, given_name=f"P{n}")
        checkin_record(participant=person, by=counselor, belief=4, asked_on=timezone.localdate())
        services.goal_create(by=counselor, goal=f"Mål {n}")

    add(0)
    client.force_login(leader)
    client.get(URL)
    with CaptureQueriesContext(connection) as first:
        client.get(URL)
    assert len(first.captured_queries) <= 30
    for n in range(1, 4):
        add(n)
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(URL)
