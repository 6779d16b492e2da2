import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from samspill.core.testing import client_for
from samspill.participants import services as participant_services
from samspill.selfservice.models import CV

PROFILE = reverse("selfservice:my_profile")
CV_URL = reverse("selfservice:my_cv")
PDF = reverse("selfservice:my_cv_pdf")

A_CV = {
    "summary": "Rolig og blid, glad i folk.",
    "experience": "Butikkmedarbeider, Rema 1000 (2024)",
    "education": "Videregående, restaurant- og matfag",
    "skills": "Kasse, varemottak",
    "languages": "Norsk, somali",
    "film_url": "https://video.example.org/kari",
}


def test_the_participant_writes_their_own_strengths(me, participant):
    response = client_for(me).post(
        reverse("selfservice:my_strengths"),
        {
            "dreams": "Egen kafé",
            "who_i_am": "Blid",
            "what_i_can": "Bake brød",
            "want_to_learn": "Regnskap",
            "revision": participant.revision,
        },
    )
    assert response.status_code == 302
    participant.refresh_from_db()
    assert (participant.dreams, participant.what_i_can) == ("Egen kafé", "Bake brød")


def test_a_stale_strengths_save_changes_nothing(me, participant, counselor):
    stale = participant.revision
    participant_services.participant_update(participant=participant, by=counselor, dreams="Før")
    response = client_for(me).post(
        reverse("selfservice:my_strengths"), {"dreams": "Etter", "revision": stale}
    )
    assert response.status_code == 400
    participant.refresh_from_db()
    assert participant.dreams == "Før"


def test_the_cv_is_saved_and_downloads_as_a_pdf_with_what_was_written(me, participant):
    client = client_for(me)
    assert client.post(CV_URL, {**A_CV, "revision": 1}).status_code == 302
    response = client.get(PDF)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    for shown in ("Kari Nordmann", "Rolig og blid", "Rema 1000", "https://video.example.org/kari"):
        assert shown in text


@pytest.mark.parametrize(
    "bad", [{"film_url": "not a link"}, {"summary": "x" * 2001}, {"revision": "x"}]
)
def test_a_bad_cv_is_refused_and_changes_nothing(me, bad):
    response = client_for(me).post(CV_URL, {**A_CV, "revision": 1, **bad})
    assert response.status_code == 400
    assert not CV.objects.exists()


def test_a_stale_cv_save_is_refused(me):
    client = client_for(me)
    client.post(CV_URL, {**A_CV, "revision": 1})
    response = client.post(CV_URL, {**A_CV, "summary": "Ny", "revision": 1})
    assert response.status_code == 400
    assert CV.objects.get().summary == A_CV["summary"]


def test_the_profile_and_the_pdf_are_the_participants_alone(me, counselor, leader, mentor):
    for user in (counselor, leader, mentor):
        client = client_for(user)
        for url in (PROFILE, PDF):
            assert client.get(url).status_code == 403
        assert client.post(CV_URL, {**A_CV, "revision": 1}).status_code == 403
    assert client_for(None).get(PDF).status_code == 302
    assert not CV.objects.exists()


def test_the_profile_page_runs_a_fixed_number_of_queries(me, django_assert_num_queries):
    client = client_for(me)
    client.post(CV_URL, {**A_CV, "revision": 1})
    # Session, user, participant, access log, the CV, workplaces, unread count; the layout's
    # three.
    with django_assert_num_queries(10):
        assert client.get(PROFILE).status_code == 200
