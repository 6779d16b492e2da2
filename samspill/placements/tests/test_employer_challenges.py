"""Challenge counts per employer on the staff employer page (seed 002): how many of the
employer's placements met each typed challenge in a follow-up or an evaluation, a placement
once per challenge; counts of 1 to 4 are hidden (core/smallcells.py); the employer never sees
them. Clock frozen on cast.TODAY; follow-ups logged in April."""

import datetime

import pytest
from django.urls import reverse

from samspill.core.testing import client_for, make_participant
from samspill.placements import followups
from samspill.placements.queries import challenges_at_employer
from samspill.placements.tests import cast
from samspill.placements.tests.cast import START, at

pytestmark = pytest.mark.usefixtures("clock")
APRIL = datetime.date(2026, 4, 15)


def log(placement, by, challenges):
    return followups.follow_up_log(
        placement=placement,
        by=by,
        held_on=APRIL,
        going="mixed",
        counselor_present=True,
        challenges=challenges,
    )


@pytest.fixture
def five(org, employer, counselor, mentor_contact, employer_user, time_machine):
    placements = []
    for n in range(5):
        person = make_participant(org, counselor, given_name=f"Person{n}")
        draft = cast.draft(person, employer, counselor, mentor_contact, start=START)
        placements.append(cast.approve_all(draft, counselor, employer_user))
    time_machine.move_to(at(APRIL), tick=False)
    for placement in placements:
        log(placement, counselor, ["language"])
    log(placements[0], counselor, ["language", "mental_health"])  # once per placement
    return placements


def counts(employer):
    return {c.value: c.placements for c in challenges_at_employer(employer)}


def test_each_placement_counts_once_and_small_counts_are_hidden(five, employer):
    assert counts(employer) == {
        "language": 5,
        "social": 0,
        "mental_health": None,  # one placement: hidden
        "practical": 0,
        "other": 0,
    }


def test_the_staff_employer_page_shows_the_counts_in_fixed_queries(
    five, employer, counselor, mentor, django_assert_max_num_queries
):
    page = reverse("employers:detail", args=[employer.pk])
    client = client_for(counselor)
    with django_assert_max_num_queries(40) as first:
        html = client.get(page).content.decode()
    assert 'data-challenge="language"><th scope="row">' in html
    assert 'data-count="5"' in html and 'data-count="hidden"' in html
    log(five[1], counselor, ["social", "practical"])
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(page)
    # The employer's own people never reach this page.
    assert client_for(mentor).get(page).status_code == 403
