"""`samspill loops seat INSTANCE.json`: the issue's JSON shape, a text report, clear errors."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

INSTANCE = {
    "loops": [{"key": "L1", "employers": ["E1", "E2", "E3"]}],
    "candidates": ["C1", "C2", "C3", "C4"],
    "interest": [
        {"candidate": "C1", "employer": "E1", "employer_mark": 2, "candidate_mark": 2},
        {"candidate": "C2", "employer": "E2", "employer_mark": 1, "candidate_mark": 2},
    ],
    "forbidden": [{"candidate": "C3", "employer": "E2"}],
}


@pytest.fixture
def instance_file(tmp_path: Path) -> Path:
    path = tmp_path / "instance.json"
    path.write_text(json.dumps(INSTANCE))
    return path


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("loops", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_it_prints_the_seating_as_json(instance_file):
    result = json.loads(run("seat", str(instance_file), "--format", "json"))
    assert list(result) == ["objective", "seated", "seats", "waiting"]
    assert result["seated"] == 3 and result["waiting"] == ["C3"]
    # C1: 4 (E1) counted once more at an end = 8; C2: 3 + 3 = 6; C4 marked nothing.
    assert result["objective"] == 8 + 6
    assert {s["candidate"] for s in result["seats"]} == {"C1", "C2", "C4"}
    assert all(
        sorted(s["order"]) == ["E1", "E2", "E3"] and s["loop"] == "L1" for s in result["seats"]
    )


def test_it_prints_a_report_for_people(instance_file):
    text = run("seat", str(instance_file), "--format", "text")
    assert text.startswith("Seated 3 of 4 candidates, total value 14 (optimal;")
    assert "C1 starts at E1: both marked yes." in text or "C1 ends at E1: both marked yes." in text
    assert "C3 waits: every loop has an employer C3 cannot go to." in text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not valid JSON"),
        ('{"loops": [], "candidates": ["C1", "C1"]}', "invalid instance .*'C1' appears 2 times"),
    ],
)
def test_bad_input_is_a_command_error(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(CommandError, match=message):
        run("seat", str(path))


def test_a_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        run("seat", str(tmp_path / "missing.json"))


def test_it_runs_from_the_samspill_command(instance_file, tmp_path):
    samspill = Path(sys.executable).parent / "samspill"
    done = subprocess.run(
        [samspill, "loops", "seat", instance_file, "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(done.stdout)["seated"] == 3
    bad = tmp_path / "bad.json"
    bad.write_text('{"loops": "L1"}')
    failed = subprocess.run(
        [samspill, "loops", "seat", bad], capture_output=True, text=True, check=False
    )
    assert failed.returncode != 0 and failed.stdout == ""
    assert "loops must be a list" in failed.stderr
