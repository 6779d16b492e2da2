import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from samspill.learning import services
from samspill.learning.models import GoalReview, LearningGoal, StaffRecordRead

pytestmark = pytest.mark.django_db

SOON = timezone.localdate() + datetime.timedelta(days=30)


def goal_data(**extra):
    return {
        "goal": "Bli tryggere i trepartsmøter",
        "why": "Jeg vil støtte arbeidsgiverne bedre.",
        "practice": "Leder to møter med mentor.",
        "target_date": SOON.isoformat(),
        "next_review_on": SOON.isoformat(),
        **extra,
    }


def test_a_counselor_sets_a_goal_and_colleagues_do_not_see_it(client, counselor, colleague):
    client.force_login(counselor)
    response = client.post(reverse("learning:goals"), goal_data())
    goal = LearningGoal.objects.get()
    assert response.url == reverse("learning:goal", args=[goal.pk])
    client.force_login(colleague)
    assert client.get(reverse("learning:goal", args=[goal.pk])).status_code == 404
    assert client.get(reverse("learning:team_goals")).status_code == 403


def test_a_goal_in_the_past_is_refused_with_every_message_at_once(client, counselor):
    client.force_login(counselor)
    response = client.post(
        reverse("learning:goals"),
        goal_data(target_date="2020-01-01", next_review_on="2020-01-01"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "target date has passed" in page and "next review must be today" in page
    assert not LearningGoal.objects.exists()


def test_the_leader_holds_a_follow_up_conversation_and_the_read_is_logged(
    client, counselor, leader
):
    goal = services.goal_create(by=counselor, goal="Lære IPS", next_review_on=SOON)
    client.force_login(leader)
    overview = client.get(reverse("learning:team_goals")).content.decode()
    assert "Lære IPS" in overview
    today = timezone.localdate()
    response = client.post(
        reverse("learning:goal", args=[goal.pk]),
        {
            "action": "review",
            "held_on": today.isoformat(),
            "notes": "God framgang",
            "next_steps": "Observere en kollega",
            "next_review_on": (today + datetime.timedelta(days=60)).isoformat(),
        },
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.next_review_on == today + datetime.timedelta(days=60)
    assert GoalReview.objects.get().next_steps == "Observere en kollega"
    assert StaffRecordRead.objects.filter(subject=counselor, reader=leader).count() == 2
    client.force_login(counselor)
    assert "God framgang" in client.get(reverse("learning:goal", args=[goal.pk])).content.decode()


def test_a_leader_cannot_edit_the_goal_and_the_owner_cannot_review_it(client, counselor, leader):
    goal = services.goal_create(by=counselor, goal="Lære IPS")
    client.force_login(leader)
    edit = client.post(reverse("learning:goal", args=[goal.pk]), {"action": "edit", **goal_data()})
    assert edit.status_code == 403
    client.force_login(counselor)
    review = client.post(
        reverse("learning:goal", args=[goal.pk]),
        {"action": "review", "held_on": timezone.localdate().isoformat()},
    )
    assert review.status_code == 403
    assert not GoalReview.objects.exists()


def test_the_owner_changes_status_and_a_stale_form_is_refused(client, counselor):
    goal = services.goal_create(by=counselor, goal="Lære IPS")
    client.force_login(counselor)
    url = reverse("learning:goal", args=[goal.pk])
    first = client.post(url, {"action": "edit", **goal_data(status="reached", revision=1)})
    assert first.status_code == 302
    stale = client.post(url, {"action": "edit", **goal_data(status="dropped", revision=1)})
    assert stale.status_code == 400
    goal.refresh_from_db()
    assert goal.status == LearningGoal.Status.REACHED


def test_overdue_reviews_are_counted_for_the_leader(
    client, counselor, leader, colleague, time_machine
):
    today = timezone.localdate()
    services.goal_create(by=counselor, goal="A", next_review_on=today + datetime.timedelta(60))
    services.goal_create(by=colleague, goal="B", next_review_on=today + datetime.timedelta(7))
    time_machine.move_to(timezone.now() + datetime.timedelta(days=10), tick=False)
    client.force_login(leader)
    page = client.get(reverse("learning:team_goals"), {"overdue": "1"}).content.decode()
    assert ">B</a>" in page and ">A</a>" not in page


def test_pages_have_a_fixed_number_of_queries(
    client, counselor, leader, colleague, django_assert_num_queries
):
    for user in (counselor, colleague, counselor):
        services.goal_create(by=user, goal="G", next_review_on=SOON)
    client.force_login(leader)
    client.get(reverse("learning:team_goals"))
    with django_assert_num_queries(7):
        client.get(reverse("learning:team_goals"))
    client.force_login(counselor)
    client.get(reverse("learning:goals"))
    with django_assert_num_queries(6):
        client.get(reverse("learning:goals"))
