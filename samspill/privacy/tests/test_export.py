"""`samspill privacy export`: every table about a person as JSON, and a readable PDF."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from samspill.audit.models import AuditEvent
from samspill.audit.services import access_log_record
from samspill.privacy.tests.conftest import NOTE_TEXT

pytestmark = pytest.mark.django_db


def test_it_exports_every_table_about_a_participant_as_json(tmp_path, person, leader):
    access_log_record(actor=leader, participant=person, what="participants:detail", why="leader")
    output = tmp_path / "export.json"

    call_command("privacy", "export", "--participant", str(person.pk), "--output", str(output))

    document = json.loads(output.read_text())
    tables = {table["table"]: table["rows"] for table in document["tables"]}
    assert tables["participants.participant"][0]["national_id"] == "17059006819"
    assert tables["participants.participant"][0]["needs"] == "Trenger pauser (helse)"
    assert [note["text"] for note in tables["plans.note"]] == [NOTE_TEXT]
    # Found by walking the graph: the period's counselor assignment hangs off the period.
    assert {"participants.followupperiod", "participants.counselorassignment"} <= set(tables)
    assert "participants.consentrecord" in tables
    assert [(entry["who"], entry["why"]) for entry in document["access_log"]] == [
        ("Leader", "leader")
    ]
    assert any(event["action"] == "participant.created" for event in document["history"])
    assert AuditEvent.objects.filter(action="privacy.exported", participant=person).exists()


def test_it_writes_a_readable_pdf(tmp_path, person):
    output = tmp_path / "export.pdf"

    call_command("privacy", "export", "--participant", str(person.pk), "--output", str(output))

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(output.read_bytes())).pages)
    assert "Sigrid Solbakken" in text
    assert NOTE_TEXT in " ".join(text.split())


def test_a_staff_export_names_the_rows_without_the_participants_texts(tmp_path, person, counselor):
    output = tmp_path / "staff.json"

    call_command("privacy", "export", "--user", str(counselor.pk), "--output", str(output))

    document = json.loads(output.read_text())
    tables = {table["table"]: table["rows"] for table in document["tables"]}
    assert tables["accounts.user"][0]["email"] == "counselor@example.org"
    assert "password" not in tables["accounts.user"][0]
    [note] = tables["plans.note"]
    assert note["author_id"] == counselor.pk
    assert "text" not in note
    assert NOTE_TEXT not in output.read_text()


def test_it_says_so_when_nobody_has_that_number(tmp_path):
    with pytest.raises(CommandError, match="No participant 999"):
        call_command("privacy", "export", "--participant", "999", "--output", str(tmp_path / "x"))
