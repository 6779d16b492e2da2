"""Reading in worker processes (a large folder on PostgreSQL) stages the same rows and reports
the same errors as reading in the importer's own process."""

import datetime
from pathlib import Path

import pytest
from django.db import connection

from samspill.interchange import parallel
from samspill.interchange.report import ImportRejected
from samspill.interchange.services import interchange_import
from samspill.interchange.tests.conftest import GOOD, write_folder
from samspill.interchange.tests.test_import import counts
from samspill.interchange.tests.test_validation import EXPECTED, bad_files
from samspill.participants.models import Participant
from samspill.plans.models import Activity

pytestmark = pytest.mark.django_db


def test_copy_lines_escape_what_copy_reads_specially():
    moment = datetime.datetime(2025, 3, 1, 8, tzinfo=datetime.timezone(datetime.timedelta(hours=1)))

    line = parallel.copy_line((7, None, "a\tb\\c\nd", "", datetime.date(2025, 3, 1), moment))

    assert line == "7\t\\N\ta\\tb\\\\c\\nd\t\t2025-03-01\t2025-03-01T08:00:00+01:00\n"


@pytest.fixture
def in_workers(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("the workers COPY into PostgreSQL")
    monkeypatch.setattr(parallel, "PARALLEL_BYTES", 0)


def test_workers_stage_what_one_process_stages(in_workers, tmp_path: Path):
    files = {name: [list(row) for row in rows] for name, rows in GOOD.items()}
    files["participants"][1][3] = "Hansen\tTab\\Back"  # read back exactly

    report = interchange_import(
        folder=write_folder(tmp_path / "good", files), by=None, parallel=True
    )

    assert "load in workers, all files" in report.timings
    assert report.rows["activities"] == 4
    assert counts()["Activity"] == 4
    assert Activity.objects.filter(title="Kontakt med arbeidsgiver").count() == 2
    assert Participant.objects.get(external_key="P2").family_name == "Hansen\tTab\\Back"


def test_workers_report_every_bad_row(in_workers, tmp_path: Path):
    with pytest.raises(ImportRejected) as caught:
        interchange_import(
            folder=write_folder(tmp_path / "bad", bad_files()), by=None, parallel=True
        )
    error = caught.value

    assert {(e.file, e.line, e.column) for e in error.report.errors} == EXPECTED
    assert error.report.error_count == len(EXPECTED)
