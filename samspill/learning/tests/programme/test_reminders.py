"""Look-back and review reminders through followup's daily run and digest: due once, stored
once however often the run goes, e-mailed as counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from samspill.accounts.services import user_set_email_reminders
from samspill.followup.models import Reminder
from samspill.followup.reminders import reminders_schedule, reminders_send
from samspill.learning import programme_services
from samspill.learning import services as learning_services
from samspill.learning.programme_reminders import CONVERSATION, GOAL_REVIEW, LOOK_BACK
from samspill.learning.tests.programme.conftest import reflection_data
from samspill.outbox.models import Message

pytestmark = pytest.mark.django_db


def later(time_machine, days: int) -> datetime.date:
    time_machine.move_to(timezone.now() + datetime.timedelta(days=days), tick=False)
    return timezone.localdate()


def kinds(user) -> list[str]:
    return sorted(Reminder.objects.filter(user=user).values_list("kind", flat=True))


def test_the_look_back_day_reminds_the_author_once_until_they_look_back(
    client, counselor, attended, time_machine
):
    look_back = timezone.localdate() + datetime.timedelta(days=3)
    reflection = programme_services.reflection_write(
        session=attended,
        by=counselor,
        learned="L",
        will_try="T",
        look_back_on=look_back,
    )
    assert reminders_schedule() == 0
    today = later(time_machine, 4)
    assert reminders_schedule(today=today) == 1
    assert reminders_schedule(today=today) == 0
    assert kinds(counselor) == [LOOK_BACK]
    user_set_email_reminders(user=counselor, by=counselor, enabled=True)
    assert reminders_send(today=today) == 1
    assert reminders_send(today=today) == 0
    message = Message.objects.get()
    assert "L" not in message.subject and ": 1" in message.body
    programme_services.reflection_look_back(reflection=reflection, by=counselor, note="Ok")
    Reminder.objects.all().delete()
    assert reminders_schedule(today=later(time_machine, 1)) == 0


def test_a_goal_review_reminds_the_owner_and_every_leader_until_one_holds_the_conversation(
    client, counselor, leader, org, time_machine
):
    from samspill.core.testing import make_staff
    from samspill.organisations.models import Membership

    second_leader = make_staff(org, "leader2@example.org", Membership.Role.LEADER)
    goal = learning_services.goal_create(
        by=counselor,
        goal="Lære IPS",
        next_review_on=timezone.localdate() + datetime.timedelta(days=5),
    )
    today = later(time_machine, 6)
    assert reminders_schedule(today=today) == 3
    assert kinds(counselor) == [GOAL_REVIEW]
    assert kinds(leader) == [CONVERSATION] and kinds(second_leader) == [CONVERSATION]
    assert reminders_schedule(today=today) == 0

    # The leader holds the conversation and sets the next review: then only they are reminded.
    learning_services.goal_review_record(
        goal=goal, by=leader, held_on=today, next_review_on=today + datetime.timedelta(days=30)
    )
    Reminder.objects.all().delete()
    today = later(time_machine, 31)
    assert reminders_schedule(today=today) == 2
    assert kinds(counselor) == [GOAL_REVIEW]
    assert kinds(leader) == [CONVERSATION] and kinds(second_leader) == []


def test_reached_goals_and_future_reviews_remind_nobody(client, counselor, time_machine):
    goal = learning_services.goal_create(
        by=counselor,
        goal="Lære IPS",
        next_review_on=timezone.localdate() + datetime.timedelta(days=2),
    )
    assert reminders_schedule() == 0
    learning_services.goal_update(learning_goal=goal, by=counselor, status="reached")
    assert reminders_schedule(today=later(time_machine, 3)) == 0


def test_the_digest_names_the_learning_reminders_in_the_default_language(
    client, counselor, attended, time_machine
):
    client.force_login(counselor)
    client.post(
        reverse("learning:session", args=[attended.pk]),
        {"action": "reflection", **reflection_data()},
    )
    user_set_email_reminders(user=counselor, by=counselor, enabled=True)
    today = later(time_machine, 31)
    reminders_schedule(today=today)
    reminders_send(today=today)
    body = Message.objects.get().body
    assert "Refleksjon å se tilbake på: 1" in body
    assert "Refleksjoner og læringsmål finner du under Læring i Samspill." in body


def test_someone_who_left_the_organisation_is_not_reminded(
    client, counselor, admin, attended, time_machine
):
    from samspill.organisations.services import membership_deactivate

    programme_services.reflection_write(
        session=attended,
        by=counselor,
        learned="L",
        will_try="T",
        look_back_on=timezone.localdate() + datetime.timedelta(days=2),
    )
    learning_services.goal_create(
        by=counselor,
        goal="Lære IPS",
        next_review_on=timezone.localdate() + datetime.timedelta(days=2),
    )
    membership_deactivate(membership=counselor.memberships.get(), by=admin)
    assert reminders_schedule(today=later(time_machine, 3)) == 0
