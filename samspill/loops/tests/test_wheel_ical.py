"""The annual wheel's events, and the iCal feeds read back with `icalendar`."""

import datetime

import icalendar
import pytest
from django.urls import reverse

from samspill.accounts.models import User
from samspill.audit.models import AccessLog
from samspill.core.testing import PASSWORD, client_for
from samspill.loops import services
from samspill.loops.ical import TZID
from samspill.loops.models import Gathering, LoopPlacement
from samspill.loops.wheel import Kind, loop_wheel, wheel_svg
from samspill.participants.models import ConsentRecord
from samspill.participants.services import consent_give
from samspill.placements.models import FollowUp

from .conftest import KICK_OFF, START


@pytest.fixture
def follow_up(loop, young):
    """A follow-up scheduled on the first placement of the first participant."""
    cell = LoopPlacement.objects.get(seat__loop=loop, seat__row=0, period=0)
    return FollowUp.objects.create(placement=cell.placement, due_on=START + datetime.timedelta(7))


def kinds(wheel):
    return [(e.date, e.kind) for e in wheel.events]


def test_the_wheel_has_the_kick_off_rotations_evaluations_follow_ups_and_closing(
    loop, kick_off, follow_up
):
    wheel = loop_wheel(loop)
    events = {e.uid: e for e in wheel.events}
    assert events[f"loop-{loop.pk}-gathering-{kick_off.pk}@samspill"].date == KICK_OFF
    assert events[f"loop-{loop.pk}-rotation-2@samspill"].date == datetime.date(2027, 5, 4)
    assert events[f"loop-{loop.pk}-rotation-3@samspill"].date == datetime.date(2027, 9, 4)
    assert events[f"loop-{loop.pk}-closing@samspill"].date == datetime.date(2028, 1, 3)
    assert [e.kind for e in wheel.events].count(Kind.MIDWAY) == 3
    assert [e.kind for e in wheel.events].count(Kind.FINAL) == 3
    followed = events[f"loop-{loop.pk}-followup-{follow_up.pk}@samspill"]
    assert followed.date == datetime.date(2027, 1, 11) and followed.kind == Kind.FOLLOW_UP
    assert followed.employer == "Bakeriet AS"
    assert wheel.events == tuple(sorted(wheel.events, key=lambda e: e.date))


def test_a_recorded_gathering_takes_the_place_of_the_generated_one(loop, coordinator):
    rotation = services.gathering_create(
        organisation=loop.organisation,
        by=coordinator,
        date=datetime.date(2027, 5, 4),
        kind=Gathering.Kind.ROTATION,
        place="Bakeriet",
        loop=loop,
    )
    events = {e.uid: e for e in loop_wheel(loop).events}
    assert f"loop-{loop.pk}-rotation-2@samspill" not in events
    assert events[f"loop-{loop.pk}-gathering-{rotation.pk}@samspill"].place == "Bakeriet"


def test_a_loop_without_a_kick_off_starts_on_its_start_date(open_loop):
    events = loop_wheel(open_loop).events
    assert (events[0].kind, events[0].date) == (Kind.KICK_OFF, START)


def test_the_picture_is_accessible_and_names_nobody_unless_asked(loop, follow_up, young):
    wheel = loop_wheel(loop)
    svg = wheel_svg(wheel)
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "<title id=" in svg and "<desc id=" in svg
    assert young[0].full_name not in svg
    assert young[0].full_name in wheel_svg(wheel, named={young[0].pk})
    # The kick-off before the start is where the circle begins, not after the closing.
    assert wheel.start == KICK_OFF and wheel.end == datetime.date(2028, 1, 3)


def test_the_wheel_page_names_a_participant_only_for_who_may_see_them(
    loop, follow_up, young, counselor, coordinator
):
    url = reverse("loops:wheel", args=[loop.pk])
    assert young[0].full_name in client_for(counselor).get(url).content.decode()
    assert young[0].full_name not in client_for(coordinator).get(url).content.decode()


def read_feed(client, feed):
    response = client.get(reverse("loops:ical", args=[feed.token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def test_the_loop_feed_parses_back_with_the_events_in_oslo_time(
    loop, coordinator, follow_up, client
):
    feed = services.calendar_feed_create(organisation=loop.organisation, by=coordinator, loop=loop)
    calendar = read_feed(client, feed)
    assert calendar["X-WR-TIMEZONE"] == TZID
    timezones = calendar.walk("VTIMEZONE")
    assert [str(tz["TZID"]) for tz in timezones] == [TZID]
    events = calendar.walk("VEVENT")
    wheel = loop_wheel(loop)
    assert [str(e["UID"]) for e in events] == [e.uid for e in wheel.events]
    assert [e.decoded("DTSTART") for e in events] == [e.date for e in wheel.events]
    for event in events:
        assert event.decoded("DTEND") == event.decoded("DTSTART") + datetime.timedelta(days=1)
        assert event.decoded("DTSTAMP").tzinfo is not None


def test_uids_stay_the_same_across_regenerations(loop, coordinator, follow_up, client):
    feed = services.calendar_feed_create(organisation=loop.organisation, by=coordinator, loop=loop)
    first = [str(e["UID"]) for e in read_feed(client, feed).walk("VEVENT")]
    FollowUp.objects.create(placement=follow_up.placement, due_on=START + datetime.timedelta(14))
    second = [str(e["UID"]) for e in read_feed(client, feed).walk("VEVENT")]
    assert set(first) < set(second) and len(second) == len(first) + 1


def test_a_revoked_feed_is_gone(loop, coordinator, client):
    feed = services.calendar_feed_create(organisation=loop.organisation, by=coordinator, loop=loop)
    services.calendar_feed_revoke(feed=feed, by=coordinator)
    assert client.get(reverse("loops:ical", args=[feed.token])).status_code == 404
    assert client.get(reverse("loops:ical", args=["no-such-token"])).status_code == 404


def test_a_feed_names_a_participant_only_with_consent_and_logs_it(
    loop, coordinator, counselor, follow_up, young, client
):
    feed = services.calendar_feed_create(organisation=loop.organisation, by=coordinator, loop=loop)
    summaries = [str(e["SUMMARY"]) for e in read_feed(client, feed).walk("VEVENT")]
    assert not any(young[0].full_name in s for s in summaries)
    assert not AccessLog.objects.exists()
    consent_give(
        participant=young[0],
        by=counselor,
        recipient=ConsentRecord.Recipient.WORKPLACE,
        information=ConsentRecord.Information.CONTACT,
    )
    summaries = [str(e["SUMMARY"]) for e in read_feed(client, feed).walk("VEVENT")]
    assert any(young[0].full_name in s for s in summaries)
    log = AccessLog.objects.get()
    assert (log.participant_id, log.actor_id, log.why) == (
        young[0].pk,
        coordinator.pk,
        "calendar_feed",
    )
    assert "Sensitive health detail" not in str(summaries)


def test_a_mentors_feed_has_only_their_loops_and_follow_ups(
    loop, open_loop, mentor, mentor_contact, follow_up, client, org, coordinator
):
    other_follow_up = FollowUp.objects.create(
        placement=LoopPlacement.objects.get(seat__loop=loop, seat__row=0, period=1).placement,
        due_on=START + datetime.timedelta(130),
    )
    feed = services.calendar_feed_create(organisation=org, by=mentor)
    uids = {str(e["UID"]) for e in read_feed(client, feed).walk("VEVENT")}
    assert f"loop-{loop.pk}-followup-{follow_up.pk}@samspill" in uids
    assert f"loop-{loop.pk}-followup-{other_follow_up.pk}@samspill" not in uids
    assert f"loop-{loop.pk}-closing@samspill" in uids
    # A mentor who loses the loop loses its events.
    services.loop_employer_set_mentor(
        loop=loop, employer=mentor_contact.employer, by=coordinator, mentor=None
    )
    assert not read_feed(client, feed).walk("VEVENT")


def test_a_participants_feed_names_nobody(loop, young, follow_up, client, org, counselor):
    young[0].portal_user = User.objects.create_user(
        email="kari.login@example.org", password=PASSWORD, full_name="Kari"
    )
    young[0].save(update_fields=["portal_user"])
    feed = services.calendar_feed_create(organisation=org, by=young[0].portal_user)
    events = read_feed(client, feed).walk("VEVENT")
    assert f"loop-{loop.pk}-followup-{follow_up.pk}@samspill" in {str(e["UID"]) for e in events}
    assert not any(young[0].family_name in str(e["SUMMARY"]) for e in events)


def test_a_staff_feed_has_the_loops_they_drive(loop, coordinator, leader, client, org):
    mine = services.calendar_feed_create(organisation=org, by=coordinator)
    assert read_feed(client, mine).walk("VEVENT")
    theirs = services.calendar_feed_create(organisation=org, by=leader)
    assert not read_feed(client, theirs).walk("VEVENT")


def test_the_calendar_page_makes_and_revokes_an_address(loop, coordinator, mentor):
    for user in (coordinator, mentor):
        page = client_for(user)
        assert page.post(reverse("loops:calendar")).status_code == 302
        feed = user.calendar_feeds.get()
        assert feed.token in page.get(reverse("loops:calendar")).content.decode()
        assert page.post(reverse("loops:calendar_revoke", args=[feed.pk])).status_code == 302
        feed.refresh_from_db()
        assert feed.revoked_at is not None
