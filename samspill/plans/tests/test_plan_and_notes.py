"""The plan page (goals, activities, status changes) and notes, plain and through htmx."""

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samspill.accounts.models import User
from samspill.audit.models import AuditEvent
from samspill.core.testing import client_for, make_participant
from samspill.participants.models import Participant
from samspill.plans import services
from samspill.plans.models import Activity, Goal, Note

HTMX = {"HX-Request": "true"}


def english(user: User) -> Client:
    client = client_for(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def url(name: str, participant: Participant, **kwargs: int) -> str:
    return reverse(f"participants:{name}", kwargs={"pk": participant.pk, **kwargs})


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def note(**changes: str) -> dict[str, str]:
    data = {"kind": "conversation", "occurred_on": "2026-02-10", "text": "Talked about CV"}
    data.update(changes)
    return data


@pytest.fixture
def goal(participant, counselor) -> Goal:
    return services.goal_add(participant=participant, by=counselor, title="Get a driving licence")


@pytest.fixture
def activity(participant, counselor) -> Activity:
    return services.activity_add(
        participant=participant,
        by=counselor,
        kind=Activity.Kind.WORK_TRAINING,
        title="Trial week at the bakery",
        due_date=datetime.date(2026, 3, 1),
    )


class TestGoals:
    def test_adding_a_goal(self, counselor, participant):
        target = timezone.localdate() + datetime.timedelta(days=60)
        response = english(counselor).post(
            url("plan", participant),
            {
                "action": "goal",
                "goal-title": "Work in a kitchen",
                "goal-description": "Part time first",
                "goal-target_date": target.isoformat(),
            },
        )

        assert response.status_code == 302
        assert response["Location"] == url("plan", participant)
        goal = participant.goals.get()
        assert goal.title == "Work in a kitchen"
        assert goal.target_date == target
        assert goal.period_id == participant.active_period_id
        assert goal.created_by == counselor
        assert goal.status == Goal.Status.ACTIVE
        assert AuditEvent.objects.get(action="goal.added").actor == counselor

    def test_the_plan_page_shows_the_goals(self, counselor, participant, goal):
        response = english(counselor).get(url("plan", participant))

        assert response.status_code == 200
        assert b"Get a driving licence" in response.content

    @pytest.mark.parametrize(
        ("data", "field"),
        [
            ({"goal-title": ""}, "title"),
            ({"goal-title": "A goal", "goal-target_date": "2026-02-30"}, "target_date"),
            ({"goal-title": "A goal", "goal-target_date": "next year"}, "target_date"),
        ],
    )
    def test_an_invalid_goal_is_refused_and_nothing_is_added(
        self, counselor, participant, data, field
    ):
        response = english(counselor).post(url("plan", participant), {"action": "goal", **data})

        assert response.status_code == 400
        assert field in response.context["goal_form"].errors
        assert not Goal.objects.exists()

    def test_a_goal_dated_in_the_past_asks_for_a_tick_and_then_is_added(
        self, counselor, participant
    ):
        data = {"action": "goal", "goal-title": "A goal", "goal-target_date": "2020-03-01"}

        response = english(counselor).post(url("plan", participant), data)

        assert response.status_code == 400
        assert "is in the past" in response.context["goal_form"].errors["target_date"][0]
        assert b"Yes, the date is in the past" in response.content
        assert not Goal.objects.exists()

        response = english(counselor).post(
            url("plan", participant), {**data, "goal-confirm_past": "on"}
        )

        assert response.status_code == 302
        assert participant.goals.get().target_date == datetime.date(2020, 3, 1)

    def test_changing_a_goals_status(self, counselor, participant, goal):
        response = english(counselor).post(
            url("goal_status", participant, goal_pk=goal.pk), {"status": "reached", "revision": 1}
        )

        assert response.status_code == 302
        goal.refresh_from_db()
        assert goal.status == Goal.Status.REACHED
        event = AuditEvent.objects.get(action="goal.status_changed")
        assert event.data == {"status": "reached"}

    @pytest.mark.parametrize("status", ["finished", "", "ACTIVE"])
    def test_an_invalid_goal_status_is_refused(self, counselor, participant, goal, status):
        response = english(counselor).post(
            url("goal_status", participant, goal_pk=goal.pk), {"status": status}, follow=True
        )

        assert "Choose a valid status." in messages_of(response)
        goal.refresh_from_db()
        assert goal.status == Goal.Status.ACTIVE
        assert not AuditEvent.objects.filter(action="goal.status_changed").exists()

    def test_a_goal_of_another_participant_is_a_404(self, org, counselor, participant):
        someone_else = make_participant(org, counselor, given_name="Per")
        goal = services.goal_add(participant=someone_else, by=counselor, title="Other goal")

        response = english(counselor).post(
            url("goal_status", participant, goal_pk=goal.pk), {"status": "dropped"}
        )

        assert response.status_code == 404
        goal.refresh_from_db()
        assert goal.status == Goal.Status.ACTIVE


class TestActivities:
    def test_adding_an_activity_under_a_goal(self, counselor, participant, goal):
        response = english(counselor).post(
            url("plan", participant),
            {
                "action": "activity",
                "activity-kind": "job_search",
                "activity-title": "Apply to three shops",
                "activity-due_date": "2026-02-20",
                "activity-status": "in_progress",
                "activity-goal": goal.pk,
            },
        )

        assert response.status_code == 302
        activity = participant.activities.get()
        assert activity.title == "Apply to three shops"
        assert activity.kind == Activity.Kind.JOB_SEARCH
        assert activity.status == Activity.Status.IN_PROGRESS
        assert activity.goal == goal
        assert activity.due_date == datetime.date(2026, 2, 20)
        assert activity.period_id == participant.active_period_id
        assert AuditEvent.objects.get(action="activity.added").data == {
            "kind": "job_search",
            "status": "in_progress",
        }

    def test_the_plan_page_lists_the_activities(self, counselor, participant, activity):
        response = english(counselor).get(url("plan", participant))

        assert b"Trial week at the bakery" in response.content

    @pytest.mark.parametrize(
        ("data", "field"),
        [
            ({"activity-due_date": "2026-02-31"}, "due_date"),
            ({"activity-due_date": ""}, "due_date"),
            ({"activity-kind": "party"}, "kind"),
            ({"activity-title": ""}, "title"),
            ({"activity-status": "someday"}, "status"),
        ],
    )
    def test_an_invalid_activity_is_refused_and_nothing_is_added(
        self, counselor, participant, data, field
    ):
        post = {
            "action": "activity",
            "activity-kind": "meeting",
            "activity-title": "Meet NAV",
            "activity-due_date": "2026-02-20",
            "activity-status": "planned",
        }
        post.update(data)

        response = english(counselor).post(url("plan", participant), post)

        assert response.status_code == 400
        assert field in response.context["activity_form"].errors
        assert not Activity.objects.exists()

    def test_a_goal_of_another_participant_cannot_be_chosen(self, org, counselor, participant):
        someone_else = make_participant(org, counselor, given_name="Per")
        foreign_goal = services.goal_add(participant=someone_else, by=counselor, title="Other")

        response = english(counselor).post(
            url("plan", participant),
            {
                "action": "activity",
                "activity-kind": "meeting",
                "activity-title": "Meet NAV",
                "activity-due_date": "2026-02-20",
                "activity-status": "planned",
                "activity-goal": foreign_goal.pk,
            },
        )

        assert response.status_code == 400
        assert "goal" in response.context["activity_form"].errors
        assert not Activity.objects.exists()

    def test_changing_an_activitys_status(self, counselor, participant, activity):
        response = english(counselor).post(
            url("activity_status", participant, activity_pk=activity.pk),
            {"status": "done", "revision": 1},
        )

        assert response.status_code == 302
        activity.refresh_from_db()
        assert activity.status == Activity.Status.DONE

    @pytest.mark.parametrize("status", ["finished", "", "x" * 30])
    def test_an_invalid_activity_status_is_refused(self, counselor, participant, activity, status):
        response = english(counselor).post(
            url("activity_status", participant, activity_pk=activity.pk),
            {"status": status},
            follow=True,
        )

        assert "Choose a valid status." in messages_of(response)
        activity.refresh_from_db()
        assert activity.status == Activity.Status.PLANNED
        assert not AuditEvent.objects.filter(action="activity.status_changed").exists()

    def test_status_changes_are_post_only(self, counselor, participant, activity):
        response = english(counselor).get(
            url("activity_status", participant, activity_pk=activity.pk), {"status": "done"}
        )

        assert response.status_code == 405
        activity.refresh_from_db()
        assert activity.status == Activity.Status.PLANNED


class TestNotes:
    def test_a_plain_post_adds_the_note_and_goes_back_to_the_overview(self, counselor, participant):
        response = english(counselor).post(url("note_add", participant), note())

        assert response.status_code == 302
        assert response["Location"] == url("detail", participant)
        saved = participant.notes.get()
        assert saved.text == "Talked about CV"
        assert saved.author == counselor
        assert saved.period_id == participant.active_period_id

    def test_an_htmx_post_answers_with_the_partial_holding_the_note(self, counselor, participant):
        response = english(counselor).post(
            url("note_add", participant), note(text="Wants to try carpentry"), headers=HTMX
        )

        assert response.status_code == 200
        assert [t.name for t in response.templates][0] == "plans/_notes_and_timeline.html"
        assert b"<html" not in response.content
        assert b"Wants to try carpentry" in response.content
        assert b"The note was saved." in response.content
        assert participant.notes.count() == 1

    def test_an_invalid_htmx_post_answers_400_with_the_errors(self, counselor, participant):
        response = english(counselor).post(
            url("note_add", participant), note(text=""), headers=HTMX
        )

        assert response.status_code == 400
        assert "text" in response.context["note_form"].errors
        assert b"<html" not in response.content
        assert not Note.objects.exists()

    @pytest.mark.parametrize("kind", ["conversation", "phone", "meeting"])
    def test_a_contact_note_moves_the_last_contact(self, counselor, participant, kind):
        english(counselor).post(
            url("note_add", participant), note(kind=kind, occurred_on="2026-02-10")
        )

        participant.refresh_from_db()
        assert participant.last_contact_on == datetime.date(2026, 2, 10)

    def test_a_note_that_is_not_a_contact_leaves_the_last_contact(self, counselor, participant):
        english(counselor).post(url("note_add", participant), note(kind="other"))

        participant.refresh_from_db()
        assert participant.last_contact_on is None
        assert participant.notes.count() == 1

    def test_a_late_note_about_an_old_call_does_not_move_the_last_contact_back(
        self, counselor, participant
    ):
        client = english(counselor)
        client.post(url("note_add", participant), note(occurred_on="2026-03-01"))

        client.post(url("note_add", participant), note(kind="phone", occurred_on="2026-02-01"))

        participant.refresh_from_db()
        assert participant.last_contact_on == datetime.date(2026, 3, 1)

    def test_a_note_can_set_the_next_follow_up(self, counselor, participant):
        english(counselor).post(
            url("note_add", participant), note(next_follow_up_on="2026-02-24"), headers=HTMX
        )

        participant.refresh_from_db()
        assert participant.next_follow_up_on == datetime.date(2026, 2, 24)

    def test_a_note_without_a_next_follow_up_keeps_the_planned_one(self, counselor, participant):
        Participant.objects.filter(pk=participant.pk).update(
            next_follow_up_on=datetime.date(2026, 4, 1)
        )

        english(counselor).post(url("note_add", participant), note())

        participant.refresh_from_db()
        assert participant.next_follow_up_on == datetime.date(2026, 4, 1)

    def test_a_note_dated_in_the_future_is_refused_and_changes_nothing(
        self, counselor, participant
    ):
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        response = english(counselor).post(
            url("note_add", participant),
            note(kind="phone", occurred_on=tomorrow.isoformat(), text="x" * 10),
            headers=HTMX,
        )

        assert response.status_code == 400
        assert response.context["note_form"].errors == {
            "occurred_on": ["A note records what happened: its date cannot be in the future."]
        }
        assert not Note.objects.exists()
        participant.refresh_from_db()
        assert participant.last_contact_on is None

    def test_a_next_follow_up_before_the_note_is_refused(self, counselor, participant):
        response = english(counselor).post(
            url("note_add", participant),
            note(occurred_on="2026-02-10", next_follow_up_on="2026-02-01"),
            headers=HTMX,
        )

        assert response.status_code == 400
        assert response.context["note_form"].errors == {
            "next_follow_up_on": ["The next follow-up cannot be before the note's date."]
        }
        assert not Note.objects.exists()
        participant.refresh_from_db()
        assert participant.next_follow_up_on is None
        assert participant.last_contact_on is None

    @pytest.mark.parametrize(
        "changes",
        [
            {"occurred_on": "2026-02-30"},
            {"occurred_on": "10.02.2026x"},
            {"occurred_on": ""},
            {"next_follow_up_on": "someday"},
        ],
    )
    def test_bad_dates_are_refused_and_nothing_is_saved(self, counselor, participant, changes):
        client = english(counselor)

        response = client.post(url("note_add", participant), note(**changes))

        assert response.status_code == 302
        [message] = messages_of(client.get(url("detail", participant)))
        assert message.startswith("The note was not saved:")
        assert not Note.objects.exists()
        participant.refresh_from_db()
        assert participant.last_contact_on is None
        assert participant.next_follow_up_on is None

    def test_the_audit_event_names_the_kind_and_never_holds_the_text(self, counselor, participant):
        english(counselor).post(url("note_add", participant), note(text="Private: anxiety"))

        event = AuditEvent.objects.get(action="note.added")
        assert event.actor == counselor
        assert event.data == {"kind": "conversation"}
        assert "anxiety" not in json.dumps(list(AuditEvent.objects.values_list("data")))

    def test_adding_a_note_is_post_only(self, counselor, participant):
        response = english(counselor).get(url("note_add", participant))

        assert response.status_code == 405


def test_the_open_activity_index_covers_exactly_the_open_statuses():
    """The overdue sweep filters on Activity.OPEN_STATUSES; the partial index that serves it
    spells them out (Meta cannot see the class), so the two must not drift apart."""
    index = next(i for i in Activity._meta.indexes if i.name == "activity_open_due")
    assert index.condition is not None
    assert index.condition.connector == "OR"
    assert sorted(index.condition.children) == sorted(
        ("status", str(status)) for status in Activity.OPEN_STATUSES
    )
    assert index.condition == Activity.open_q()  # what the sweep and the Today page ask
