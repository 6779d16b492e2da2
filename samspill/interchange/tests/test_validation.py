"""A folder with every kind of bad row: every error reported (file, line, column), nothing
written."""

import copy
from pathlib import Path

import pytest
from django.utils import translation

from samspill.interchange.report import ImportRejected
from samspill.interchange.services import interchange_import
from samspill.interchange.tests.conftest import GOOD, write_folder
from samspill.organisations.models import Organisation
from samspill.participants.models import Participant

pytestmark = pytest.mark.django_db


def bad_files() -> dict[str, list[list[str]]]:
    files = copy.deepcopy(GOOD)
    files["organisations"].append(["ORG2", "Feil AS", "company"])  # line 3: bad kind
    files["staff"] += [
        ["S4", "ORG1", "", "Uten Epost", "", "counselor"],  # line 5: e-mail missing
        ["S5", "ORG1", "", "Sjef", "sjef@test.example", "boss"],  # line 6: bad role
        ["S1", "ORG1", "", "Dobbel", "dobbel@test.example", "counselor"],  # line 7: duplicate key
        ["S6", "ORGX", "", "Borte", "borte@test.example", "counselor"],  # line 8: unknown org
        ["S7", "ORG2", "", "Annen", "annen@test.example", "counselor"],  # line 9: fine, in ORG2
    ]
    files["participants"] += [
        ["P3", "ORG1", "Ada", "Feil", "1990-13-01", "", "needs_guidance"],  # 4: bad date
        ["P4", "ORG1", "Bo", "Feil", "1990-05-17", "12345678901", "needs_guidance"],  # 5: bad id
        [
            "P5",
            "ORG1",
            "Cy",
            "Feil",
            "1991-05-17",
            "17059006819",
            "needs_guidance",
        ],  # 6: id vs birth
        ["P6", "ORG1", "Di", "Feil", "1990-05-17", "", "hopeless"],  # 7: bad need group
    ]
    files["employers"] += [
        ["E3", "123456789", "Feil AS", ""],  # line 4: bad org number
        ["E4", "974760673", "Feil AS", "00"],  # line 5: bad industry
    ]
    files["followup_periods"] += [
        ["PER3", "P2", "2025-05-01", "2025-04-01", ""],  # line 5: end before start
        ["PER4", "P9", "2025-05-01", "", ""],  # line 6: unknown participant
        ["PER5", "P1", "2025-05-01", "", ""],  # line 7: second open period for P1
    ]
    files["assignments"] += [["PER1", "S9", "2025-06-01", "2025-07-01", ""]]  # 6: unknown staff
    files["belief_checkins"] += [
        ["PER1", "S1", "2025-06-01", "7", ""],  # line 4: belief out of range
        ["PER1", "S1", "2025-02-01", "3", ""],  # line 5: same period, staff and date as line 2
        ["PER9", "S9", "2025-06-02", "3", ""],  # line 6: unknown period and unknown staff
    ]
    files["activities"] += [
        ["PER1", "S1", "2025-06-01", "lunch", ""],  # line 6: bad kind
        ["PER1", "S1", "2025-06-01", "employer_contact", "E9"],  # line 7: unknown employer
        ["PER1", "S7", "2025-06-01", "meeting", ""],  # line 8: S7 works in ORG2, P1 is in ORG1
    ]
    files["placements"] += [
        ["PL3", "PER2", "E1", "work_training", "2024-01-01", "", ""],  # 4: outside its period
    ]
    files["outcomes"] += [
        ["PER2", "2025-09-01", "job", "", ""],  # line 3: bad outcome
        ["PER2", "2025-10-01", "education", "", ""],  # line 4: a second outcome on the day
        ["PER2", "2025-11-01", "education", "20", ""],  # 5: after the end; hours, not work
    ]
    files["statuses"] += [
        ["PER2", "6", "2026-04-01", "education", "2026-04-03", "", ""],  # 4: second +6
        ["PER1", "6", "2026-01-01", "", "", "", ""],  # line 5: the period is open
        ["PER2", "9", "2026-07-01", "", "", "", ""],  # line 6: bad months
        ["PER0", "12", "2025-06-30", "not_ready", "2024-05-01", "", "maybe"],  # 7: as_of, bool
        ["PER0", "6", "2024-12-30", "unknown", "2030-01-01", "", ""],  # 8: in the future
    ]
    files["referrals"] += [
        ["R3", "ORG1", "2025-01-15", "newspaper", "good_prospects", "", ""],  # 4: bad source
    ]
    return files


EXPECTED = {
    ("organisations.csv", 3, "kind"),
    ("staff.csv", 5, "email"),
    ("staff.csv", 6, "role"),
    ("staff.csv", 7, "staff_key"),
    ("staff.csv", 8, "org_key"),
    ("participants.csv", 4, "birth_date"),
    ("participants.csv", 5, "national_id"),
    ("participants.csv", 6, "birth_date"),
    ("participants.csv", 6, "national_id"),  # and it is P1's number
    ("participants.csv", 7, "need_group"),
    ("employers.csv", 4, "org_number"),
    ("employers.csv", 5, "nace"),
    # With two organisations in the folder, E3 and E4 belong to neither (no one uses them).
    ("employers.csv", 4, "employer_key"),
    ("employers.csv", 5, "employer_key"),
    ("followup_periods.csv", 5, "end_date"),
    ("followup_periods.csv", 6, "participant_key"),
    ("followup_periods.csv", 7, "participant_key"),
    ("assignments.csv", 6, "staff_key"),
    ("belief_checkins.csv", 4, "belief"),
    ("belief_checkins.csv", 5, "period_key"),
    ("belief_checkins.csv", 6, "period_key"),
    ("belief_checkins.csv", 6, "staff_key"),
    ("activities.csv", 6, "kind"),
    ("activities.csv", 7, "employer_key"),
    ("activities.csv", 8, "staff_key"),
    ("placements.csv", 4, "start_date"),
    ("outcomes.csv", 3, "outcome"),
    ("outcomes.csv", 4, "period_key"),
    ("outcomes.csv", 5, "date"),
    ("outcomes.csv", 5, "hours_per_week"),
    ("statuses.csv", 4, "period_key"),
    ("statuses.csv", 5, "period_key"),
    ("statuses.csv", 6, "months"),
    ("statuses.csv", 7, "as_of"),
    ("statuses.csv", 7, "wage_subsidy"),
    ("statuses.csv", 8, "as_of"),
    ("referrals.csv", 4, "source"),
}


def rejected(folder: Path) -> ImportRejected:
    with pytest.raises(ImportRejected) as caught:
        interchange_import(folder=folder, by=None)
    return caught.value


def test_every_bad_row_is_reported_with_file_line_and_column(tmp_path: Path):
    error = rejected(write_folder(tmp_path / "bad", bad_files()))

    found = {(e.file, e.line, e.column) for e in error.report.errors}
    assert found == EXPECTED
    assert error.report.error_count == len(EXPECTED)
    assert all(e.message for e in error.report.errors)


def test_rows_below_a_period_name_what_they_refer_to(tmp_path: Path):
    with translation.override("en"):
        error = rejected(write_folder(tmp_path / "bad", bad_files()))
    messages = {(e.file, e.line, e.column): e.message for e in error.report.errors}

    assert messages[("belief_checkins.csv", 6, "period_key")] == (
        "No row in followup_periods.csv has period_key “PER9”."
    )
    assert messages[("belief_checkins.csv", 6, "staff_key")] == (
        "No row in staff.csv has staff_key “S9”."
    )
    assert messages[("activities.csv", 7, "employer_key")] == (
        "No row in employers.csv has employer_key “E9”."
    )
    assert messages[("activities.csv", 8, "staff_key")] == (
        "Staff member “S7” works in another organisation than the participant."
    )


def test_a_rejected_folder_leaves_the_database_untouched(tmp_path: Path, org):
    rejected(write_folder(tmp_path / "bad", bad_files()))

    assert list(Organisation.objects.all()) == [org]
    assert not Participant.objects.exists()


def test_a_missing_required_column_is_reported_on_the_header(tmp_path: Path):
    folder = write_folder(tmp_path / "bad", GOOD)
    (folder / "outcomes.csv").write_text("period_key,outcome\nPER2,ordinary_work\n")

    error = rejected(folder)

    assert [(e.file, e.line, e.column) for e in error.report.errors] == [
        ("outcomes.csv", 1, "date")
    ]


def test_a_folder_without_the_manifest_is_refused(tmp_path: Path):
    folder = write_folder(tmp_path / "bad", GOOD)
    (folder / "interchange.json").unlink()

    assert rejected(folder).report.errors[0].file == "interchange.json"
