"""The Cox fitter against lifelines' CoxTimeVaryingFitter: the same estimates and standard
errors on data small enough for lifelines."""

import numpy as np
import pandas as pd
import pytest
from lifelines import CoxTimeVaryingFitter

from samspill.insights import cox


def _data(seed: int, n: int = 300) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        t, end, belief, changes, age = 0, int(rng.integers(50, 400)), 0, 0, rng.normal(30, 8)
        while t < end:
            nxt = min(end, t + int(rng.integers(10, 90)))
            hazard = 0.004 * np.exp(0.3 * belief - 0.25 * changes + 0.01 * (age - 30))
            event = rng.random() < 1 - np.exp(-hazard * (nxt - t))
            # Whole days, so that several events share a time (Efron's ties matter).
            stop = t + max(1, int((nxt - t) * rng.random())) if event else nxt
            rows.append((i, t, stop, int(event), belief, changes, age))
            if event:
                break
            t, belief = nxt, int(rng.random() < 0.5)
            changes += int(rng.random() < 0.2)
    return pd.DataFrame(rows, columns=["id", "start", "stop", "event", "b", "c", "age"])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_it_matches_lifelines(seed):
    data = _data(seed)
    reference = CoxTimeVaryingFitter()
    reference.fit(data, id_col="id", event_col="event", start_col="start", stop_col="stop")
    result = cox.fit(
        start=data["start"].to_numpy(float),
        stop=data["stop"].to_numpy(float),
        event=data["event"].to_numpy(bool),
        x=data[["b", "c", "age"]].to_numpy(float),
    )
    np.testing.assert_allclose(result.coefficients, reference.params_.to_numpy(), atol=1e-6)
    np.testing.assert_allclose(
        result.standard_errors, reference.standard_errors_.to_numpy(), rtol=1e-5
    )
    ratio, low, high = result.hazard_ratio(0)
    assert low < ratio < high
    assert ratio == pytest.approx(np.exp(reference.params_["b"]))


def test_no_events_is_refused():
    with pytest.raises(cox.ConvergenceError):
        cox.fit(
            start=np.zeros(3),
            stop=np.ones(3),
            event=np.zeros(3, dtype=bool),
            x=np.ones((3, 1)),
        )
