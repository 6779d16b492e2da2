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


def _efron_per_event(layout, x, beta):
    """Efron's sums written out per event, with an events x p x p array and each risk set
    summed row by row: the fitter's first form, kept here as the reference for the cumulative
    sums and the one weighted product that replaced it."""
    x = x - layout.centre
    eta = x @ beta
    eta -= eta.max()
    w = np.exp(eta)
    k = layout.k
    at_risk = (layout.enter[None, :] <= np.arange(k)[:, None]) & (
        np.arange(k)[:, None] < layout.leave[None, :]
    )
    risk = [
        at_risk @ w,
        at_risk @ (w[:, None] * x),
        np.einsum("gi,i,ij,il->gjl", at_risk, w, x, x),
    ]
    events = layout.event_rows
    tied = [
        np.zeros(k),
        np.zeros((k, x.shape[1])),
        np.zeros((k, x.shape[1], x.shape[1])),
    ]
    for row, g in zip(events, layout.event_index, strict=True):
        tied[0][g] += w[row]
        tied[1][g] += w[row] * x[row]
        tied[2][g] += w[row] * np.outer(x[row], x[row])
    rep = np.repeat(np.arange(k), layout.ties)
    first = np.repeat(np.cumsum(layout.ties) - layout.ties, layout.ties)
    frac = (np.arange(len(rep)) - first) / layout.ties[rep]
    s0 = risk[0][rep] - frac * tied[0][rep]
    s1 = risk[1][rep] - frac[:, None] * tied[1][rep]
    s2 = risk[2][rep] - frac[:, None, None] * tied[2][rep]
    loglik = float(eta[events].sum() - np.log(s0).sum())
    mean = s1 / s0[:, None]
    gradient = x[events].sum(axis=0) - mean.sum(axis=0)
    hessian = -(s2 / s0[:, None, None] - mean[:, :, None] * mean[:, None, :]).sum(axis=0)
    return loglik, gradient, hessian


@pytest.mark.parametrize("seed", [1, 2])
def test_the_sums_over_event_times_equal_the_sums_per_event(seed, monkeypatch):
    data = _data(seed, n=600)
    columns = {
        "start": data["start"].to_numpy(float),
        "stop": data["stop"].to_numpy(float),
        "event": data["event"].to_numpy(bool),
        "x": data[["b", "c", "age"]].to_numpy(float),
    }
    x = columns["x"]
    layout = cox._layout(columns["start"], columns["stop"], columns["event"], x)
    beta = np.array([0.3, -0.2, 0.01])

    loglik, gradient, hessian = cox._efron(layout, x, beta)
    old_loglik, old_gradient, old_hessian = _efron_per_event(layout, x, beta)
    assert loglik == pytest.approx(old_loglik, rel=1e-12)
    np.testing.assert_allclose(gradient, old_gradient, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(hessian, old_hessian, rtol=1e-12, atol=1e-12)

    result = cox.fit(**columns)
    monkeypatch.setattr(cox, "_efron", _efron_per_event)
    reference = cox.fit(**columns)
    np.testing.assert_allclose(result.coefficients, reference.coefficients, rtol=1e-9)
    np.testing.assert_allclose(result.standard_errors, reference.standard_errors, rtol=1e-9)
