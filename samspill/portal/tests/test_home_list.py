"""The mentor's list tells placements apart without the names: status, kind, place and dates on
each; the one waiting for the workplace's approval comes first and says so; an ended placement
shows no next follow-up."""

import datetime
import re

from django.urls import reverse

from samspill.core.testing import client_for, make_participant
from samspill.placements import services as placement_services
from samspill.placements.models import Placement
from samspill.placements.tests import cast


def rows(html: str) -> list[str]:
    """The list's items, as text."""
    items = re.findall(r"<li[^>]*>(.*?)</li>", html.split('class="plain portal-list"')[1], re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", item)).strip() for item in items]


def test_the_placement_awaiting_the_workplace_comes_first_and_says_so(
    time_machine, org, participant, employer, counselor, mentor_contact, mentor, employer_user
):
    time_machine.move_to(cast.at(cast.TODAY), tick=False)
    ready = cast.approve_all(
        cast.draft(participant, employer, counselor, mentor_contact, start=cast.START),
        counselor,
        employer_user,
    )
    other = make_participant(org, counselor, given_name="Per", family_name="Annen")
    waiting = cast.sent(
        cast.draft(
            other, employer, counselor, mentor_contact, start=cast.START, kind="mentor_support"
        ),
        counselor,
    )
    assert waiting.status == "awaiting_approval" and ready.status == "ready"

    first, second = rows(client_for(mentor).get(reverse("portal:home")).content.decode())

    # Neither name is shared: status, kind, place and dates tell them apart.
    assert "Venter på din godkjenning" in first and "Mentorstøtte" in first
    assert "Klar til start" in second and "Arbeidstrening" in second
    assert "Bakeriet, Storgata 1" in first and "09.03.2026 til 05.09.2026" in second
    assert "Venter på din godkjenning" not in second


def test_an_ended_placement_shows_no_next_follow_up(
    time_machine, participant, employer, counselor, mentor_contact, mentor, employer_user
):
    time_machine.move_to(cast.at(cast.TODAY), tick=False)
    approved = cast.approve_all(
        cast.draft(participant, employer, counselor, mentor_contact, start=cast.START),
        counselor,
        employer_user,
    )
    ended_on = cast.START + datetime.timedelta(days=40)
    time_machine.move_to(cast.at(ended_on), tick=False)
    assert approved.next_follow_up_on is not None
    placement_services.placement_end(
        placement=approved, by=counselor, ended_on=ended_on, outcome="ordinary_work"
    )
    client = client_for(mentor)

    (row,) = rows(client.get(reverse("portal:home")).content.decode())
    page = client.get(reverse("portal:placement", kwargs={"pk": approved.pk})).content.decode()

    assert "Avsluttet" in row
    assert "Neste oppfølging" not in row and "Neste oppfølging" not in page
    assert Placement.objects.get(pk=approved.pk).status == "ended"
