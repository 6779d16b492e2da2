"""Interchange folders for the tests: a good one with every file, written into tmp_path."""

import csv
import json
from pathlib import Path

import pytest

from samspill.interchange import format as fmt

# Every file, every kind of row: two periods with a change of counselor, two identical
# activities (two employer contacts on one day), an activity of kind "other", placements with
# and without an end, an outcome, statuses after (one recorded, one not yet), referrals with
# and without a participant. Format version 2: every outcome in the one vocabulary.
GOOD: dict[str, list[list[str]]] = {
    "organisations": [["ORG1", "Kopano Test AS", "inclusion_company"]],
    "staff": [
        ["S1", "ORG1", "Team Nord", "Kari Veileder", "kari@test.example", "counselor"],
        ["S2", "ORG1", "Team Nord", "Per Veileder", "per@test.example", "counselor"],
        ["S3", "ORG1", "", "Lise Leder", "lise@test.example", "leader"],
    ],
    "participants": [
        ["P1", "ORG1", "Ola", "Nordmann", "1990-05-17", "17059006819", "needs_guidance"],
        ["P2", "ORG1", "Kari", "Hansen", "1985-02-03", "", "partial_work"],
    ],
    "employers": [["E1", "845085153", "Bakeriet AS", "10"], ["E2", "830730753", "Lager AS", ""]],
    "followup_periods": [
        ["PER0", "P1", "2024-01-01", "2024-06-30", "moved_other"],
        ["PER1", "P1", "2025-01-06", "", ""],
        ["PER2", "P2", "2025-02-01", "2025-10-01", "ordinary_work"],
    ],
    "assignments": [
        ["PER0", "S2", "2024-01-01", "2024-06-30", "initial"],
        ["PER1", "S1", "2025-01-06", "2025-03-01", "initial"],
        ["PER1", "S2", "2025-03-01", "", "caseload_balancing"],
        ["PER2", "S1", "2025-02-01", "2025-10-01", ""],
    ],
    "belief_checkins": [
        ["PER1", "S1", "2025-02-01", "4", "3"],
        ["PER1", "S2", "2025-04-01", "5", ""],
    ],
    "activities": [
        ["PER1", "S1", "2025-01-10", "employer_contact", "E1"],
        ["PER1", "S1", "2025-01-10", "employer_contact", "E1"],
        ["PER1", "S2", "2025-03-05", "meeting", ""],
        ["PER2", "S1", "2025-03-01", "other", ""],
    ],
    "placements": [
        ["PL1", "PER1", "E1", "work_training", "2025-03-10", "2025-06-10", "ordinary_work"],
        ["PL2", "PER2", "E2", "ordinary_job", "2025-09-01", "", ""],
    ],
    "outcomes": [["PER2", "2025-10-01", "ordinary_work", "37.5", "true"]],
    "statuses": [
        ["PER2", "6", "2026-04-01", "ordinary_work", "2026-04-02", "30", "false"],
        ["PER2", "12", "2026-10-01", "", "", "", ""],
    ],
    "referrals": [
        ["R1", "ORG1", "2024-12-01", "youth_department", "needs_guidance", "P1", ""],
        ["R2", "ORG1", "2025-01-15", "self", "good_prospects", "", "not_ready"],
    ],
}


def write_folder(
    folder: Path, files: dict[str, list[list[str]]], version: int = fmt.FORMAT_VERSION
) -> Path:
    """Write an interchange folder: the manifest and each file with its header row (in
    version 1, only the columns version 1 had)."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest = {"format": fmt.FORMAT_NAME, "version": version}
    (folder / fmt.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    for spec in fmt.FILES:
        if spec.name not in files:
            continue
        with open(folder / spec.filename, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            rows = files[spec.name]
            width = max((len(row) for row in rows), default=len(spec.header))
            writer.writerow(spec.header[:width])
            writer.writerows(rows)
    return folder


@pytest.fixture
def good_folder(tmp_path: Path) -> Path:
    return write_folder(tmp_path / "good", GOOD)
