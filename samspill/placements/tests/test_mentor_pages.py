"""The mentor pages: the counselor's (placements:mentor) and the mentor's in the portal
(portal:mentor). The counselor records the arrangement and a month; the placement's own mentor
records a month; every other role is refused (403/404) and nothing is written. Query counts
stay the same however many months are recorded."""

import datetime

import pytest
from django.urls import reverse

from samspill.core.testing import client_for, portal_user
from samspill.employers.services import contact_add
from samspill.placements.models import MentorArrangement, MentorMonth
from samspill.placements.tests.cast import at

pytestmark = pytest.mark.usefixtures("clock")

APRIL = datetime.date(2026, 4, 15)


@pytest.fixture
def april(time_machine):
    time_machine.move_to(at(APRIL), tick=False)


def test_the_counselor_records_the_arrangement_and_a_month(
    approved, counselor, employer_contact, april
):
    client = client_for(counselor)
    page = reverse("placements:mentor", kwargs={"pk": approved.pk})
    assert client.get(page).status_code == 200
    response = client.post(
        page,
        {
            "which": "arrangement",
            "arrangement-chosen_with_employer": "on",
            "arrangement-chosen_on": "2026-02-20",
            "arrangement-why": "Står ved ovnen hver dag",
            "arrangement-hours_per_week": "3",
            "arrangement-compensation": "mentor_grant",
            "arrangement-rate": "2 000 kr i måneden",
            "arrangement-paid_by": "NAV",
            "arrangement-leader": employer_contact.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    arrangement = MentorArrangement.objects.get()
    assert arrangement.leader == employer_contact and arrangement.chosen_with_employer
    month = client.post(page, {"which": "month", "month": "2026-04", "hours": "6"})
    assert month.status_code == 302
    stale = client.post(page, {"which": "month", "month": "2026-04", "hours": "9"})
    assert stale.status_code == 400
    assert MentorMonth.objects.get().hours == 6
    text = client.get(page).content.decode()
    assert "Eirik Eier" in text and "2 000 kr i måneden" in text


def test_the_mentor_records_a_month_in_the_portal(
    approved, mentor, april, django_assert_num_queries
):
    client = client_for(mentor)
    page = reverse("portal:mentor", kwargs={"pk": approved.pk})
    assert client.get(page).status_code == 200
    assert (
        client.post(page, {"month": "2026-04", "hours": "5", "note": "Ovnene"}).status_code == 302
    )
    assert client.post(page, {"month": "2026-03", "hours": "4"}).status_code == 302
    record = MentorMonth.objects.get(month=datetime.date(2026, 4, 1))
    changed = client.post(
        page, {"month": "2026-04", "hours": "7", "revision": str(record.revision)}
    )
    assert changed.status_code == 302
    bad = client.post(page, {"month": "2026-04", "hours": "-3"})
    assert bad.status_code == 400
    client.get(page)
    with django_assert_num_queries(_count(client, page)):
        client.get(page)


def _count(client, page):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(page)
    return len(queries)


def test_the_portal_page_costs_the_same_however_many_months(
    approved, counselor, mentor, time_machine
):
    from decimal import Decimal

    from samspill.placements import mentoring

    time_machine.move_to(at(APRIL), tick=False)
    client = client_for(mentor)
    page = reverse("portal:mentor", kwargs={"pk": approved.pk})
    mentoring.mentor_month_record(placement=approved, by=mentor, month=APRIL, hours=Decimal(1))
    one = _count(client, page)
    mentoring.mentor_month_record(
        placement=approved, by=mentor, month=datetime.date(2026, 3, 1), hours=Decimal(1)
    )
    assert _count(client, page) == one


def test_everyone_else_is_refused_and_nothing_is_written(
    approved, employer, counselor, employer_user, outsider, other_team_counselor, participant, april
):
    other_mentor = portal_user(
        contact_add(employer=employer, by=counselor, name="Ola", phone="12345678", is_mentor=True)
    )
    portal_page = reverse("portal:mentor", kwargs={"pk": approved.pk})
    staff_page = reverse("placements:mentor", kwargs={"pk": approved.pk})
    # The employer's contact person reads the page but may not record the mentor's month;
    # another mentor at the same employer does not reach the placement at all.
    for user, status in ((employer_user, 403), (other_mentor, 404)):
        client = client_for(user)
        assert client.post(portal_page, {"month": "2026-04", "hours": "1"}).status_code == status
        assert client.get(staff_page).status_code in (403, 404)
    for user in (outsider, other_team_counselor):
        client = client_for(user)
        assert client.get(staff_page).status_code == 404
        posted = client.post(staff_page, {"which": "month", "month": "2026-04", "hours": "1"})
        assert posted.status_code == 404
        assert client.get(portal_page).status_code in (403, 404)
    assert not MentorMonth.objects.exists()
