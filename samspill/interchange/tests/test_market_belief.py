"""The belief check-in's second answer, belief in the labour market, goes out and comes back."""

import copy
from pathlib import Path

import pytest

from samspill.followup.models import BeliefCheckIn
from samspill.interchange.report import ImportRejected
from samspill.interchange.services import interchange_export, interchange_import
from samspill.interchange.tests.conftest import GOOD, write_folder
from samspill.interchange.tests.test_export import read
from samspill.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_market_belief_survives_export_and_import(tmp_path: Path):
    files = copy.deepcopy(GOOD)
    files["belief_checkins"] = [
        ["PER1", "S1", "2025-02-01", "4", "3", "2"],
        ["PER1", "S2", "2025-04-01", "5", "", ""],
    ]
    interchange_import(folder=write_folder(tmp_path / "in", files), by=None)
    answers = BeliefCheckIn.objects.order_by("asked_on").values_list("belief", "market_belief")
    assert list(answers) == [(4, 2), (5, None)]

    out = tmp_path / "out"
    interchange_export(folder=out, organisations=Organisation.objects.all())
    rows = read(out, "belief_checkins")
    assert [(r["belief"], r["market_belief"]) for r in rows] == [("4", "2"), ("5", "")]

    BeliefCheckIn.objects.all().delete()
    interchange_import(folder=out, by=None)
    assert list(answers.all()) == [(4, 2), (5, None)]


def test_a_folder_without_the_column_still_imports(good_folder: Path):
    interchange_import(folder=good_folder, by=None)
    assert set(BeliefCheckIn.objects.values_list("market_belief", flat=True)) == {None}


def test_a_market_belief_out_of_range_is_refused(tmp_path: Path):
    files = copy.deepcopy(GOOD)
    files["belief_checkins"] = [["PER1", "S1", "2025-02-01", "4", "3", "9"]]
    with pytest.raises(ImportRejected) as rejected:
        interchange_import(folder=write_folder(tmp_path / "in", files), by=None)
    errors = [(e.file, e.line, e.column) for e in rejected.value.report.errors]
    assert errors == [("belief_checkins.csv", 2, "market_belief")]
    assert not BeliefCheckIn.objects.exists()
