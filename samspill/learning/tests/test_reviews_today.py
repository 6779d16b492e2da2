"""The Today page's learning-goal reviews (registered by this app): a leader's follow-up
conversations due with their staff, and anyone's own goals' reviews; nothing of another
organisation, and a leader's read of the list is logged."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from samspill.core.testing import client_for, make_staff
from samspill.followup import today
from samspill.learning import reviews_today, services
from samspill.learning.models import StaffRecordRead
from samspill.organisations.models import Membership
from samspill.organisations.queries import membership_for_user

TODAY = timezone.localdate()


def _rows(user):
    membership = membership_for_user(user)
    assert membership is not None
    return list(reviews_today.SECTION.rows(user, membership, TODAY))


@pytest.fixture
def goals(org, counselor, colleague, leader, time_machine):
    """Goals of `counselor` due in 3 days and overdue by 2, one due in 20 days, one reached;
    a colleague's due today; the leader's own due in 7 days."""
    time_machine.move_to(timezone.now() - datetime.timedelta(days=10))
    overdue = services.goal_create(
        by=counselor, goal="Overdue goal", next_review_on=TODAY - datetime.timedelta(2)
    )
    time_machine.move_to(timezone.now() + datetime.timedelta(days=10))
    soon = services.goal_create(
        by=counselor, goal="Soon goal", next_review_on=TODAY + datetime.timedelta(3)
    )
    services.goal_create(by=counselor, goal="Later", next_review_on=TODAY + datetime.timedelta(20))
    services.goal_create(by=counselor, goal="No review")
    colleagues = services.goal_create(by=colleague, goal="Colleague goal", next_review_on=TODAY)
    own = services.goal_create(
        by=leader, goal="Leader goal", next_review_on=TODAY + datetime.timedelta(7)
    )
    return {"overdue": overdue, "soon": soon, "colleague": colleagues, "leader": own}


def test_the_section_is_registered_on_today(db):
    assert today.SECTIONS["learning-reviews"] is reviews_today.SECTION


def test_a_leader_sees_the_conversations_due_with_staff_and_their_own(goals, leader):
    assert [g.pk for g in _rows(leader)] == [
        goals["overdue"].pk,
        goals["colleague"].pk,
        goals["soon"].pk,
        goals["leader"].pk,
    ]


def test_a_counselor_sees_only_their_own_goals_due(goals, counselor):
    assert [g.pk for g in _rows(counselor)] == [goals["overdue"].pk, goals["soon"].pk]


def test_another_organisations_leader_sees_none(goals, other_org):
    other_leader = make_staff(other_org, "leder@other.example.org", Membership.Role.LEADER)
    assert _rows(other_leader) == []


def test_a_held_conversation_with_a_later_review_leaves_the_list(goals, leader):
    services.goal_review_record(
        goal=goals["soon"],
        by=leader,
        held_on=TODAY,
        notes="Private notes",
        next_review_on=TODAY + datetime.timedelta(30),
    )
    assert goals["soon"].pk not in {g.pk for g in _rows(leader)}


def test_the_leaders_today_page_lists_and_links_them_and_logs_the_read(goals, leader, counselor):
    response = client_for(leader).get(reverse("followup:today"))
    assert response.status_code == 200
    assert response.context["lists"]["learning-reviews"].count == 4
    html = response.content.decode()
    for goal in goals.values():
        assert reverse("learning:goal", kwargs={"pk": goal.pk}) in html
        assert f'data-goal="{goal.pk}"' in html
    # Reading other staff members' goals is logged, once per person; not the leader's own.
    logged = set(
        StaffRecordRead.objects.filter(reader=leader, what="today:learning_reviews").values_list(
            "subject_id", flat=True
        )
    )
    assert logged == {counselor.pk, goals["colleague"].owner_id}


def test_the_row_links_to_where_the_leader_holds_the_conversation(goals, leader):
    page = client_for(leader).get(reverse("learning:goal", kwargs={"pk": goals["soon"].pk}))
    assert page.status_code == 200
    assert page.context["review_form"] is not None


def test_the_list_page_has_a_fixed_query_count(goals, leader, django_assert_num_queries):
    client = client_for(leader)
    client.get(reverse("followup:today"))  # the session's first request
    url = reverse("followup:today_section", kwargs={"section": "learning-reviews"})
    # Session, user, membership; the count, the rows, and the log of the reads.
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("language", ["nb", "da", "en"])
def test_the_section_is_translated(goals, counselor, client, settings, language):
    client.force_login(counselor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(reverse("followup:today")).content.decode()
    with translation.override(language):
        title = str(reviews_today.SECTION.title)
    assert title in html
    if language != "en":
        assert title != "Learning-goal reviews due"
