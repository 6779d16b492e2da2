"""The young people's own community in a loop (issue 22, item 4): their gatherings are in the
annual wheel, named in the legend, on the page and in the loop's calendar feed."""

import datetime

import icalendar
from django.urls import reverse

from samspill.core.testing import client_for
from samspill.loops import services
from samspill.loops.models import Gathering
from samspill.loops.wheel import Kind, legend, loop_wheel

DAY = datetime.date(2027, 3, 2)


def youth_gathering(loop, by):
    return services.gathering_create(
        organisation=loop.organisation,
        by=by,
        date=DAY,
        kind=Gathering.Kind.YOUTH,
        place="Ungdomshuset",
        loop=loop,
    )


def test_a_youth_gathering_is_in_the_wheel_with_its_own_legend_entry(loop, coordinator):
    gathering = youth_gathering(loop, coordinator)
    wheel = loop_wheel(loop)
    events = {e.uid: e for e in wheel.events}
    event = events[f"loop-{loop.pk}-gathering-{gathering.pk}@samspill"]
    assert (event.kind, event.date, event.place) == (Kind.YOUTH, DAY, "Ungdomshuset")
    assert "Youth gathering" in [str(item.label) for item in legend(wheel)]


def test_without_one_the_legend_does_not_name_it(loop):
    assert "Youth gathering" not in [str(item.label) for item in legend(loop_wheel(loop))]


def test_the_wheel_page_and_the_feed_show_it(loop, coordinator, counselor):
    youth_gathering(loop, coordinator)
    client = client_for(counselor)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    html = client.get(reverse("loops:wheel", kwargs={"pk": loop.pk})).content.decode()
    assert "Youth gathering" in html
    feed = services.calendar_feed_create(organisation=loop.organisation, by=coordinator, loop=loop)
    body = client_for(None).get(reverse("loops:ical", kwargs={"token": feed.token})).content
    dates = [c.decoded("dtstart") for c in icalendar.Calendar.from_ical(body).walk("VEVENT")]
    assert DAY in dates


def test_the_gathering_form_offers_the_kind(coordinator):
    client = client_for(coordinator)
    html = client.get(reverse("loops:gathering_create")).content.decode()
    assert 'value="youth"' in html
