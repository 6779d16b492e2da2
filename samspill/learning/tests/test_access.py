"""Every learning page: portal users and people without a membership get 403; another
organisation's goal or unshared method is 404."""

import pytest
from django.urls import reverse

from samspill.learning import services

pytestmark = pytest.mark.django_db

PAGES: list[tuple[str, list[int]]] = [
    ("learning:library", []),
    ("learning:goals", []),
    ("learning:mentors", []),
    ("learning:networks", []),
    ("learning:team_goals", []),
    ("learning:method_create", []),
]


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_portal_users_get_403(client, mentor, name, args):
    client.force_login(mentor)
    assert client.get(reverse(name, args=args)).status_code == 403


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_anonymous_users_are_sent_to_sign_in(client, name, args):
    assert client.get(reverse(name, args=args)).status_code == 302


def test_another_organisations_goal_and_method_are_404(client, counselor, outsider, published):
    goal = services.goal_create(by=counselor, goal="Privat mål")
    client.force_login(outsider)
    assert client.get(reverse("learning:goal", args=[goal.pk])).status_code == 404
    assert client.get(reverse("learning:method", args=[published.pk])).status_code == 404
    assert client.post(reverse("learning:method_adopt", args=[published.pk])).status_code == 404


def test_only_platform_mentors_write_methods(client, counselor, leader, published):
    for user in (counselor, leader):
        client.force_login(user)
        assert client.get(reverse("learning:method_create")).status_code == 403
        assert client.get(reverse("learning:method_edit", args=[published.pk])).status_code == 403
        assert (
            client.post(reverse("learning:method_publish", args=[published.pk])).status_code == 403
        )


def test_only_administrators_create_or_join_networks(client, leader):
    client.force_login(leader)
    response = client.post(reverse("learning:networks"), {"action": "create", "create-name": "X"})
    assert response.status_code == 403
