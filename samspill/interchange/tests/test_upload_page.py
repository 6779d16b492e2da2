"""The upload page: administrators only, a clear message for a bad upload, nothing changed by
it, and a number of queries that does not grow with the files."""

import copy
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samspill.core.testing import client_for
from samspill.interchange.tests.conftest import GOOD, write_folder
from samspill.organisations.models import Organisation
from samspill.participants.models import Participant

pytestmark = pytest.mark.django_db
URL = "/interchange/"


def zipped(folder: Path) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in folder.iterdir():
            archive.write(path, f"export/{path.name}")
    return SimpleUploadedFile("export.zip", buffer.getvalue(), "application/zip")


def test_the_url_is_the_upload_page():
    assert reverse("interchange:upload") == URL


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("counselor", 403),
        ("leader", 403),
        ("coordinator", 403),
        ("outsider", 403),
        ("mentor", 403),
        ("admin", 200),
    ],
)
def test_only_administrators_reach_the_page(request, role, expected, tmp_path):
    from samspill.accounts.models import User

    if role == "mentor":  # a portal user: no membership
        user = User.objects.create_user(email="mentor@example.org", full_name="Mentor")
    else:
        user = None if role == "anonymous" else request.getfixturevalue(role)
    client = client_for(user)

    assert client.get(URL).status_code == expected
    upload = zipped(write_folder(tmp_path / "good", GOOD))
    assert client.post(URL, {"upload": upload}).status_code == expected
    if expected != 200:
        assert not Participant.objects.exists()


def test_an_admin_imports_a_zip_into_their_own_organisation(admin, org, tmp_path):
    response = client_for(admin).post(
        URL, {"upload": zipped(write_folder(tmp_path / "good", GOOD))}
    )

    assert response.status_code == 200
    assert Participant.objects.filter(organisation=org).count() == 2
    org.refresh_from_db()
    assert org.external_key == "ORG1"
    assert Organisation.objects.count() == 1


def test_an_admin_may_upload_the_files_themselves(admin, org, tmp_path):
    folder = write_folder(tmp_path / "good", GOOD)
    files = [
        SimpleUploadedFile(path.name, path.read_bytes(), "text/csv") for path in folder.iterdir()
    ]

    response = client_for(admin).post(URL, {"upload": files})

    assert response.status_code == 200
    assert Participant.objects.filter(organisation=org).count() == 2


def test_a_bad_upload_gets_a_clear_message_and_changes_nothing(admin, org, tmp_path):
    files = copy.deepcopy(GOOD)
    files["participants"].append(["P3", "ORG1", "Ada", "Feil", "1990-13-01", "", "x"])

    response = client_for(admin).post(
        URL, {"upload": zipped(write_folder(tmp_path / "bad", files))}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "participants.csv" in page and "1990-13-01" in page
    assert not Participant.objects.exists()


def test_a_file_that_is_not_of_the_format_is_refused(admin):
    upload = SimpleUploadedFile("notes.txt", b"hello", "text/plain")

    response = client_for(admin).post(URL, {"upload": upload})

    assert response.status_code == 400
    assert "notes.txt" in response.content.decode()


def test_another_organisations_key_is_refused(admin, org, tmp_path):
    org.external_key = "MINE"
    org.save(update_fields=["external_key"])

    response = client_for(admin).post(
        URL, {"upload": zipped(write_folder(tmp_path / "good", GOOD))}
    )

    assert response.status_code == 400
    assert not Participant.objects.exists()


def test_the_number_of_queries_does_not_grow_with_the_files(admin, tmp_path):
    bigger = copy.deepcopy(GOOD)
    for n in range(20):
        bigger["participants"].append(
            [f"X{n}", "ORG1", "Navn", "Navnesen", "1980-01-01", "", "needs_guidance"]
        )
        bigger["followup_periods"].append([f"XP{n}", f"X{n}", "2025-01-01", "", ""])
        bigger["assignments"].append([f"XP{n}", "S1", "2025-01-01", "", ""])
    client = client_for(admin)
    counts = []
    for name, files in (("small", GOOD), ("big", bigger)):
        upload = zipped(write_folder(tmp_path / name, files))
        with CaptureQueriesContext(connection) as queries:
            assert client.post(URL, {"upload": upload}).status_code == 200
        counts.append(len(queries))
        Participant.objects.all().delete()

    assert counts[0] == counts[1]
