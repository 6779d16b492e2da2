"""Creating and editing a workshop on its own page (issue 22, item 7): staff who follow
participants start one, whoever runs it changes it; a stale or bad save is refused and changes
nothing; the list links to the new page."""

import pytest
from django.urls import reverse

from samspill.audit.models import AuditEvent
from samspill.core.testing import client_for
from samspill.workshops.models import Workshop

pytestmark = pytest.mark.django_db


def body(facilitator, **fields):
    return {
        "name": "Skjulte Talenter høst",
        "facilitator": facilitator.pk,
        "starts_on": "2026-09-07",
        "description": "Fire samlinger.",
        **fields,
    }


def test_the_list_links_to_the_new_workshop_page(counselor):
    html = client_for(counselor).get(reverse("workshops:list")).content.decode()

    assert f'href="{reverse("workshops:create")}"' in html


def test_a_counselor_starts_a_workshop_with_a_colleague_running_it(counselor, coordinator):
    response = client_for(counselor).post(reverse("workshops:create"), body(coordinator))

    workshop = Workshop.objects.get()
    assert response["Location"] == reverse("workshops:detail", args=[workshop.pk])
    assert workshop.facilitator == coordinator and workshop.revision == 0
    assert AuditEvent.objects.filter(action="workshop.created", actor=counselor).count() == 1


def test_a_facilitator_from_outside_the_organisation_is_refused(counselor, outsider, admin):
    client = client_for(counselor)
    for facilitator in (outsider, admin):  # another organisation; one who follows nobody
        response = client.post(reverse("workshops:create"), body(facilitator))
        assert response.status_code == 400
    assert not Workshop.objects.exists()


def test_the_facilitator_edits_it_and_a_stale_save_changes_nothing(workshop, coordinator):
    page = reverse("workshops:edit", args=[workshop.pk])
    client = client_for(coordinator)

    saved = client.post(page, body(coordinator, name="Ny runde", revision=0))
    stale = client.post(page, body(coordinator, name="Gammel runde", revision=0))
    empty = client.post(page, body(coordinator, name=" ", revision=1))

    assert saved.status_code == 302
    assert stale.status_code == 400 and empty.status_code == 400
    workshop.refresh_from_db()
    assert (workshop.name, workshop.revision) == ("Ny runde", 1)
    assert AuditEvent.objects.filter(action="workshop.changed").count() == 1


def test_the_edit_link_shows_only_to_whoever_runs_it(workshop, coordinator, counselor):
    page = reverse("workshops:detail", args=[workshop.pk])
    link = f'href="{reverse("workshops:edit", args=[workshop.pk])}"'

    assert link in client_for(coordinator).get(page).content.decode()
    assert link not in client_for(counselor).get(page).content.decode()


def test_the_form_pages_run_a_fixed_number_of_queries(
    workshop, coordinator, django_assert_max_num_queries
):
    client = client_for(coordinator)
    for url in (reverse("workshops:create"), reverse("workshops:edit", args=[workshop.pk])):
        with django_assert_max_num_queries(8):
            assert client.get(url).status_code == 200
