"""Selecting employers for a loop (issue 22, item 2): the driver's criteria per employer and
the employer's history in earlier loops, shown when choosing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from samspill.audit.models import AuditEvent
from samspill.core.revisions import StaleRevision
from samspill.core.testing import client_for
from samspill.loops import drivers, selection, services
from samspill.loops.models import EmployerSelection, LoopPartner

EARLIER = datetime.date(2025, 1, 6)


@pytest.fixture
def earlier_loop(org, coordinator, counselor, employers):
    """An earlier loop with the bakery and the workshop (the shop was in none)."""
    earlier = services.loop_create(
        organisation=org,
        by=coordinator,
        name="Loop 2025",
        driver=coordinator,
        counselor=counselor,
        start_date=EARLIER,
        employers=employers[:2],
    )
    return earlier


def url(loop) -> str:
    return reverse("loop_selection:employers", kwargs={"pk": loop.pk})


def test_the_driver_records_why_an_employer_is_chosen(open_loop, coordinator, employer):
    chosen = selection.employer_selection_record(
        loop=open_loop,
        employer=employer,
        by=coordinator,
        why="Tar imot unge, god mentor",
        offers="Bakeri og butikk",
        takes_one_each_period=True,
    )
    assert (chosen.why, chosen.takes_one_each_period, chosen.revision) == (
        "Tar imot unge, god mentor",
        True,
        1,
    )
    assert AuditEvent.objects.filter(action="loop.employer_selected").exists()


def test_a_stale_edit_is_refused_and_changes_nothing(open_loop, coordinator, counselor, employer):
    first = selection.employer_selection_record(
        loop=open_loop,
        employer=employer,
        by=coordinator,
        why="A",
        offers="",
        takes_one_each_period=False,
    )
    selection.employer_selection_record(
        loop=open_loop,
        employer=employer,
        by=counselor,
        why="B",
        offers="",
        takes_one_each_period=False,
        revision=first.revision,
    )
    with pytest.raises(StaleRevision):
        selection.employer_selection_record(
            loop=open_loop,
            employer=employer,
            by=coordinator,
            why="C",
            offers="",
            takes_one_each_period=False,
            revision=first.revision,
        )
    assert EmployerSelection.objects.get().why == "B"


def test_no_reason_is_refused_with_a_message(open_loop, coordinator, employer):
    with pytest.raises(ValidationError, match="why"):
        selection.employer_selection_record(
            loop=open_loop,
            employer=employer,
            by=coordinator,
            why="  ",
            offers="",
            takes_one_each_period=False,
        )
    assert not EmployerSelection.objects.exists()


def test_the_history_shows_each_employers_earlier_loops(
    open_loop, earlier_loop, employers, coordinator
):
    rows = {row.employer.pk: row for row in selection.selection_rows(open_loop)}
    assert [p.name for p in rows[employers[0].pk].history] == ["Loop 2025"]
    assert [p.name for p in rows[employers[2].pk].history] == []
    assert all(row.in_loop for row in rows.values())


def test_the_page_shows_criteria_and_history_and_saves(
    open_loop, earlier_loop, coordinator, employer
):
    client = client_for(coordinator)
    response = client.get(url(open_loop))
    assert response.status_code == 200
    assert "Loop 2025" in response.content.decode()
    response = client.post(
        url(open_loop),
        {
            "prefix_employer": employer.pk,
            f"e{employer.pk}-employer": employer.pk,
            f"e{employer.pk}-why": "God mentor",
            f"e{employer.pk}-offers": "Bakeri",
            f"e{employer.pk}-takes_one_each_period": "on",
        },
    )
    assert response.status_code == 302
    assert EmployerSelection.objects.get().takes_one_each_period


def test_a_bad_post_gets_a_message_and_saves_nothing(open_loop, coordinator, employer):
    response = client_for(coordinator).post(
        url(open_loop),
        {
            "prefix_employer": employer.pk,
            f"e{employer.pk}-employer": employer.pk,
            f"e{employer.pk}-why": "",
        },
    )
    assert response.status_code == 400
    assert not EmployerSelection.objects.exists()


def test_the_page_takes_a_fixed_number_of_queries(
    open_loop, earlier_loop, coordinator, django_assert_max_num_queries
):
    client = client_for(coordinator)
    client.get(url(open_loop))
    with django_assert_max_num_queries(14):
        assert client.get(url(open_loop)).status_code == 200


def test_who_may_choose(open_loop, admin, outsider, mentor, coordinator, org):
    assert client_for(admin).get(url(open_loop)).status_code == 403
    assert client_for(mentor).get(url(open_loop)).status_code == 403
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


def test_the_external_driver_chooses_for_their_loop_only(
    open_loop, coordinator, counselor, org, employers
):
    driver = drivers.loop_partner_invite(
        organisation=org,
        by=coordinator,
        email="d@x.example",
        full_name="D",
        role=LoopPartner.Role.EXTERNAL_DRIVER,
    )
    drivers.loop_partner_assign(partner=driver, loop=open_loop, by=coordinator)
    other = services.loop_create(
        organisation=org,
        by=coordinator,
        name="Annen",
        driver=coordinator,
        counselor=counselor,
        start_date=EARLIER,
        employers=employers[:2],
    )
    client = client_for(driver.user)
    assert client.get(url(open_loop)).status_code == 200
    assert client.get(url(other)).status_code == 404


def test_the_api_lists_and_records_with_a_409_for_a_stale_write(
    open_loop, coordinator, employer, outsider
):
    client = client_for(coordinator)
    path = f"/api/v1/loop-selection/{open_loop.pk}/employers/{employer.pk}"
    body = {"why": "God mentor", "offers": "Bakeri", "takes_one_each_period": True}
    response = client.put(path, body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["revision"] == 1
    client.put(path, {**body, "revision": 1}, content_type="application/json")
    assert (
        client.put(path, {**body, "revision": 1}, content_type="application/json").status_code
        == 409
    )
    listed = client.get(f"/api/v1/loop-selection/{open_loop.pk}/employers").json()
    assert listed[0]["why"] == "God mentor"
    assert (
        client_for(outsider).get(f"/api/v1/loop-selection/{open_loop.pk}/employers").status_code
        == 404
    )
