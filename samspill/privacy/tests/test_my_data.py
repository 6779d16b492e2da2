"""/privacy/my-data/: a participant downloads everything about them, their own record only."""

import io
import json

import pytest
from pypdf import PdfReader

from samspill.audit.models import AccessLog, AuditEvent
from samspill.core.testing import client_for
from samspill.portal.services import participant_invite
from samspill.privacy.tests.conftest import NOTE_TEXT

pytestmark = pytest.mark.django_db
URL = "/privacy/my-data/"


@pytest.fixture
def own_login(person, counselor):
    return participant_invite(participant=person, by=counselor)


def test_a_participant_downloads_their_own_data_as_json(own_login, person, other_participant):
    response = client_for(own_login).post(URL, {"format": "json"})

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="samspill-my-data.json"'
    document = json.loads(response.content)
    assert document["subject"]["id"] == person.pk
    tables = {table["table"]: table["rows"] for table in document["tables"]}
    assert [note["text"] for note in tables["plans.note"]] == [NOTE_TEXT]
    assert other_participant.family_name not in response.content.decode()
    assert AccessLog.objects.filter(participant=person, actor=own_login, why="portal:self").exists()
    assert AuditEvent.objects.filter(action="privacy.exported", actor=own_login).exists()


def test_a_participant_downloads_their_own_data_as_pdf(own_login):
    response = client_for(own_login).post(URL, {"format": "pdf"})

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Sigrid Solbakken" in text


def test_the_page_offers_both_in_a_fixed_number_of_queries(own_login, django_assert_num_queries):
    client = client_for(own_login)
    with django_assert_num_queries(6):
        response = client.get(URL)

    assert response.status_code == 200
    assert 'value="pdf"' in response.content.decode()


def test_a_bad_format_gets_a_clear_message_and_exports_nothing(own_login):
    response = client_for(own_login).post(URL, {"format": "xml"})

    assert response.status_code == 400
    assert "JSON" in response.content.decode()
    assert not AuditEvent.objects.filter(action="privacy.exported").exists()


@pytest.mark.parametrize(
    "role", ["counselor", "leader", "admin", "outsider", "mentor", "employer_user"]
)
def test_anyone_but_a_participant_gets_a_404(role, request, own_login):
    user = request.getfixturevalue(role)
    assert client_for(user).get(URL).status_code == 404
    assert client_for(user).post(URL, {"format": "json"}).status_code == 404


def test_anonymous_is_sent_to_sign_in():
    assert client_for(None).get(URL).status_code == 302
