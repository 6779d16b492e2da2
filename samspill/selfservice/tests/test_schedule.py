import datetime

from django.urls import reverse

from samspill.core.testing import client_for
from samspill.loops import ical
from samspill.loops.services import calendar_feed_create
from samspill.placements import services as placement_services
from samspill.plans import services as plan_services

SCHEDULE = reverse("selfservice:my_schedule")


def test_meetings_and_placements_are_in_the_schedule_and_the_feed(
    me, participant, counselor, employer, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 3, 10, 9, tzinfo=datetime.UTC))
    plan_services.activity_add(
        participant=participant,
        by=counselor,
        kind="meeting",
        title="Samtale med veileder",
        due_date=datetime.date(2026, 3, 12),
    )
    plan_services.activity_add(
        participant=participant,
        by=counselor,
        kind="meeting",
        title="Gammelt møte",
        due_date=datetime.date(2026, 3, 2),
    )
    placement_services.placement_create(
        participant=participant,
        employer=employer,
        by=counselor,
        kind="work_training",
        title="Bakeassistent",
        start_date=datetime.date(2026, 4, 1),
        end_date=datetime.date(2026, 6, 30),
    )
    page = client_for(me).get(SCHEDULE)
    assert page.status_code == 200
    days = page.context["days"]
    titles = [e.title for day in days for e in day.events]
    assert "Samtale med veileder" in titles
    assert any("Bakeassistent" in t for t in titles)
    assert [d.past for d in days if d.date == datetime.date(2026, 3, 2)] == [True]
    feed = calendar_feed_create(organisation=participant.organisation, by=me)
    body = client_for(None).get(reverse("loops:ical", kwargs={"token": feed.token}))
    assert body.status_code == 200
    assert "Samtale med veileder" in body.content.decode()


def test_another_participants_meetings_are_not_in_mine(me, them, colleague):
    plan_services.activity_add(
        participant=them,
        by=colleague,
        kind="meeting",
        title="Deres møte",
        due_date=datetime.date.today(),
    )
    titles = [e.title for e in ical.PARTICIPANT_EVENTS[0](me.participant_record)]
    assert "Deres møte" not in titles


def test_the_schedule_is_the_participants_alone(counselor, mentor, leader):
    for user in (counselor, mentor, leader):
        assert client_for(user).get(SCHEDULE).status_code == 403


def test_the_schedule_runs_a_fixed_number_of_queries(
    me, participant, counselor, django_assert_num_queries
):
    for day in range(5):
        plan_services.activity_add(
            participant=participant,
            by=counselor,
            kind="meeting",
            title=f"Møte {day}",
            due_date=datetime.date.today() + datetime.timedelta(days=day),
        )
    client = client_for(me)
    # Session, user, participant, access log; the feed's owner checks (membership, employer
    # contact), the loops, meetings, placements; workplaces, unread count; the layout's three.
    with django_assert_num_queries(14):
        assert client.get(SCHEDULE).status_code == 200
