"""The measures catalogue on staff pages (issue 22, item 10): staff read it, the agreement links
to the measures its kind uses, an administrator rewrites a measure (a stale save is refused and
changes nothing), and the employer portal then shows the organisation's words."""

import pytest
from django.urls import reverse

from samspill.audit.models import AuditEvent
from samspill.core.testing import client_for
from samspill.placements.kinds_models import MeasureText

pytestmark = pytest.mark.django_db
WORDS = {
    "name": "Lønnstilskudd hos oss",
    "what": "Vi forklarer det på vår måte.",
    "who": "Unge.",
    "employer_gets": "Del av lønnen.",
    "how_long": "Ett år.",
}


def test_the_staff_agreement_page_links_to_the_measures_of_its_kind(draft, counselor):
    draft.kind = "temporary_wage_subsidy"
    draft.save(update_fields=["kind"])

    body = client_for(counselor).get(reverse("placements:detail", args=[draft.pk])).content

    assert f'href="{reverse("placements:measures")}#measure-wage_subsidy"'.encode() in body


def test_an_administrator_rewrites_a_measure_and_everyone_reads_it(admin, counselor, mentor):
    edit = reverse("placements:measure_edit", args=["wage_subsidy"])
    response = client_for(admin).post(edit, {**WORDS, "revision": ""})

    assert response.status_code == 302
    assert response["Location"].endswith("#measure-wage_subsidy")
    assert AuditEvent.objects.filter(action="placements.measure_saved").count() == 1
    staff_page = client_for(counselor).get(reverse("placements:measures")).content.decode()
    assert "Vi forklarer det på vår måte." in staff_page
    assert edit not in staff_page  # only an administrator is offered the edit
    portal = client_for(mentor).get(reverse("portal:measures")).content.decode()
    assert "Vi forklarer det på vår måte." in portal


def test_a_stale_or_empty_save_is_refused_and_changes_nothing(admin):
    edit = reverse("placements:measure_edit", args=["wage_subsidy"])
    client = client_for(admin)
    assert client.post(edit, {**WORDS, "revision": ""}).status_code == 302

    stale = client.post(edit, {**WORDS, "what": "Ny tekst", "revision": "0"})
    empty = client.post(edit, {**WORDS, "what": "", "revision": "1"})

    assert stale.status_code == 400 and empty.status_code == 400
    assert MeasureText.objects.get().what == WORDS["what"]


def test_an_unknown_measure_is_not_found(admin):
    assert (
        client_for(admin).get(reverse("placements:measure_edit", args=["nope"])).status_code == 404
    )


def test_the_catalogue_page_runs_a_fixed_number_of_queries(
    admin, counselor, django_assert_max_num_queries
):
    client = client_for(counselor)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("placements:measures")).status_code == 200
