"""Coordination follow-ups (issue 22, item 9): the employer's own page lists the actions agreed
about it and the events it was invited to; the responsible person is reminded of an action due
tomorrow or late, by one digest through the outbox, once."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from samspill.core.testing import client_for
from samspill.employers import services_coordination as coord
from samspill.followup.models import Reminder
from samspill.followup.reminders import COORDINATION_ACTION, reminders_schedule, reminders_send
from samspill.organisations.services import membership_deactivate
from samspill.outbox.models import Message

TODAY = timezone.localdate()


@pytest.fixture
def series(org, coordinator, counselor):
    start = TODAY - datetime.timedelta(days=TODAY.weekday(), weeks=4)
    return coord.series_create(
        organisation=org,
        by=coordinator,
        member_ids=[coordinator.pk, counselor.pk],
        title="Fast koordinatormøte",
        weekday=0,
        interval_weeks=1,
        starts_on=start,
        start_time=datetime.time(9, 0),
        duration_minutes=60,
    )


@pytest.fixture
def meeting(series, coordinator):
    return coord.meeting_create(series=series, by=coordinator, held_on=series.starts_on)


def _action(meeting, coordinator, responsible, *, what, due_on=None, employer=None):
    return coord.action_add(
        meeting=meeting,
        by=coordinator,
        what=what,
        responsible=responsible,
        due_on=due_on,
        employer=employer,
    )


def _detail(employer):
    return reverse("employers:detail", kwargs={"pk": employer.pk})


def test_the_employer_page_lists_its_actions_open_first_and_its_events(
    org, meeting, coordinator, counselor, employer
):
    done = _action(meeting, coordinator, counselor, what="Sendt tilbud", employer=employer)
    coord.action_set_done(action=done, by=coordinator, done=True, revision=done.revision)
    later = _action(
        meeting,
        coordinator,
        counselor,
        what="Ring",
        due_on=TODAY + datetime.timedelta(9),
        employer=employer,
    )
    sooner = _action(meeting, coordinator, counselor, what="Besøk", due_on=TODAY, employer=employer)
    _action(meeting, coordinator, counselor, what="Annen bedrift")  # about no employer
    event = coord.event_create(
        organisation=org, by=coordinator, title="Frokost", held_on=TODAY - datetime.timedelta(3)
    )
    coord.event_invite(event=event, by=coordinator, employer_ids=[employer.pk])
    response = client_for(counselor).get(_detail(employer))
    assert response.status_code == 200
    assert [a.pk for a in response.context["coordination_actions"]] == [
        sooner.pk,
        later.pk,
        done.pk,
    ]
    assert [i.event_id for i in response.context["event_invitations"]] == [event.pk]
    html = response.content.decode()
    assert reverse("coordination:series", kwargs={"pk": meeting.series_id}) in html
    assert reverse("coordination:event", kwargs={"pk": event.pk}) in html


@pytest.mark.parametrize("n", [1, 4])
def test_the_employer_page_costs_the_same_with_more_actions_and_events(
    n, org, meeting, coordinator, counselor, employer, django_assert_num_queries
):
    client = client_for(counselor)
    client.get(_detail(employer))  # the session's first request
    for i in range(n):
        _action(meeting, coordinator, counselor, what=f"A{i}", employer=employer)
        event = coord.event_create(organisation=org, by=coordinator, title=f"E{i}", held_on=TODAY)
        coord.event_invite(event=event, by=coordinator, employer_ids=[employer.pk])
    # Session, user, membership and the page's own reads; the two lists cost one query each,
    # the challenge counts of the employer's placements two.
    with django_assert_num_queries(14):
        assert client.get(_detail(employer)).status_code == 200


def test_an_action_due_tomorrow_or_late_is_emailed_to_the_responsible_once(
    meeting, coordinator, counselor, django_capture_on_commit_callbacks
):
    tomorrow = _action(
        meeting, coordinator, counselor, what="Ring", due_on=TODAY + datetime.timedelta(1)
    )
    late = _action(
        meeting, coordinator, counselor, what="Besøk", due_on=TODAY - datetime.timedelta(2)
    )
    _action(meeting, coordinator, counselor, what="Senere", due_on=TODAY + datetime.timedelta(2))
    _action(meeting, coordinator, counselor, what="Uten frist")
    done = _action(meeting, coordinator, coordinator, what="Ferdig", due_on=TODAY)
    coord.action_set_done(action=done, by=coordinator, done=True, revision=done.revision)
    counselor.email_reminders = True
    counselor.save(update_fields=["email_reminders"])
    coordinator.email_reminders = True
    coordinator.save(update_fields=["email_reminders"])

    assert reminders_schedule(today=TODAY) >= 2
    assert reminders_schedule(today=TODAY) == 0  # the second run makes nothing twice
    rows = Reminder.objects.filter(kind=COORDINATION_ACTION)
    assert {(r.user_id, r.key.split(":")[1]) for r in rows} == {
        (counselor.pk, str(tomorrow.pk)),
        (counselor.pk, str(late.pk)),
    }
    before = Message.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(today=TODAY)
        reminders_send(today=TODAY)  # twice: still one e-mail
    messages = list(Message.objects.order_by("pk")[before:])
    to_counselor = [m for m in messages if m.to == [counselor.email]]
    assert len(to_counselor) == 1
    assert "Ring" not in to_counselor[0].body  # counts only, never what was agreed
    assert not [m for m in messages if m.to == [coordinator.email]]


def test_a_responsible_who_left_is_not_reminded(meeting, coordinator, counselor, admin):
    _action(meeting, coordinator, counselor, what="Ring", due_on=TODAY)
    membership_deactivate(membership=counselor.memberships.get(), by=admin)
    reminders_schedule(today=TODAY)
    assert not Reminder.objects.filter(kind=COORDINATION_ACTION).exists()
