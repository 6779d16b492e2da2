"""The effects analysis on a synthetic cohort with known hazard ratios, imported through the
interchange format: the estimates fall within their intervals of the truth, and leaving out
the need group (on which belief depends) would have overstated belief's effect."""

import datetime
import json

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from samspill.core.testing import make_participant
from samspill.insights import effects, synthetic
from samspill.organisations.models import Organisation

TODAY = datetime.date(2026, 11, 23)
TRUTH = synthetic.Truth(hazard_ratio_belief=1.33, hazard_ratio_change=0.78)


@pytest.fixture
def cohort(db, tmp_path) -> Organisation:
    folder = synthetic.write_interchange(
        synthetic.simulate(6000, seed=3, today=TODAY, truth=TRUTH), tmp_path / "cohort"
    )
    call_command("import", str(folder), verbosity=0)
    return Organisation.objects.get(external_key="SYN")


def test_the_estimates_cover_the_truth(cohort):
    result = effects.estimate(cohort.pk, today=TODAY)
    belief, change = result["belief"], result["counselor_change"]
    assert belief["ci_low"] <= TRUTH.hazard_ratio_belief <= belief["ci_high"]
    assert change["ci_low"] <= TRUTH.hazard_ratio_change <= change["ci_high"]
    assert result["n_participants"] == 6000
    assert 2000 < result["n_events"] < 5000
    # Belief depends on the need group: without the adjustment it looks far stronger.
    naive = effects.estimate(cohort.pk, today=TODAY, adjust=False)
    assert naive["belief"]["ci_low"] > belief["ci_high"]
    lines = effects.reading(result)
    assert any("95" in line for line in lines)


def test_the_command_prints_the_documented_json(cohort, capsys, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 23, 12, tzinfo=datetime.UTC))
    call_command("insights", "effects", "--org", "SYN", "--format", "json")
    printed = json.loads(capsys.readouterr().out)
    assert set(printed) == {"belief", "counselor_change", "n_participants", "n_events"}
    assert set(printed["belief"]) == {"hazard_ratio", "ci_low", "ci_high"}
    assert printed["n_participants"] == 6000


def test_too_few_events_are_refused_with_a_reason(org, counselor):
    for index in range(5):
        make_participant(
            org, counselor, given_name=f"P{index}", birth_date=datetime.date(2000, 1, 1)
        )
    with translation.override("en"), pytest.raises(effects.TooFewData) as refusal:
        effects.estimate(org.pk)
    assert "5 participants" in str(refusal.value)
    assert "At least 100 participants and 50 such outcomes are needed" in str(refusal.value)
    with pytest.raises(CommandError):
        call_command("insights", "effects", "--org", "NOSUCH", "--format", "json")


def test_the_reading_rounds_as_the_table_does():
    # 2.736 is 2,74 in the table (floatformat rounds): the sentence beside it says the same.
    from samspill.insights.effects import _number

    assert _number(2.736).replace(",", ".") == "2.74"
    assert _number(1.554).replace(",", ".") == "1.55"


def test_the_database_reads_as_the_cohort_was_written(cohort):
    # The reading (packed integers on PostgreSQL, rows through the cursor on SQLite) gives
    # the intervals the cohort's own frames give, row for row (rows come in the order of the
    # period ids, which the import need not give in the cohort's order: compared sorted).
    read = effects.build_intervals(cohort.pk, TODAY)
    written = effects.lay_out(
        *synthetic.frames(synthetic.simulate(6000, seed=3, today=TODAY, truth=TRUTH)),
        (TODAY - datetime.date(1970, 1, 1)).days,
    )
    assert read.columns == written.columns
    assert (read.n_participants, read.n_periods, read.n_events) == (
        written.n_participants,
        written.n_periods,
        written.n_events,
    )

    def rows(intervals):
        table = np.column_stack([intervals.start, intervals.stop, intervals.event, intervals.x])
        return table[np.lexsort(table.T[::-1])]

    assert (rows(read) == rows(written)).all()


def test_the_layout_orders_same_day_check_ins_as_they_were_made():
    today = 200
    periods = {
        "period": [7, 3],
        "participant": [1, 2],
        "start": [100, 100],
        "end": [effects.NO_DAY, 150],
        "birth": [100 - 10958, 100 - 10958],  # 30 years at the start
        "need": ["needs_guidance", "needs_guidance"],
    }
    # Two check-ins of period 7 on day 110: the later one (seq 5) believes; listed first.
    checkins = {"period": [7, 7], "on": [110, 110], "belief": [5, 2], "seq": [5, 3]}
    changes = {"period": [7], "on": [120], "seq": [9]}
    first = {"period": [3], "first": [130]}
    intervals = effects.lay_out(periods, first, checkins, changes, today)
    assert intervals.columns == ["belief", "counselor_change", "age"]
    # Period 3 (first by id) ends with its outcome on day 130; period 7 is open until today.
    assert intervals.start.tolist() == [0, 0, 10.5, 20.5]
    assert intervals.stop.tolist() == [31, 10.5, 20.5, 101]
    assert intervals.event.tolist() == [True, False, False, False]
    assert intervals.x[:, :2].tolist() == [[0, 0], [0, 0], [1, 0], [1, 1]]
    assert intervals.x[:, 2] == pytest.approx(30.0, abs=0.01)
    assert (intervals.n_participants, intervals.n_periods, intervals.n_events) == (2, 2, 1)


def test_the_packed_sort_of_points_is_the_four_key_sort():
    rng = np.random.default_rng(5)
    n = 5000
    at = rng.integers(0, 40, n)
    t = rng.integers(0, 30, n) + 0.5
    kind = rng.random(n) < 0.3
    seq = rng.permutation(n)
    order = effects._point_order(at, t, kind, seq, 40)
    assert (order == np.lexsort((seq, kind, t, at))).all()
