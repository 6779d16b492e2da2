"""Network meetings of a loop's employers and mentors (issue 22, item 3)."""

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from samspill.accounts.models import User
from samspill.audit.models import AuditEvent
from samspill.core.revisions import StaleRevision
from samspill.core.testing import client_for
from samspill.employers.models import EmployerContact
from samspill.loops import drivers, meetings, services
from samspill.loops.models import LoopPartner, NetworkMeeting

DAY = datetime.date(2026, 3, 2)


def url(loop) -> str:
    return reverse("loop_meetings:list", kwargs={"pk": loop.pk})


@pytest.fixture
def external_driver(org, coordinator, open_loop):
    driver = drivers.loop_partner_invite(
        organisation=org,
        by=coordinator,
        email="d@x.example",
        full_name="Dina Driver",
        role=LoopPartner.Role.EXTERNAL_DRIVER,
    )
    drivers.loop_partner_assign(partner=driver, loop=open_loop, by=coordinator)
    return driver


def test_the_driver_records_who_came_and_what_they_learned(
    open_loop, coordinator, employer_contact, mentor_contact
):
    meeting = meetings.network_meeting_record(
        loop=open_loop,
        by=coordinator,
        held_on=DAY,
        attendee_ids=[employer_contact.pk, mentor_contact.pk],
        minutes=" Gikk gjennom første periode. ",
        learned="Mentorene trenger mer tid",
        will_change="Fast mentortime hver uke",
    )
    assert meeting.minutes == "Gikk gjennom første periode."
    assert set(meeting.attendees.all()) == {employer_contact, mentor_contact}
    assert AuditEvent.objects.filter(action="loop.network_meeting_recorded").exists()


def test_bad_input_is_refused_and_changes_nothing(open_loop, coordinator, other_employer, outsider):
    stranger = EmployerContact.objects.create(employer=other_employer, name="Fremmed")
    cases: list[dict[str, Any]] = [
        {"minutes": "  "},
        {"held_on": timezone.localdate() + datetime.timedelta(days=1)},
        {"attendee_ids": [stranger.pk]},
    ]
    for change in cases:
        args: dict[str, Any] = {"held_on": DAY, "attendee_ids": [], "minutes": "Referat", **change}
        with pytest.raises(ValidationError):
            meetings.network_meeting_record(loop=open_loop, by=coordinator, **args)
    assert not NetworkMeeting.objects.exists()


def test_a_stale_change_is_refused(open_loop, coordinator, counselor):
    meeting = meetings.network_meeting_record(
        loop=open_loop, by=coordinator, held_on=DAY, attendee_ids=[], minutes="A"
    )
    meetings.network_meeting_record(
        loop=open_loop,
        by=counselor,
        held_on=DAY,
        attendee_ids=[],
        minutes="B",
        meeting=meeting,
        revision=1,
    )
    with pytest.raises(StaleRevision):
        meetings.network_meeting_record(
            loop=open_loop,
            by=coordinator,
            held_on=DAY,
            attendee_ids=[],
            minutes="C",
            meeting=meeting,
            revision=1,
        )
    assert NetworkMeeting.objects.get().minutes == "B"


def test_the_external_driver_records_a_meeting_for_their_loop_only(
    open_loop, external_driver, coordinator, counselor, org, employers, employer_contact
):
    other = services.loop_create(
        organisation=org,
        by=coordinator,
        name="Annen",
        driver=coordinator,
        counselor=counselor,
        start_date=DAY,
        employers=employers[:2],
    )
    client = client_for(external_driver.user)
    response = client.post(
        url(open_loop),
        {
            "held_on": DAY.isoformat(),
            "attendees": [employer_contact.pk],
            "minutes": "Nettverksmøte hos bakeriet",
            "learned": "Ungdommene trenger tydelige oppgaver",
        },
    )
    assert response.status_code == 302
    assert NetworkMeeting.objects.get().recorded_by == external_driver.user
    page = client.get(url(open_loop)).content.decode()
    assert "Nettverksmøte hos bakeriet" in page
    assert client.get(url(other)).status_code == 404
    assert client.post(url(other), {"minutes": "x"}).status_code == 404


def test_a_bad_post_gets_a_message_and_saves_nothing(open_loop, coordinator):
    response = client_for(coordinator).post(
        url(open_loop), {"held_on": DAY.isoformat(), "minutes": ""}
    )
    assert response.status_code == 400
    assert not NetworkMeeting.objects.exists()


def test_who_may_see_the_meetings(open_loop, admin, outsider, mentor, coordinator, org, young):
    young[0].portal_user = User.objects.create_user(
        email="kari.login@example.org", password="x-Very-long-pw-1", full_name="Kari"
    )
    young[0].save(update_fields=["portal_user"])
    assert client_for(admin).get(url(open_loop)).status_code == 403
    assert client_for(mentor).get(url(open_loop)).status_code == 403
    assert client_for(young[0].portal_user).get(url(open_loop)).status_code == 403
    assert client_for(outsider).get(url(open_loop)).status_code == 404
    nav = drivers.loop_partner_invite(
        organisation=org,
        by=coordinator,
        email="nav@x.example",
        full_name="N",
        role="nav_coordinator",
    )
    drivers.loop_partner_assign(partner=nav, loop=open_loop, by=coordinator)
    assert client_for(nav.user).get(url(open_loop)).status_code == 403


def test_the_page_takes_a_fixed_number_of_queries(
    open_loop, coordinator, employer_contact, mentor_contact, django_assert_num_queries
):
    client = client_for(coordinator)
    for minutes in ("Første", "Andre"):
        meetings.network_meeting_record(
            loop=open_loop,
            by=coordinator,
            held_on=DAY,
            attendee_ids=[employer_contact.pk, mentor_contact.pk],
            minutes=minutes,
        )
    client.get(url(open_loop))
    with django_assert_num_queries(9):  # the same for any number of meetings and attendees
        assert client.get(url(open_loop)).status_code == 200


def test_the_api_records_lists_and_answers_409_for_a_stale_change(
    open_loop, coordinator, employer_contact, outsider, mentor
):
    client = client_for(coordinator)
    path = f"/api/v1/loop-meetings/{open_loop.pk}/meetings"
    body = {"held_on": DAY.isoformat(), "attendee_ids": [employer_contact.pk], "minutes": "Møte"}
    response = client.post(path, body, content_type="application/json")
    assert response.status_code == 201, response.content
    made = response.json()
    assert (made["revision"], made["attendees"][0]["contact_id"]) == (1, employer_contact.pk)
    one = f"{path}/{made['id']}"
    changed = {**body, "minutes": "Endret", "revision": 1}
    assert client.put(one, changed, content_type="application/json").status_code == 200
    assert client.put(one, changed, content_type="application/json").status_code == 409
    assert client.get(path).json()[0]["minutes"] == "Endret"
    bad = client.post(path, {**body, "attendee_ids": [987654]}, content_type="application/json")
    assert bad.status_code == 422
    assert NetworkMeeting.objects.count() == 1
    assert client_for(outsider).get(path).status_code == 404
    assert client_for(mentor).get(path).status_code == 403
