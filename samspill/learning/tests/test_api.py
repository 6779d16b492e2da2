"""The learning API: methods, my goals (stale writes are 409) and a leader's follow-ups."""

import datetime

import pytest
from django.utils import timezone

from samspill.learning import services
from samspill.learning.models import GoalReview, LearningGoal, StaffRecordRead
from samspill.learning.tests.conftest import CONTENT

pytestmark = pytest.mark.django_db

API = "/api/v1/learning"
SOON = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


def test_methods_list_search_and_detail_show_published_ones_only(
    client, platform_mentor, published, counselor
):
    services.method_create(by=platform_mentor, **{**CONTENT, "title": "Utkast"})  # a draft
    client.force_login(platform_mentor)
    listed = client.get(f"{API}/methods").json()
    assert listed["count"] == 1 and not listed["more"]
    assert listed["items"][0]["title"] == "Troen på deltakeren"
    client.force_login(counselor)
    found = client.get(f"{API}/methods", {"q": "deltakeren"}).json()
    assert [m["id"] for m in found["items"]] == [published.pk]
    assert client.get(f"{API}/methods", {"q": "zebra"}).json()["count"] == 0
    detail = client.get(f"{API}/methods/{published.pk}").json()
    assert detail["effect_size"] == "+32 %" and detail["practice_places"] == ["belief_check_in"]
    assert detail["own"] is True and detail["version"] == 1


def test_a_method_shared_with_the_network_is_read_by_the_other_organisation(
    client, published, network, platform_mentor, outsider
):
    client.force_login(outsider)
    assert client.get(f"{API}/methods/{published.pk}").status_code == 404
    services.method_share(method=published, network=network, by=platform_mentor)
    shared = client.get(f"{API}/methods", {"scope": "network"}).json()
    assert [m["id"] for m in shared["items"]] == [published.pk]
    assert shared["items"][0]["own"] is False
    assert client.get(f"{API}/methods", {"scope": "own"}).json()["count"] == 0
    assert client.get(f"{API}/methods/{published.pk}").json()["shared_with"] == network.name


def test_portal_users_get_403_and_anonymous_401(client, mentor):
    assert client.get(f"{API}/methods").status_code == 401
    client.force_login(mentor)
    for url in (f"{API}/methods", f"{API}/goals", f"{API}/follow-ups"):
        assert client.get(url).status_code == 403


def test_a_counselor_sets_and_changes_a_goal_and_a_stale_revision_is_409(
    client, counselor, published
):
    client.force_login(counselor)
    response = post(
        client,
        f"{API}/goals",
        {"goal": "Lære IPS", "target_date": SOON, "method_ids": [published.pk]},
    )
    assert response.status_code == 201, response.json()
    goal = response.json()
    assert goal["method_ids"] == [published.pk] and goal["revision"] == 1
    url = f"{API}/goals/{goal['id']}"
    changed = patch(client, url, {"revision": 1, "status": "reached"})
    assert changed.status_code == 200 and changed.json()["revision"] == 2
    stale = patch(client, url, {"revision": 1, "goal": "Noe annet"})
    assert stale.status_code == 409 and stale.json()["revision"] == 2
    assert LearningGoal.objects.get().goal == "Lære IPS"
    assert [g["id"] for g in client.get(f"{API}/goals").json()] == [goal["id"]]


def test_bad_input_gets_a_message_and_changes_nothing(client, counselor, outsider):
    client.force_login(counselor)
    past = post(client, f"{API}/goals", {"goal": "Mål", "target_date": "2020-01-01"})
    assert past.status_code == 422
    assert past.json()["errors"][0]["field"] == "target_date"
    unknown_method = post(client, f"{API}/goals", {"goal": "Mål", "method_ids": [999999]})
    assert unknown_method.status_code == 422
    assert post(client, f"{API}/goals", {"goal": ""}).status_code == 422
    assert not LearningGoal.objects.exists()


def test_another_persons_goal_is_404_to_change(client, counselor, colleague, leader):
    goal = services.goal_create(by=colleague, goal="Privat")
    for user in (counselor, leader):
        client.force_login(user)
        response = patch(client, f"{API}/goals/{goal.pk}", {"revision": 1, "goal": "Mitt"})
        assert response.status_code == 404
        assert [g["id"] for g in client.get(f"{API}/goals").json()] == []


def test_a_leader_lists_follow_ups_and_the_reads_are_logged(
    client, counselor, colleague, leader, outsider, time_machine
):
    soon = timezone.localdate() + datetime.timedelta(days=2)
    services.goal_create(by=counselor, goal="Lære IPS", next_review_on=soon)
    services.goal_create(by=colleague, goal="Trepartsmøter")
    services.goal_create(by=outsider, goal="Annen organisasjon")
    time_machine.move_to(timezone.now() + datetime.timedelta(days=5))
    client.force_login(leader)
    everything = client.get(f"{API}/follow-ups").json()
    assert everything["count"] == 2
    overdue = client.get(f"{API}/follow-ups", {"overdue": "true"}).json()
    assert [item["goal"] for item in overdue["items"]] == ["Lære IPS"]
    assert overdue["items"][0]["overdue"] is True
    assert set(StaffRecordRead.objects.values_list("subject_id", flat=True)) == {
        counselor.pk,
        colleague.pk,
    }
    for user in (counselor, outsider):
        client.force_login(user)
        assert client.get(f"{API}/follow-ups").status_code == 403


def test_the_routes_are_in_the_openapi_document(client, counselor):
    client.force_login(counselor)
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/learning/methods",
        "/api/v1/learning/methods/{method_id}",
        "/api/v1/learning/goals",
        "/api/v1/learning/goals/{goal_id}",
        "/api/v1/learning/follow-ups",
        "/api/v1/learning/team/goals",
        "/api/v1/learning/goals/{goal_id}/reviews",
    ):
        assert path in paths


def test_a_leader_reads_the_team_goals_by_status_and_overdue_and_the_reads_are_logged(
    client, counselor, colleague, leader, outsider, admin, time_machine
):
    soon = timezone.localdate() + datetime.timedelta(days=2)
    services.goal_create(by=counselor, goal="Lære IPS", next_review_on=soon)
    reached = services.goal_create(by=colleague, goal="Trepartsmøter")
    services.goal_update(learning_goal=reached, by=colleague, revision=1, status="reached")
    services.goal_create(by=leader, goal="Lederens eget")
    services.goal_create(by=outsider, goal="Annen organisasjon")
    time_machine.move_to(timezone.now() + datetime.timedelta(days=5))
    client.force_login(leader)
    page = client.get(f"{API}/team/goals").json()
    assert page["counts"] == {"active": 1, "reached": 1, "dropped": 0, "overdue": 1}
    assert sorted(item["goal"] for item in page["items"]) == ["Lære IPS", "Trepartsmøter"]
    assert "reflection" not in str(page).lower()
    only_reached = client.get(f"{API}/team/goals", {"status": "reached"}).json()
    assert [item["goal"] for item in only_reached["items"]] == ["Trepartsmøter"]
    overdue = client.get(f"{API}/team/goals", {"overdue": "true"}).json()
    assert [item["goal"] for item in overdue["items"]] == ["Lære IPS"]
    assert overdue["items"][0]["overdue"] is True
    assert client.get(f"{API}/team/goals", {"status": "bogus"}).status_code == 422
    reads = StaffRecordRead.objects.filter(what="api:learning:team_goals")
    assert set(reads.values_list("subject_id", flat=True)) == {counselor.pk, colleague.pk}
    for user in (counselor, admin, outsider):
        client.force_login(user)
        assert client.get(f"{API}/team/goals").status_code == 403


def test_query_count_of_the_team_goals_is_fixed(
    client, counselor, colleague, leader, django_assert_max_num_queries
):
    for n in range(6):
        services.goal_create(by=counselor if n % 2 else colleague, goal=f"Mål {n}")
    client.force_login(leader)
    client.get(f"{API}/team/goals")
    with django_assert_max_num_queries(12):
        assert len(client.get(f"{API}/team/goals").json()["items"]) == 6


def test_a_leader_holds_a_follow_up_conversation_through_the_api(
    client, counselor, leader, colleague, outsider, other_leader
):
    goal = services.goal_create(by=counselor, goal="Lære IPS")
    url = f"{API}/goals/{goal.pk}/reviews"
    today = timezone.localdate()
    client.force_login(leader)
    response = post(
        client,
        url,
        {
            "held_on": today.isoformat(),
            "notes": "Godt i gang.",
            "next_steps": "Prøv trepartsmøtet.",
            "next_review_on": SOON,
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()["next_steps"] == "Prøv trepartsmøtet."
    goal.refresh_from_db()
    assert goal.next_review_on is not None and goal.next_review_on.isoformat() == SOON
    listed = client.get(url).json()
    assert [r["id"] for r in listed] == [response.json()["id"]]
    assert StaffRecordRead.objects.filter(
        reader=leader, subject=counselor, what="api:learning:goal_reviews"
    ).exists()
    # The owner reads the conversations about their own goal, unlogged, and cannot add one.
    client.force_login(counselor)
    before = StaffRecordRead.objects.count()
    assert len(client.get(url).json()) == 1
    assert StaffRecordRead.objects.count() == before
    assert post(client, url, {"held_on": today.isoformat()}).status_code == 403
    # A colleague and another organisation's leader see nothing.
    for user in (colleague, other_leader, outsider):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert post(client, url, {"held_on": today.isoformat()}).status_code == 404
    assert GoalReview.objects.count() == 1


def test_a_leaders_own_goal_and_bad_dates_change_nothing(client, leader, counselor):
    own = services.goal_create(by=leader, goal="Eget mål")
    client.force_login(leader)
    today = timezone.localdate()
    assert (
        post(client, f"{API}/goals/{own.pk}/reviews", {"held_on": today.isoformat()}).status_code
        == 403
    )
    goal = services.goal_create(by=counselor, goal="Lære IPS")
    url = f"{API}/goals/{goal.pk}/reviews"
    future = post(client, url, {"held_on": (today + datetime.timedelta(days=3)).isoformat()})
    assert future.status_code == 422 and future.json()["errors"][0]["field"] == "held_on"
    before = post(
        client,
        url,
        {"held_on": today.isoformat(), "next_review_on": today.isoformat()},
    )
    assert before.status_code == 422
    assert before.json()["errors"][0]["field"] == "next_review_on"
    assert not GoalReview.objects.exists()
