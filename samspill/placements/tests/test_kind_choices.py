"""The kind of placement is chosen from the kinds of the organisation's country (issue 22, item
12): every form that picks a kind offers only those; a kind of another country posted anyway is
refused and nothing is drafted."""

import re

import pytest
from django.urls import reverse

from samspill.core.testing import client_for
from samspill.organisations.models import Organisation
from samspill.placements.models import Placement
from samspill.placements.rules import KINDS_BY_COUNTRY

pytestmark = pytest.mark.django_db


def offered(html: str, form: str = "") -> set[str]:
    """The kinds in the select named kind (in the form posting to `form`, when given)."""
    if form:
        html = html[html.index(f'action="{form}"') :]
    select = re.search(r'<select name="kind".*?</select>', html, re.S)
    assert select is not None
    return set(re.findall(r'<option value="([^"]+)"', select.group(0)))


def danish(org: Organisation) -> None:
    org.country = "DK"
    org.save(update_fields=["country"])


@pytest.mark.parametrize("country", ["NO", "DK"])
def test_the_start_form_offers_the_countrys_kinds(org, counselor, participant, employer, country):
    if country == "DK":
        danish(org)
    html = client_for(counselor).get(reverse("employers:detail", args=[employer.pk])).content
    form = reverse("employers:placement_add", args=[employer.pk])

    assert offered(html.decode(), form) == set(KINDS_BY_COUNTRY[country])


def test_the_duration_step_offers_the_countrys_kinds(org, draft, counselor):
    danish(org)
    page = reverse("placements:step", args=[draft.pk, "duration"])

    html = client_for(counselor).get(page).content.decode()

    # The draft's own (Norwegian) kind stays shown, so the agreement says what it is.
    assert offered(html) == {*KINDS_BY_COUNTRY["DK"], draft.kind}


def test_a_kind_of_another_country_is_refused(org, counselor, participant, employer):
    body = {
        "participant": participant.pk,
        "kind": Placement.Kind.COMPANY_INTERNSHIP,
        "title": "Lager",
        "start_date": "2026-03-02",
    }

    response = client_for(counselor).post(
        reverse("employers:placement_add", args=[employer.pk]), body
    )

    assert response.status_code == 400
    assert "kind" in response.context["placement_form"].errors
    assert not Placement.objects.exists()
