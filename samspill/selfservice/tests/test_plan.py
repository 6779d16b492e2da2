import datetime

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from samspill.core.testing import client_for
from samspill.followup import today
from samspill.organisations.queries import membership_for_user
from samspill.plans import services as plan_services
from samspill.plans.models import Activity
from samspill.selfservice import queries
from samspill.selfservice.models import Message

PLAN = reverse("selfservice:my_plan")


@pytest.fixture
def activity(participant, counselor) -> Activity:
    goal = plan_services.goal_add(participant=participant, by=counselor, title="Jobb i butikk")
    return plan_services.activity_add(
        participant=participant,
        by=counselor,
        kind="job_search",
        title="Søke tre jobber",
        due_date=datetime.date(2026, 12, 1),
        goal=goal,
    )


def from_participants(counselor):
    membership = membership_for_user(counselor)
    assert membership is not None
    section = today.SECTIONS["from-participants"]
    return list(section.rows(counselor, membership, datetime.date(2026, 12, 5)))


def test_the_participant_sees_their_goals_and_activities(me, activity):
    page = client_for(me).get(PLAN)
    body = page.content.decode()
    assert page.status_code == 200
    assert "Jobb i butikk" in body
    assert "Søke tre jobber" in body
    assert "+47 400 00 001" in body  # how to reach the counselor, on every page
    assert "counselor@example.org" in body


def test_marking_an_activity_done_shows_on_the_counselors_today(me, activity, counselor):
    response = client_for(me).post(
        reverse("selfservice:my_activity_done", kwargs={"pk": activity.pk}),
        {"revision": activity.revision},
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.status == Activity.Status.DONE
    [row] = from_participants(counselor)
    assert (row.kind, row.activity_id) == (Message.Kind.DONE, activity.pk)
    today_page = client_for(counselor).get(reverse("followup:today")).content.decode()
    assert "Søke tre jobber" in today_page


def test_a_stale_or_unreadable_revision_changes_nothing(me, activity, counselor):
    plan_services.activity_set_status(activity=activity, by=counselor, status="in_progress")
    client = client_for(me)
    url = reverse("selfservice:my_activity_done", kwargs={"pk": activity.pk})
    for revision in (activity.revision, "x"):
        response = client.post(url, {"revision": revision})
        assert response.status_code == 400
    activity.refresh_from_db()
    assert activity.status == Activity.Status.IN_PROGRESS
    assert not Message.objects.exists()


def test_a_done_activity_cannot_be_marked_done_again(me, activity):
    client = client_for(me)
    url = reverse("selfservice:my_activity_done", kwargs={"pk": activity.pk})
    client.post(url, {"revision": activity.revision})
    response = client.post(url, {"revision": activity.revision + 1})
    assert response.status_code == 400
    assert _("This activity is already closed.") in response.content.decode()
    assert Message.objects.count() == 1


def test_a_comment_reaches_the_counselor(me, activity, counselor):
    response = client_for(me).post(
        reverse("selfservice:my_activity_comment", kwargs={"pk": activity.pk}),
        {"text": "Jeg har søkt to"},
    )
    assert response.status_code == 302
    [row] = from_participants(counselor)
    assert (row.kind, row.text) == (Message.Kind.COMMENT, "Jeg har søkt to")


def test_an_empty_comment_is_refused(me, activity):
    response = client_for(me).post(
        reverse("selfservice:my_activity_comment", kwargs={"pk": activity.pk}), {"text": "  "}
    )
    assert response.status_code == 400
    assert not Message.objects.exists()


def test_the_participant_proposes_an_activity(me, participant, counselor, time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 5, 9, tzinfo=datetime.UTC))
    response = client_for(me).post(
        reverse("selfservice:my_activity_propose"),
        {"title": "Besøke biblioteket", "kind": "own_activity", "due_date": "2026-12-10"},
    )
    assert response.status_code == 302
    proposed = Activity.objects.get(participant=participant, title="Besøke biblioteket")
    assert proposed.created_by == me
    [row] = from_participants(counselor)
    assert (row.kind, row.activity_id) == (Message.Kind.PROPOSAL, proposed.pk)


@pytest.mark.parametrize(
    "data",
    [
        {"title": "", "kind": "own_activity", "due_date": "2026-12-10"},
        {"title": "x", "kind": "health", "due_date": "2026-12-10"},
        {"title": "x", "kind": "own_activity", "due_date": "2026-12-01"},  # in the past
        {"title": "x", "kind": "own_activity", "due_date": "tomorrow"},
    ],
)
def test_a_bad_proposal_is_refused_and_changes_nothing(me, participant, data, time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 5, 9, tzinfo=datetime.UTC))
    response = client_for(me).post(reverse("selfservice:my_activity_propose"), data)
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    assert not Activity.objects.filter(participant=participant).exists()
    assert not Message.objects.exists()


def test_another_participants_activity_is_a_404(me, them, colleague):
    theirs = plan_services.activity_add(
        participant=them, by=colleague, kind="other", title="Theirs", due_date=datetime.date.today()
    )
    client = client_for(me)
    for name, data in (
        ("selfservice:my_activity_done", {"revision": theirs.revision}),
        ("selfservice:my_activity_comment", {"text": "hei"}),
    ):
        assert client.post(reverse(name, kwargs={"pk": theirs.pk}), data).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Activity.Status.PLANNED
    assert not Message.objects.exists()


@pytest.mark.parametrize("rows", [1, 15])
def test_the_plan_page_runs_a_fixed_number_of_queries(
    rows, me, participant, counselor, django_assert_num_queries
):
    goal = plan_services.goal_add(participant=participant, by=counselor, title="Mål")
    for index in range(rows):
        plan_services.activity_add(
            participant=participant,
            by=counselor,
            kind="other",
            title=f"A{index}",
            due_date=datetime.date(2026, 12, 1),
            goal=goal if index % 2 else None,
        )
    client = client_for(me)
    # Session, user, the participant (with their counselor), the access-log row, goals,
    # activities, workplaces and the unread count; the layout's three (membership, employer
    # contact, participant record).
    with django_assert_num_queries(11):
        assert client.get(PLAN).status_code == 200


def test_the_today_list_is_only_the_counselors_own_participants(me, activity, colleague):
    client_for(me).post(
        reverse("selfservice:my_activity_comment", kwargs={"pk": activity.pk}), {"text": "Hei"}
    )
    assert list(queries.unread_from_participants(colleague)) == []
