"""Programme attendance on the leader's learning overview (issue 20, item 9): sessions held,
attendance recorded and present, reflections written, before and after; counts of fewer than
five people hidden, sessions never."""

import datetime

from django.urls import reverse
from django.utils import timezone

from samspill.core.testing import make_staff
from samspill.learning import overview
from samspill.learning import programme_services as services
from samspill.learning.tests.programme.conftest import reflection_data

URL = reverse("learning:overview")


def test_a_small_group_shows_the_sessions_but_hides_who_came(client, leader, attended):
    client.force_login(leader)
    response = client.get(URL)
    assert response.status_code == 200
    cells = response.context["result"]["attendance"]
    assert cells["sessions_after"] == 1 and cells["sessions_before"] == 0
    assert cells["recorded_after"] is None and cells["present_after"] is None  # 3 people
    assert cells["share_after"] is None
    assert 'data-testid="sessions-after">1<' in response.content.decode()


def test_attendance_and_reflections_are_counted_after_the_start_date(
    client, org, leader, platform_mentor, programme, facilitator, counselor, held
):
    people = [make_staff(org, f"deltaker{n}@example.org", role="counselor") for n in range(7)]
    services.enrolment_add(programme=programme, by=platform_mentor, users=people)
    present = [counselor, *people[:4]]
    services.attendance_record(session=held, by=facilitator, present=[p.pk for p in present])
    client.force_login(counselor)
    url = reverse("learning:session", args=[held.pk])
    assert client.post(url, {"action": "reflection", **reflection_data()}).status_code == 302
    since = timezone.localdate() - datetime.timedelta(days=30)
    cells = overview.attendance(org, since, timezone.localdate())
    # Enrolled: the team's three (counselor, colleague and coordinator) and the seven.
    assert (cells["recorded_after"], cells["present_after"]) == (10, 5)
    assert cells["share_after"] == 5 / 10
    # One reflection is one person: a small cell.
    assert cells["recorded_before"] == 0 and cells["reflections_after"] is None
    # A start date after the session: it counts before.
    today = timezone.localdate()
    later = overview.attendance(org, today, today + datetime.timedelta(days=10))
    assert later["sessions_before"] == 1 and later["sessions_after"] == 0
