"""Coordinator meetings and employer events (issue 22, item 9): services, pages, iCal, the
pipeline after an event, and fixed query counts."""

import datetime

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from samspill.audit.models import AuditEvent
from samspill.core.revisions import StaleRevision
from samspill.core.testing import client_for, make_employer
from samspill.employers import queries_coordination as queries
from samspill.employers import services
from samspill.employers import services_coordination as coord
from samspill.outbox.models import Message

TODAY = timezone.localdate()


def _monday_before(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


@pytest.fixture
def series(org, coordinator, counselor, colleague):
    start = _monday_before(TODAY) - datetime.timedelta(weeks=4)
    return coord.series_create(
        organisation=org,
        by=coordinator,
        member_ids=[coordinator.pk, counselor.pk, colleague.pk],
        title="Fast koordinatormøte",
        weekday=0,
        interval_weeks=1,
        starts_on=start,
        start_time=datetime.time(9, 0),
        duration_minutes=60,
        place="NAV Grünerløkka",
        video_url="",
        guests="NAV-veileder",
        is_active=True,
    )


@pytest.fixture
def first_meeting(series, coordinator):
    return coord.meeting_create(
        series=series, by=coordinator, held_on=series.starts_on + datetime.timedelta(weeks=2)
    )


@pytest.fixture
def breakfast(org, coordinator):
    return coord.event_create(
        organisation=org,
        by=coordinator,
        title="Næringslivsfrokost",
        held_on=TODAY - datetime.timedelta(days=10),
        start_time=datetime.time(8, 0),
        place="Kafé",
        description="",
    )


def test_it_creates_a_series_with_members_and_an_audit_event(series, coordinator, counselor):
    assert set(series.members.values_list("pk", flat=True)) >= {coordinator.pk, counselor.pk}
    assert AuditEvent.objects.filter(action="coordination.series_created").exists()


def test_it_refuses_a_member_from_another_organisation(org, coordinator, outsider):
    with pytest.raises(ValidationError):
        coord.series_create(
            organisation=org,
            by=coordinator,
            member_ids=[outsider.pk],
            title="X",
            weekday=0,
            interval_weeks=1,
            starts_on=_monday_before(TODAY),
            start_time=datetime.time(9, 0),
            duration_minutes=60,
        )


def test_it_refuses_a_first_date_on_another_weekday(series, coordinator):
    with pytest.raises(ValidationError):
        coord.series_update(
            series=series,
            by=coordinator,
            starts_on=series.starts_on + datetime.timedelta(days=1),
            revision=series.revision,
        )


def test_a_stale_series_save_is_refused(series, coordinator):
    coord.series_update(series=series, by=coordinator, title="Ny", revision=series.revision)
    with pytest.raises(StaleRevision):
        coord.series_update(series=series, by=coordinator, title="Gammel", revision=1)


def test_the_ical_parses_back_as_a_weekly_rule(series, coordinator):
    response = client_for(coordinator).get(
        reverse("coordination:series_calendar", kwargs={"pk": series.pk})
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert event["summary"] == series.title
    assert event.decoded("dtstart").date() == series.starts_on
    assert event.decoded("dtstart").time() == datetime.time(9, 0)
    rule = event.decoded("rrule")
    assert rule["FREQ"] == ["WEEKLY"]
    assert rule["INTERVAL"] == [1]
    assert rule["BYDAY"] == ["MO"]


def test_open_actions_are_carried_to_the_next_meeting(
    series, first_meeting, coordinator, counselor, employer
):
    kept = coord.action_add(
        meeting=first_meeting,
        by=coordinator,
        what="Ring bakeriet",
        responsible=counselor,
        due_on=first_meeting.held_on + datetime.timedelta(days=3),
        employer=employer,
    )
    done = coord.action_add(
        meeting=first_meeting, by=coordinator, what="Send referat", responsible=coordinator
    )
    coord.action_set_done(action=done, by=coordinator, done=True, revision=done.revision)
    second = coord.meeting_create(
        series=series, by=coordinator, held_on=first_meeting.held_on + datetime.timedelta(weeks=1)
    )
    # An action done after the next meeting began is still shown there (as done), once.
    carried = queries.carried_actions(second)
    done.refresh_from_db()
    start = timezone.make_aware(datetime.datetime.combine(second.held_on, datetime.time.min))
    assert done.done_at is not None
    expected = {kept.pk} | ({done.pk} if done.done_at >= start else set())
    assert {a.pk for a in carried} == expected
    assert kept.pk in {a.pk for a in queries.my_actions(counselor)}
    assert not queries.my_actions(coordinator).exists()


def test_the_responsible_must_be_a_member(first_meeting, coordinator, leader):
    with pytest.raises(ValidationError):
        coord.action_add(meeting=first_meeting, by=coordinator, what="X", responsible=leader)


def test_it_records_attendance_and_minutes(first_meeting, coordinator, counselor, colleague):
    coord.meeting_record(
        meeting=first_meeting,
        by=coordinator,
        minutes="Gikk gjennom tre bedrifter.",
        attendance={coordinator.pk: "present", counselor.pk: "present", colleague.pk: "excused"},
        revision=first_meeting.revision,
    )
    assert queries.attendance_of(first_meeting) == {
        coordinator.pk: "present",
        counselor.pk: "present",
        colleague.pk: "excused",
    }
    with pytest.raises(StaleRevision):
        coord.meeting_record(
            meeting=first_meeting, by=coordinator, minutes="", attendance={}, revision=1
        )


def test_attendance_of_a_non_member_is_refused(first_meeting, coordinator, leader):
    with pytest.raises(ValidationError):
        coord.meeting_record(
            meeting=first_meeting,
            by=coordinator,
            minutes="",
            attendance={leader.pk: "present"},
        )


def test_the_meeting_page_records_minutes_and_an_action(
    series, first_meeting, coordinator, counselor
):
    client = client_for(coordinator)
    url = reverse("coordination:meeting", kwargs={"pk": series.pk, "meeting_pk": first_meeting.pk})
    response = client.post(
        url,
        {
            "minutes": "Referat",
            f"member_{coordinator.pk}": "present",
            f"member_{counselor.pk}": "absent",
            "revision": first_meeting.revision,
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse(
            "coordination:action_add", kwargs={"pk": series.pk, "meeting_pk": first_meeting.pk}
        ),
        {"what": "Besøk verkstedet", "responsible": counselor.pk, "due_on": str(TODAY)},
    )
    assert response.status_code == 302
    first_meeting.refresh_from_db()
    assert first_meeting.minutes == "Referat"
    page = client_for(counselor).get(reverse("coordination:my_actions"))
    assert "Besøk verkstedet" in page.content.decode()


def test_a_bad_action_changes_nothing(series, first_meeting, coordinator):
    response = client_for(coordinator).post(
        reverse(
            "coordination:action_add", kwargs={"pk": series.pk, "meeting_pk": first_meeting.pk}
        ),
        {"what": "", "responsible": ""},
    )
    assert response.status_code == 400
    assert not first_meeting.actions.exists()


def test_invitations_are_emailed_through_the_outbox(
    breakfast, coordinator, employer, employer_contact, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        invited = coord.event_invite(event=breakfast, by=coordinator, employer_ids=[employer.pk])
    assert len(invited) == 1
    assert invited[0].contact == employer_contact
    assert invited[0].emailed
    message = Message.objects.get()
    assert message.to == [employer_contact.email]
    assert breakfast.title in message.subject
    assert callbacks  # delivery is attempted only after the commit
    # Inviting again leaves the invitation as it is, and sends nothing.
    assert coord.event_invite(event=breakfast, by=coordinator, employer_ids=[employer.pk]) == []
    assert Message.objects.count() == 1


def test_another_organisations_employer_cannot_be_invited(breakfast, coordinator, other_employer):
    with pytest.raises(ValidationError):
        coord.event_invite(event=breakfast, by=coordinator, employer_ids=[other_employer.pk])


def test_it_shows_who_moved_forward_after_the_event(org, breakfast, coordinator, counselor):
    employers = [make_employer(org, counselor, name=f"Bedrift {i}") for i in range(4)]
    coord.event_invite(event=breakfast, by=coordinator, employer_ids=[e.pk for e in employers])
    services.employer_set_stage(employer=employers[0], by=coordinator, stage="first_meeting")
    services.employer_set_stage(employer=employers[1], by=coordinator, stage="intention_agreement")
    services.employer_set_stage(employer=employers[2], by=coordinator, stage="paused")
    invitation = breakfast.invitations.get(employer=employers[0])
    coord.invitation_record(
        invitation=invitation, by=coordinator, response="yes", attended=True, revision=1
    )
    outcome = queries.event_outcome(breakfast)
    rows = {row.invitation.employer_id: row for row in outcome.rows}
    assert rows[employers[0].pk].stage_at_event == "prospect"
    assert rows[employers[0].pk].stage_now == "first_meeting"
    assert rows[employers[0].pk].moved_forward
    assert rows[employers[1].pk].moved_forward
    assert not rows[employers[2].pk].moved_forward
    assert not rows[employers[3].pk].moved_forward
    assert (outcome.invited, outcome.came, outcome.moved_forward) == (4, 1, 2)
    assert outcome.moved_forward_of_those_who_came == 1


def test_attendance_cannot_be_recorded_before_the_event(org, coordinator, employer):
    event = coord.event_create(
        organisation=org, by=coordinator, title="Frokost", held_on=TODAY + datetime.timedelta(7)
    )
    (invitation,) = coord.event_invite(event=event, by=coordinator, employer_ids=[employer.pk])
    with pytest.raises(ValidationError):
        coord.invitation_record(
            invitation=invitation, by=coordinator, response="yes", attended=True
        )
    coord.invitation_record(invitation=invitation, by=coordinator, response="yes", attended=None)


def test_the_event_page_records_an_answer(breakfast, coordinator, employer):
    (invitation,) = coord.event_invite(event=breakfast, by=coordinator, employer_ids=[employer.pk])
    response = client_for(coordinator).post(
        reverse(
            "coordination:invitation_record",
            kwargs={"pk": breakfast.pk, "invitation_pk": invitation.pk},
        ),
        {"response": "yes", "attended": "true", "revision": invitation.revision},
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert (invitation.response, invitation.attended) == ("yes", True)


def test_a_mentor_and_an_employer_contact_get_nothing(series, breakfast, mentor, employer_user):
    for user in (mentor, employer_user):
        client = client_for(user)
        for url in (
            reverse("coordination:series_list"),
            reverse("coordination:series", kwargs={"pk": series.pk}),
            reverse("coordination:event", kwargs={"pk": breakfast.pk}),
            reverse("coordination:my_actions"),
        ):
            assert client.get(url).status_code in (403, 404)


# Fixed query counts: the pages cost the same with more rows.


def _fill_series(series, coordinator, counselor, employer, n):
    for week in range(n):
        meeting = coord.meeting_create(
            series=series,
            by=coordinator,
            held_on=series.starts_on + datetime.timedelta(weeks=week),
        )
        coord.meeting_record(
            meeting=meeting,
            by=coordinator,
            minutes="m",
            attendance={coordinator.pk: "present", counselor.pk: "present"},
        )
        coord.action_add(
            meeting=meeting,
            by=coordinator,
            what=f"A{week}",
            responsible=counselor,
            employer=employer,
        )


@pytest.mark.parametrize("n", [1, 4])
def test_the_meeting_pages_have_a_fixed_query_count(
    n, series, coordinator, counselor, employer, django_assert_num_queries
):
    _fill_series(series, coordinator, counselor, employer, n)
    meeting = series.meetings.order_by("-held_on").first()
    client = client_for(counselor)
    client.get(reverse("coordination:my_actions"))  # the session's first request
    # Session, user and membership, then the page's own reads (the meeting page: the
    # members, attendance, carried and agreed actions, the choices of the action form).
    pages = {
        reverse("coordination:series_list"): 6,
        reverse("coordination:series", kwargs={"pk": series.pk}): 7,
        reverse("coordination:meeting", kwargs={"pk": series.pk, "meeting_pk": meeting.pk}): 11,
        reverse("coordination:my_actions"): 5,
    }
    for url, queries_run in pages.items():
        with django_assert_num_queries(queries_run):
            assert client.get(url).status_code == 200


@pytest.mark.parametrize("n", [1, 5])
def test_the_event_pages_have_a_fixed_query_count(
    n, org, breakfast, coordinator, counselor, django_assert_num_queries
):
    employers = [make_employer(org, counselor, name=f"Firma {i}") for i in range(n)]
    coord.event_invite(event=breakfast, by=coordinator, employer_ids=[e.pk for e in employers])
    for employer in employers:
        services.employer_set_stage(employer=employer, by=coordinator, stage="first_meeting")
    client = client_for(coordinator)
    client.get(reverse("coordination:event_list"))  # the session's first request
    pages = {
        reverse("coordination:event_list"): 5,
        # The event, its invitations with employers and contacts, their stage changes since,
        # and the employers not yet invited.
        reverse("coordination:event", kwargs={"pk": breakfast.pk}): 7,
    }
    for url, queries_run in pages.items():
        with django_assert_num_queries(queries_run):
            assert client.get(url).status_code == 200
