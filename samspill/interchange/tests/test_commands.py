"""`samspill import DIR` and `samspill export DIR`: the command module named `import` loads."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from samspill.audit.models import AuditEvent
from samspill.interchange.tests.conftest import GOOD, write_folder
from samspill.organisations.models import Membership
from samspill.participants.models import Participant

pytestmark = pytest.mark.django_db


def test_import_then_export_from_the_command_line(good_folder: Path, tmp_path: Path):
    call_command("import", str(good_folder))
    call_command("export", str(tmp_path / "out"), "--org", "ORG1")

    assert Participant.objects.count() == 2
    assert (tmp_path / "out" / "participants.csv").read_text().count("\n") == 3


def test_import_reports_the_errors_and_fails(tmp_path: Path):
    files = {**GOOD, "participants": [["P1", "ORG1", "Ola", "N", "17.05.1990", "", "x"]]}

    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import", str(write_folder(tmp_path / "bad", files)))

    assert not Participant.objects.exists()


def test_a_research_export_needs_an_administrator(good_folder: Path, tmp_path: Path):
    call_command("import", str(good_folder))
    leader = Membership.objects.get(external_key="S3")

    with pytest.raises(CommandError):
        call_command("export", str(tmp_path / "r"), "--research", "--by", leader.user.email)
    leader.role = Membership.Role.ADMIN
    leader.save(update_fields=["role"])
    call_command("export", str(tmp_path / "r2"), "--research", "--by", leader.user.email)

    assert AuditEvent.objects.filter(action="interchange.research_exported").count() == 1


def test_bulk_mode_is_refused_where_it_does_not_exist(good_folder: Path):
    from django.db import connection

    if connection.vendor == "postgresql":
        call_command("import", str(good_folder), "--bulk")
        assert Participant.objects.count() == 2
    else:
        with pytest.raises(CommandError, match="PostgreSQL"):
            call_command("import", str(good_folder), "--bulk")
        assert not Participant.objects.exists()
