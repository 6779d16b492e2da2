"""Cox proportional-hazards regression with time-varying covariates (counting-process data:
one row per interval (start, stop] of constant covariates), Efron's method for ties.

lifelines' `CoxTimeVaryingFitter` fits the same model, but it walks the risk set once per
distinct event time, which is too slow for a million participants. Here the risk-set sums are
computed for all event times at once by a sweep (an interval is at risk at time t when
start < t <= stop: add it where it enters, subtract it where it leaves, cumulate), so one
Newton step costs O(n log n). The tests check the estimates against lifelines on data small
enough for it.
"""

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse, stats

Array = NDArray[np.float64]


class ConvergenceError(Exception):
    pass


@dataclass(frozen=True)
class CoxResult:
    coefficients: Array
    standard_errors: Array
    log_likelihood: float
    iterations: int

    def hazard_ratio(self, index: int, level: float = 0.95) -> tuple[float, float, float]:
        """exp(beta) with its confidence interval (Wald)."""
        z = stats.norm.ppf(0.5 + level / 2)
        beta, se = self.coefficients[index], self.standard_errors[index]
        return float(np.exp(beta)), float(np.exp(beta - z * se)), float(np.exp(beta + z * se))


CHUNK = 1 << 18  # rows at a time in the sums: temporaries of a few MB, whatever the size


@dataclass(frozen=True)
class _Layout:
    """Where each interval enters and leaves the risk sets of the sorted event times (an
    interval is at risk at t when start < t <= stop: from time index `enter` up to, not
    including, `leave`), the event rows with their time index, and the covariates' means."""

    k: int  # number of distinct event times
    enter: NDArray[np.intp]
    leave: NDArray[np.intp]
    # For each chunk of rows, a (k + 1) x rows matrix with +1 where a row enters and -1 where
    # it leaves: times its weights, cumulated over the times, it gives the risk sets' sums.
    moves: list[sparse.csr_matrix]
    event_rows: NDArray[np.intp]
    event_index: NDArray[np.intp]
    ties: NDArray[np.int64]  # number of events at each event time
    centre: Array  # the covariates' means: sums of centred covariates are better conditioned


def _chunks(n: int) -> list[slice]:
    return [slice(a, min(a + CHUNK, n)) for a in range(0, n, CHUNK)]


def _layout(start: Array, stop: Array, event: NDArray[np.bool_], x: Array) -> _Layout:
    times = np.unique(stop[event])
    k = len(times)
    event_rows = np.flatnonzero(event)
    event_index = np.searchsorted(times, stop[event_rows])
    enter = np.searchsorted(times, start, side="right")
    leave = np.searchsorted(times, stop, side="right")
    moves = []
    for rows in _chunks(len(start)):
        m = rows.stop - rows.start
        # Column j holds row j's +1 (where it enters) and -1 (where it leaves).
        indices = np.column_stack([enter[rows], leave[rows]]).ravel().astype(np.int32)
        signs = np.tile([1.0, -1.0], m)
        by_row = sparse.csc_matrix((signs, indices, np.arange(0, 2 * m + 1, 2)), shape=(k + 1, m))
        moves.append(by_row.tocsr())
    return _Layout(
        k=k,
        enter=enter,
        leave=leave,
        moves=moves,
        event_rows=event_rows,
        event_index=event_index,
        ties=np.bincount(event_index, minlength=k),
        centre=x.mean(axis=0, dtype=np.float64),
    )


def _efron(layout: _Layout, x: Array, beta: Array) -> tuple[float, Array, Array]:
    """The partial log-likelihood, its gradient and its Hessian at `beta` (Efron's ties).

    Each interval's weight (and weighted covariates) is added at the event time where it
    enters the risk set and taken off where it leaves; cumulative sums over the event times
    then give every risk set's sums at once. The second derivatives need no p x p sums per
    event time: each event time's risk-set sum enters the Hessian with a weight (the sum of
    1 / s0 over its events), so an interval's x x' counts with the sum of those weights over
    the times it is at risk, a difference of two cumulative sums. The Hessian is then one
    weighted product X' diag(u) X over the intervals."""
    p = x.shape[1]
    k = layout.k
    centre = layout.centre
    n = len(x)
    eta = np.empty(n)
    for rows in _chunks(n):  # (x may be float32: a chunk at a time in float64)
        eta[rows] = x[rows] @ beta
    eta -= eta.max()  # a common shift cancels in the partial likelihood; it avoids overflow
    w = np.exp(eta)
    # Sums over each risk set (k + 1 slots: the last collects what leaves after the last time).
    moved = np.zeros((k + 1, 1 + p))
    for rows, moves in zip(_chunks(n), layout.moves, strict=True):
        weights = np.empty((rows.stop - rows.start, 1 + p))
        weights[:, 0] = w[rows]
        np.multiply(w[rows, None], x[rows], out=weights[:, 1:])
        moved += moves @ weights
    risk = np.cumsum(moved, axis=0)[:k]
    risk[:, 1:] -= risk[:, :1] * centre  # the sums of the centred covariates
    events = layout.event_rows
    x_events = x[events] - centre
    w_events = w[events]
    tied = np.column_stack(
        [
            np.bincount(layout.event_index, weights, minlength=k)
            for weights in [w_events, *(w_events[:, None] * x_events).T]
        ]
    )
    # Efron: the l-th of d tied events at a time removes l/d of the tied events' weight, so
    # event e at time g has the sums risk[g] - frac_e * tied[g].
    rep = np.repeat(np.arange(k), layout.ties)  # the events' times, in order
    first = np.repeat(np.cumsum(layout.ties) - layout.ties, layout.ties)
    frac = (np.arange(len(rep)) - first) / layout.ties[rep]
    by_event = risk[rep] - frac[:, None] * tied[rep]
    s0 = by_event[:, 0]
    inverse = 1 / s0
    loglik = float(eta[events].sum() - np.log(s0).sum())
    mean = by_event[:, 1:] * inverse[:, None]
    gradient = x_events.sum(axis=0) - mean.sum(axis=0)
    # The sum over the events of s2_e / s0_e is a sum over the times of
    # by_time * risk2 - frac_by_time * tied2: over the intervals, each interval's w x x'
    # weighted by by_time summed over the times it is at risk, less the tied events' part.
    by_time = np.bincount(rep, weights=inverse, minlength=k)
    frac_by_time = np.bincount(rep, weights=frac * inverse, minlength=k)
    before = np.concatenate([[0.0], np.cumsum(by_time)])  # before[g]: the weights of times < g
    second = np.zeros((p, p))
    for rows in _chunks(n):
        u = w[rows] * (before[layout.leave[rows]] - before[layout.enter[rows]])
        centred = x[rows] - centre
        second += centred.T @ (u[:, None] * centred)
    tied_u = w_events * frac_by_time[layout.event_index]
    second -= x_events.T @ (tied_u[:, None] * x_events)
    hessian = -(second - mean.T @ mean)
    return loglik, gradient, hessian


def fit(
    *,
    start: Array,
    stop: Array,
    event: NDArray[np.bool_],
    x: Array,
    max_iterations: int = 50,
    tolerance: float = 1e-9,
) -> CoxResult:
    """Newton-Raphson with step halving from beta = 0."""
    if not event.any():
        raise ConvergenceError("no events")
    layout = _layout(start, stop, event, x)
    beta = np.zeros(x.shape[1])
    loglik, gradient, hessian = _efron(layout, x, beta)
    iterations = 0
    while True:
        iterations += 1
        if iterations > max_iterations:
            raise ConvergenceError("no convergence")
        try:
            step = np.linalg.solve(-hessian, gradient)
        except np.linalg.LinAlgError as error:
            raise ConvergenceError("singular information matrix") from error
        for _halving in range(30):
            candidate = beta + step
            new_loglik, new_gradient, new_hessian = _efron(layout, x, candidate)
            # (at the rounding of a sum of a million terms, not a decrease)
            if new_loglik >= loglik - 1e-12 * max(1.0, abs(loglik)):
                break
            step /= 2
        else:
            raise ConvergenceError("the likelihood does not increase")
        converged = abs(new_loglik - loglik) < tolerance * max(1.0, abs(loglik))
        beta, loglik, gradient, hessian = candidate, new_loglik, new_gradient, new_hessian
        if converged and np.abs(step).max() < 1e-6:
            break
    covariance = np.linalg.inv(-hessian)
    return CoxResult(beta, np.sqrt(np.diag(covariance)), loglik, iterations)
