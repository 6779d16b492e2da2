"""Across the loops: counts of 1-4 participants are hidden on the loop list and the driver's page
(core/smallcells.py); the loop's own wheel still names those seated."""

from django.urls import reverse

from samspill.core.testing import client_for
from samspill.loops import queries


def test_a_loop_of_three_shows_hidden_for_its_participants(loop, counselor):
    (row,) = queries.outcomes_across([loop])

    assert (row.participants, row.ended, row.work_or_education, row.share) == (None, 0, 0, None)
    html = english_client(counselor).get(reverse("loops:list")).content.decode()
    assert '<td><span class="suppressed">hidden</span></td><td>0</td>' in html
    assert "Hidden: counts of 1 to 4 people are not shown" in html


def test_the_drivers_page_hides_them_too(loop, coordinator):
    html = english_client(coordinator).get(reverse("loops:driver")).content.decode()

    assert '<td><span class="suppressed">hidden</span></td>' in html


def english_client(user):
    client = client_for(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
