"""The loop page reads a fixed number of queries, whatever the size of the loop."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samspill.core.testing import client_for, make_employer, make_participant
from samspill.loops import services
from samspill.loops.models import LoopPlacement
from samspill.placements.followups import concern_raise

# Session, user and membership, the loop, the grid (2), the cells, the participant door, the
# outcomes, the concerns, the waiting list and the forms' choices.
LOOP_PAGE_QUERIES = 14


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def big_loop(org, coordinator, counselor):
    employers = [make_employer(org, counselor, name=f"Firma {i} AS") for i in range(6)]
    loop = services.loop_create(
        organisation=org,
        by=coordinator,
        name="Loop Stor",
        driver=coordinator,
        counselor=counselor,
        start_date=datetime.date(2027, 1, 4),
        employers=employers,
    )
    people = [make_participant(org, counselor, given_name=f"Ung {i}") for i in range(6)]
    rows = loop.rows()
    services.loop_seating_accept(
        loop=loop,
        by=counselor,
        seats=[(p, [employers[c] for c in rows[r]]) for r, p in enumerate(people)],
    )
    return loop


def test_the_loop_page_reads_the_same_queries_for_3_and_6_employers(
    loop, big_loop, counselor, mentor
):
    client = client_for(counselor)
    assert count(client, reverse("loops:detail", args=[loop.pk])) == LOOP_PAGE_QUERIES
    cell = LoopPlacement.objects.get(seat__loop=loop, seat__row=0, period=0)
    concern_raise(placement=cell.placement, by=mentor, text="Late")
    response_count = count(client, reverse("loops:detail", args=[loop.pk]))
    assert response_count == LOOP_PAGE_QUERIES
    assert "Late" in client.get(reverse("loops:detail", args=[loop.pk])).content.decode()
    assert count(client, reverse("loops:detail", args=[big_loop.pk])) == LOOP_PAGE_QUERIES
