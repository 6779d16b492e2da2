"""The employer pages as staff use them."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samspill.core.testing import client_for, make_employer
from samspill.employers import services
from samspill.employers.models import Employer

TODAY = timezone.localdate()


def test_the_list_searches_and_filters(org, counselor, colleague):
    make_employer(
        org, counselor, name="Bakeriet Sentrum", nace_division="10", municipality="Bergen"
    )
    make_employer(org, colleague, name="Byggmester Hansen", nace_division="41", municipality="Oslo")
    cafe = make_employer(org, counselor, name="Kafé Blå", nace_division="56", municipality="Bergen")
    services.need_add(employer=cafe, by=counselor, role="Servitør")
    client = client_for(counselor)

    def names(**params: str) -> list[str]:
        page = client.get(reverse("employers:list"), params)
        assert page.status_code == 200
        return [e.name for e in page.context["page"].object_list]

    assert names() == ["Bakeriet Sentrum", "Byggmester Hansen", "Kafé Blå"]
    assert names(q="ba") == ["Bakeriet Sentrum"]
    assert names(q="byggmester han") == ["Byggmester Hansen"]
    assert names(section="I") == ["Kafé Blå"]
    assert names(municipality="bergen") == ["Bakeriet Sentrum", "Kafé Blå"]
    assert names(need="servi") == ["Kafé Blå"]
    assert names(open_need="on") == ["Kafé Blå"]
    assert names(mine="on") == ["Bakeriet Sentrum", "Kafé Blå"]
    assert names(q=cafe.org_number[:5]) == ["Kafé Blå"]


def test_the_list_and_the_board_run_a_fixed_number_of_queries(org, counselor):
    client = client_for(counselor)

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context)

    make_employer(org, counselor, name="First")
    few = (count(reverse("employers:list")), count(reverse("employers:board")))
    for index in range(30):
        make_employer(org, counselor, name=f"Employer {index}")
    assert (count(reverse("employers:list")), count(reverse("employers:board"))) == few
    assert few[0] <= 8 and few[1] <= 12


def test_a_bad_organisation_number_in_the_form_says_why_and_creates_nothing(org, counselor):
    response = client_for(counselor).post(
        reverse("employers:create"),
        {"name": "Nytt AS", "org_number": "123456789", "contact_person": ""},
    )
    assert response.status_code == 400
    assert Employer.objects.count() == 0


def test_creating_an_employer_shows_the_person_to_call(org, counselor, colleague):
    client = client_for(counselor)
    form = client.get(reverse("employers:create"))
    contact_choice = next(
        m for m in form.context["form"].fields["contact_person"].queryset if m.user == colleague
    )
    response = client.post(
        reverse("employers:create"),
        {
            "name": "Nytt AS",
            "org_number": "974 760 673",
            "contact_person": contact_choice.pk,
            "nace_division": "47",
        },
    )
    assert response.status_code == 302
    employer = Employer.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "One person to call" in page or "Én person å ringe" in page
    assert colleague.full_name in page and colleague.email in page
    assert employer.contact_person == colleague


def test_the_contact_person_change_page_refuses_a_change_without_reason(
    employer, counselor, colleague
):
    client = client_for(counselor)
    form = client.get(reverse("employers:contact_person", kwargs={"pk": employer.pk}))
    choice = form.context["form"].fields["contact_person"].queryset.get(user=colleague)
    url = reverse("employers:contact_person", kwargs={"pk": employer.pk})
    refused = client.post(url, {"contact_person": choice.pk, "reason": "", "revision": 1})
    assert refused.status_code == 400
    employer.refresh_from_db()
    assert employer.contact_person == counselor
    done = client.post(
        url, {"contact_person": choice.pk, "reason": "left", "handover_note": "Hi", "revision": 1}
    )
    assert done.status_code == 302
    employer.refresh_from_db()
    assert employer.contact_person == colleague


@pytest.mark.parametrize("kind", ["pdf", "text"])
def test_the_agreement_upload_takes_only_a_pdf(employer, counselor, kind):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = b"%PDF-1.4 signed" if kind == "pdf" else b"hello"
    response = client_for(counselor).post(
        reverse("employers:agreement_add", kwargs={"pk": employer.pk}),
        {
            "status": "signed",
            "signed_on": "2026-03-01",
            "work_training_places": "2",
            "summer_jobs": "0",
            "apprenticeships": "0",
            "hires": "0",
            "document": SimpleUploadedFile(f"a.{kind}", content),
        },
    )
    assert response.status_code == (302 if kind == "pdf" else 400)
    assert employer.agreements.count() == (1 if kind == "pdf" else 0)
    if kind == "pdf":
        agreement = employer.agreements.get()
        download = client_for(counselor).get(
            reverse(
                "employers:agreement_document",
                kwargs={"pk": employer.pk, "agreement_pk": agreement.pk},
            )
        )
        assert b"".join(download.streaming_content).startswith(b"%PDF-")  # type: ignore[attr-defined]


def test_a_counselor_places_their_own_participant_with_a_mentor(
    employer, counselor, participant, colleague, org
):
    from samspill.core.testing import make_participant
    from samspill.placements.models import Placement

    mentor = services.contact_add(
        employer=employer, by=counselor, name="Mona", phone="99999999", is_mentor=True
    )
    not_mine = make_participant(org, colleague, given_name="Siri")
    url = reverse("employers:placement_add", kwargs={"pk": employer.pk})
    data = {
        "participant": participant.pk,
        "mentor": mentor.pk,
        "kind": "work_training",
        "title": "Bakeassistent",
        "start_date": str(TODAY),
        "end_date": str(TODAY + datetime.timedelta(days=180)),
    }
    client = client_for(counselor)
    refused = client.post(url, {**data, "participant": not_mine.pk})
    assert refused.status_code == 400
    assert Placement.objects.count() == 0
    backwards = client.post(url, {**data, "end_date": "2026-10-01"})
    assert backwards.status_code == 400
    assert Placement.objects.count() == 0
    assert client.post(url, data).status_code == 302
    placement = Placement.objects.get()
    assert (placement.participant, placement.mentor) == (participant, mentor)
