"""Apprenticeship offices on staff pages and over the API (issue 22, item 11): staff who follow
participants register an office with its own contact person and member employers, and change
it; a stale save or another organisation's employer is refused and changes nothing."""

import json

import pytest
from django.urls import reverse

from samspill.audit.models import AuditEvent
from samspill.core.testing import client_for
from samspill.employers import apprenticeship
from samspill.employers.models import ApprenticeshipOffice

pytestmark = pytest.mark.django_db
API = "/api/v1/catalogue/apprenticeship-offices"


def test_a_coordinator_registers_an_office_with_members_on_the_page(coordinator, employer):
    client = client_for(coordinator)
    body = {"name": "OKB", "contact_name": "Ola Opplæring", "contact_phone": "22 00 00 00"}

    response = client.post(reverse("employers:office_create"), {**body, "members": [employer.pk]})

    assert response.status_code == 302
    office = ApprenticeshipOffice.objects.get()
    assert list(office.members.all()) == [employer]
    assert AuditEvent.objects.filter(action="employers.office_created", actor=coordinator).exists()
    listed = client.get(reverse("employers:offices")).content.decode()
    assert "Ola Opplæring" in listed and reverse("employers:detail", args=[employer.pk]) in listed
    assert reverse("employers:offices") in client.get(reverse("employers:list")).content.decode()


def test_a_stale_edit_or_a_foreign_member_changes_nothing(counselor, employer, other_employer):
    office = apprenticeship.office_create(
        organisation=employer.organisation, by=counselor, name="OKB", contact_name="Ola"
    )
    page = reverse("employers:office_edit", args=[office.pk])
    client = client_for(counselor)

    assert client.post(page, {"name": "A", "contact_name": "B", "revision": 0}).status_code == 400
    foreign = {"name": "A", "contact_name": "B", "revision": 1, "members": [other_employer.pk]}
    assert client.post(page, foreign).status_code == 400
    assert client.post(page, {"name": "A", "contact_name": "", "revision": 1}).status_code == 400
    office.refresh_from_db()
    assert (office.name, office.revision) == ("OKB", 1)


def test_the_api_registers_and_changes_an_office(counselor, employer, admin, outsider):
    client = client_for(counselor)
    created = client.post(
        API,
        json.dumps({"name": "OKB", "contact_name": "Ola", "member_ids": [employer.pk]}),
        content_type="application/json",
    )
    assert created.status_code == 201
    office = created.json()
    assert office["member_ids"] == [employer.pk] and office["revision"] == 1
    url = f"{API}/{office['id']}"
    body = {"name": "OKB Oslo", "contact_name": "Kari", "revision": 1}
    changed = client.put(url, json.dumps(body), content_type="application/json")
    assert changed.status_code == 200 and changed.json()["member_ids"] == []
    stale = client.put(url, json.dumps(body), content_type="application/json")
    assert stale.status_code == 409
    bad_mail = {**body, "revision": 2, "contact_email": "not-an-address"}
    assert client.put(url, json.dumps(bad_mail), content_type="application/json").status_code == 422
    for who, status in ((admin, 403), (outsider, 404)):
        response = client_for(who).put(url, json.dumps(body), content_type="application/json")
        assert response.status_code == status
    assert ApprenticeshipOffice.objects.get().name == "OKB Oslo"


def test_the_list_page_runs_a_fixed_number_of_queries(
    counselor, employer, django_assert_max_num_queries
):
    client = client_for(counselor)

    def add(n):
        apprenticeship.office_create(
            organisation=employer.organisation,
            by=counselor,
            name=f"OK{n}",
            contact_name="Ola",
            member_ids=[employer.pk],
        )

    add(0)
    with django_assert_max_num_queries(25) as one:
        assert client.get(reverse("employers:offices")).status_code == 200
    add(1)
    add(2)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(reverse("employers:offices")).status_code == 200


def test_an_id_beyond_any_row_or_a_missing_revision_is_a_422_and_saves_nothing(counselor):
    client = client_for(counselor)
    huge = {"name": "OKB", "contact_name": "Ola", "member_ids": [2**80]}
    response = client.post(API, json.dumps(huge), content_type="application/json")
    assert response.status_code == 422
    assert not ApprenticeshipOffice.objects.exists()
    created = client.post(
        API, json.dumps({"name": "OKB", "contact_name": "Ola"}), content_type="application/json"
    ).json()
    no_revision = {"name": "OKB Oslo", "contact_name": "Kari"}
    url = f"{API}/{created['id']}"
    assert (
        client.put(url, json.dumps(no_revision), content_type="application/json").status_code == 422
    )
    assert ApprenticeshipOffice.objects.get().name == "OKB"
