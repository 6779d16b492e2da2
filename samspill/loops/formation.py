"""Optimal seating of candidates in jobbLOOP loops (issue 6, point 4).

Each loop has given employers. A seat is a loop and a row of its rotation square: the order in
which the candidate visits the loop's employers. Marks after the group interviews are 0 (no),
1 (maybe) or 2 (yes), both ways; interest(c, e) is the sum of the two. The value of candidate c
in order e1..ek is sum_p w_p * interest(c, e_p), w = 2 for the first and the last period and 1
between. A forbidden (candidate, employer) pair rules the candidate out of the whole loop, as
every row visits every employer. The rows chosen in a loop must not send two candidates to one
employer in the same period; rows that pass that always complete to a Latin square. Objective:
as many seated as possible, then the largest total value.

Two facts keep the model small:
- value = S + interest(first) + interest(last), with S the candidate's interest summed over the
  loop: only the first and the last employer matter. For k = 3 that is 2S - interest(middle):
  only the middle employer matters; for k = 2 the order does not matter at all.
- For k <= 3 a loop is then k slots (the middle employer, or for k = 2 the first), each for one
  candidate: any choice of distinct slots completes to a Latin square. Seating is a linear
  assignment problem of candidates to slots, solved exactly by SciPy's `linear_sum_assignment`
  in milliseconds. (CP-SAT proves the same optimum, but took 8 s for the 300 x 100 benchmark.)
- For k >= 4 CP-SAT chooses each candidate's first and last employer: distinct per period, and
  when all seats but one are taken, the free first and free last employer must differ (or the
  last row could not be made); anything else completes to a Latin square (Hall).

Solving is kept apart from explaining (see `explain.py`).
"""

import itertools
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from samspill.loops import latin

MARKS = (0, 1, 2)
END_WEIGHT = 2
# The largest interest one pair can have (both marked yes).
MAX_INTEREST = 2 * max(MARKS)
DEFAULT_TIME_LIMIT = 10.0


class InvalidInstanceError(ValueError):
    """The instance cannot be solved as given; the message says every problem found."""


class Status(StrEnum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"  # a time limit was reached: feasible, not proven optimal


class Method(StrEnum):
    AUTO = "auto"
    ASSIGNMENT = "assignment"
    CP_SAT = "cp-sat"
    GREEDY = "greedy"


@dataclass(frozen=True)
class Loop:
    key: str
    employers: tuple[str, ...]

    @property
    def size(self) -> int:
        return len(self.employers)


@dataclass(frozen=True)
class Instance:
    """Loops, candidates, marks and forbidden pairs, checked by `parse_instance`."""

    loops: tuple[Loop, ...]
    candidates: tuple[str, ...]
    # (candidate, employer) -> (employer's mark of the candidate, candidate's mark of employer)
    marks: Mapping[tuple[str, str], tuple[int, int]] = field(default_factory=dict)
    forbidden: frozenset[tuple[str, str]] = frozenset()

    def mark(self, candidate: str, employer: str) -> tuple[int, int]:
        return self.marks.get((candidate, employer), (0, 0))

    def interest(self, candidate: str, employer: str) -> int:
        return sum(self.mark(candidate, employer))

    def allowed(self, candidate: str, loop: Loop) -> bool:
        return not any((candidate, e) in self.forbidden for e in loop.employers)

    def value(self, candidate: str, order: Sequence[str]) -> int:
        last = len(order) - 1
        return sum(
            (END_WEIGHT if p in (0, last) else 1) * self.interest(candidate, e)
            for p, e in enumerate(order)
        )

    def best_value(self, candidate: str) -> int | None:
        """The most `candidate` could bring in any loop open to them (None: no loop is)."""
        best = None
        for loop in self.loops:
            if self.allowed(candidate, loop):
                ranked = sorted((self.interest(candidate, e) for e in loop.employers), reverse=True)
                # The two it likes best go first and last.
                value = sum(ranked) + ranked[0] + ranked[1]
                best = value if best is None else max(best, value)
        return best


@dataclass(frozen=True)
class Seat:
    candidate: str
    loop: str
    order: tuple[str, ...]
    value: int


@dataclass(frozen=True)
class Seating:
    seats: tuple[Seat, ...]
    waiting: tuple[str, ...]
    status: Status
    method: Method
    seconds: float = 0.0

    @property
    def seated(self) -> int:
        return len(self.seats)

    @property
    def objective(self) -> int:
        return sum(seat.value for seat in self.seats)

    def as_dict(self) -> dict[str, Any]:
        """The command line's JSON shape (issue 6)."""
        return {
            "objective": self.objective,
            "seated": self.seated,
            "seats": [
                {"candidate": s.candidate, "loop": s.loop, "order": list(s.order)}
                for s in self.seats
            ],
            "waiting": list(self.waiting),
        }


# Reading and checking an instance


def _keys(raw: Any, what: str, problems: list[str]) -> list[str]:
    if not isinstance(raw, list):
        problems.append(f"{what} must be a list")
        return []
    keys = []
    for key in raw:
        if not isinstance(key, str) or not key.strip():
            problems.append(f"{what}: {key!r} is not a non-empty string")
        else:
            keys.append(key)
    for key, count in _counts(keys).items():
        if count > 1:
            problems.append(f"{what}: {key!r} appears {count} times")
    return keys


def _counts(items: Iterable[Any]) -> dict[Any, int]:
    counts: dict[Any, int] = {}
    for item in items:
        counts[item] = counts.get(item, 0) + 1
    return counts


def _pairs(
    raw: Any, what: str, candidates: set[str], employers: set[str], problems: list[str]
) -> list[dict[str, Any]]:
    """The entries of `raw` (a list of objects) whose candidate and employer are known."""
    if not isinstance(raw, list):
        problems.append(f"{what} must be a list")
        return []
    good = []
    for n, entry in enumerate(raw):
        if not isinstance(entry, dict):
            problems.append(f"{what}[{n}] must be an object")
            continue
        c, e = entry.get("candidate"), entry.get("employer")
        if c not in candidates:
            problems.append(f"{what}[{n}]: unknown candidate {c!r}")
        elif e not in employers:
            problems.append(f"{what}[{n}]: unknown employer {e!r}")
        else:
            good.append(entry)
    for (c, e), count in _counts((g["candidate"], g["employer"]) for g in good).items():
        if count > 1:
            problems.append(f"{what}: candidate {c!r} and employer {e!r} appear {count} times")
    return good


def parse_instance(data: Any) -> Instance:
    """Check an instance in the JSON shape of issue 6 and return it; InvalidInstanceError
    listing every problem otherwise. A missing mark is 0."""
    if not isinstance(data, dict):
        raise InvalidInstanceError("the instance must be a JSON object")
    problems: list[str] = []
    unknown = sorted(set(data) - {"loops", "candidates", "interest", "forbidden"})
    if unknown:
        problems.append(f"unknown keys: {', '.join(unknown)}")
    raw_loops = data.get("loops", [])
    loops = []
    if not isinstance(raw_loops, list):
        problems.append("loops must be a list")
        raw_loops = []
    for n, raw in enumerate(raw_loops):
        if not isinstance(raw, dict):
            problems.append(f"loops[{n}] must be an object")
            continue
        key = raw.get("key")
        employers = _keys(raw.get("employers"), f"loop {key!r} employers", problems)
        if not isinstance(key, str) or not key.strip():
            problems.append(f"loops[{n}]: key {key!r} is not a non-empty string")
        elif not latin.MIN_SIZE <= len(employers) <= latin.MAX_SIZE:
            problems.append(
                f"loop {key!r} has {len(employers)} employers; "
                f"{latin.MIN_SIZE} to {latin.MAX_SIZE} are allowed"
            )
        else:
            loops.append(Loop(key=key, employers=tuple(employers)))
    for key, count in _counts(loop.key for loop in loops).items():
        if count > 1:
            problems.append(f"loops: {key!r} appears {count} times")
    candidates = _keys(data.get("candidates", []), "candidates", problems)
    known_candidates = set(candidates)
    known_employers = {e for loop in loops for e in loop.employers}
    marks = {}
    for n, entry in enumerate(
        _pairs(data.get("interest", []), "interest", known_candidates, known_employers, problems)
    ):
        pair = []
        for side in ("employer_mark", "candidate_mark"):
            mark = entry.get(side, 0)
            # bool is an int in Python; true/false are not marks.
            if isinstance(mark, bool) or mark not in MARKS:
                problems.append(f"interest[{n}]: {side} {mark!r} is not one of 0, 1, 2")
            pair.append(mark)
        marks[(entry["candidate"], entry["employer"])] = (pair[0], pair[1])
    forbidden = frozenset(
        (entry["candidate"], entry["employer"])
        for entry in _pairs(
            data.get("forbidden", []), "forbidden", known_candidates, known_employers, problems
        )
    )
    if problems:
        raise InvalidInstanceError("; ".join(problems))
    return Instance(
        loops=tuple(loops), candidates=tuple(candidates), marks=marks, forbidden=forbidden
    )


# Solving


def seat(
    instance: Instance,
    *,
    method: Method = Method.AUTO,
    time_limit: float = DEFAULT_TIME_LIMIT,
) -> Seating:
    """Seat the candidates of `instance` optimally (see the module docstring)."""
    started = time.perf_counter()
    if method == Method.AUTO:
        small = all(loop.size <= 3 for loop in instance.loops)
        method = Method.ASSIGNMENT if small else Method.CP_SAT
    if method == Method.GREEDY:
        seating = seat_greedy(instance)
    elif method == Method.ASSIGNMENT:
        seating = _seat_by_assignment(instance)
    else:
        seating = _seat_by_cp_sat(instance, time_limit)
    return Seating(
        seats=seating.seats,
        waiting=seating.waiting,
        status=seating.status,
        method=seating.method,
        seconds=time.perf_counter() - started,
    )


def _big(instance: Instance) -> int:
    """A weight per seat above any total value: the objective counts seats first."""
    seats = sum(loop.size for loop in instance.loops)
    most = MAX_INTEREST * (latin.MAX_SIZE + 2)  # a seat's value is at most this
    return most * min(seats, len(instance.candidates)) + 1


def _slot_period(loop: Loop) -> int:
    """For k <= 3, the period whose employer decides the value: the middle one for k = 3;
    for k = 2 the order does not matter and the first period stands for it."""
    return 1 if loop.size == 3 else 0


def _slot_value(instance: Instance, candidate: str, loop: Loop, position: int) -> int:
    """Value of `candidate` in `loop` with employer `position` in the slot period (k <= 3)."""
    total = sum(instance.interest(candidate, e) for e in loop.employers)
    if loop.size == 2:
        return END_WEIGHT * total
    return END_WEIGHT * total - instance.interest(candidate, loop.employers[position])


def _result(
    instance: Instance,
    fixed: Mapping[str, Mapping[str, dict[int, int]]],
    status: Status,
    method: Method,
) -> Seating:
    """Seats from, per loop and seated candidate, the employer index fixed in some periods,
    the rest of each square completed; the others go on the waiting list."""
    seats = []
    for loop in instance.loops:
        chosen = fixed.get(loop.key, {})
        # Seated rows first, by their fixed cells (a deterministic order), then empty rows.
        names = sorted(chosen, key=lambda c: sorted(chosen[c].items()))
        rows = [chosen[c] for c in names] + [{} for _ in range(loop.size - len(names))]
        periods = sorted({p for row in chosen.values() for p in row})
        columns: dict[int, tuple[int, ...]] = {}
        for p in periods:
            avoid = [{e for q, e in row.items() if q != p} for row in rows]
            column = [row.get(p) for row in rows]
            columns[p] = latin.fill_column(column, avoid)
            for row, e in zip(rows, columns[p], strict=True):
                row[p] = e
        square = latin.complete_columns(columns, loop.size)
        for candidate, cells in zip(names, square, strict=False):
            order = tuple(loop.employers[e] for e in cells)
            seats.append(Seat(candidate, loop.key, order, instance.value(candidate, order)))
    seated = {s.candidate for s in seats}
    return Seating(
        seats=tuple(seats), waiting=waiting_list(instance, seated), status=status, method=method
    )


def waiting_list(instance: Instance, seated: Iterable[str]) -> tuple[str, ...]:
    """The candidates not seated, the most promising first (by the best value a loop open to
    them could give; in input order on ties), those no loop is open to last."""
    taken = set(seated)
    rest = [c for c in instance.candidates if c not in taken]
    best = {c: instance.best_value(c) for c in rest}
    return tuple(sorted(rest, key=lambda c: (best[c] is None, -(best[c] or 0))))


def _seat_by_assignment(instance: Instance) -> Seating:
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    if any(loop.size > 3 for loop in instance.loops):
        raise ValueError("the assignment model is exact only for loops of 2 or 3 employers")
    slots = [(loop, j) for loop in instance.loops for j in range(loop.size)]
    big = _big(instance)
    # A pair that is not allowed weighs 0: matched there, the candidate is not seated.
    weights = np.zeros((len(instance.candidates), len(slots)), dtype=np.int64)
    for i, candidate in enumerate(instance.candidates):
        for s, (loop, j) in enumerate(slots):
            if instance.allowed(candidate, loop):
                weights[i, s] = big + _slot_value(instance, candidate, loop, j)
    fixed: dict[str, dict[str, dict[int, int]]] = {}
    if weights.size:
        for i, s in zip(*linear_sum_assignment(weights, maximize=True), strict=True):
            if weights[i, s]:
                loop, j = slots[s]
                fixed.setdefault(loop.key, {})[instance.candidates[i]] = {_slot_period(loop): j}
    return _result(instance, fixed, Status.OPTIMAL, Method.ASSIGNMENT)


def _seat_by_cp_sat(instance: Instance, time_limit: float) -> Seating:
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    big = _big(instance)
    hint = {(s.candidate, s.loop): s.order for s in seat_greedy(instance).seats}
    per_candidate: dict[str, list[Any]] = {c: [] for c in instance.candidates}
    objective: list[tuple[Any, int]] = []
    # (loop, candidate) -> variables the solution is read from: slot positions for k <= 3,
    # first and last positions for k >= 4.
    slot_vars: dict[tuple[str, str], list[Any]] = {}
    ends_vars: dict[tuple[str, str], tuple[list[Any], list[Any]]] = {}
    for loop in instance.loops:
        k = loop.size
        allowed = [c for c in instance.candidates if instance.allowed(c, loop)]
        if k <= 3:
            columns: list[list[Any]] = [[] for _ in range(k)]
            for c in allowed:
                xs = [model.new_bool_var(f"x[{c},{loop.key},{j}]") for j in range(k)]
                slot_vars[loop.key, c] = xs
                per_candidate[c] += xs
                order = hint.get((c, loop.key))
                for j, x in enumerate(xs):
                    columns[j].append(x)
                    objective.append((x, big + _slot_value(instance, c, loop, j)))
                    period = _slot_period(loop)
                    model.add_hint(x, order is not None and order[period] == loop.employers[j])
            for column in columns:
                model.add_at_most_one(column)
            continue
        firsts: list[list[Any]] = [[] for _ in range(k)]
        lasts: list[list[Any]] = [[] for _ in range(k)]
        seats = []
        for c in allowed:
            s = model.new_bool_var(f"s[{c},{loop.key}]")
            f = [model.new_bool_var(f"f[{c},{loop.key},{j}]") for j in range(k)]
            t = [model.new_bool_var(f"t[{c},{loop.key},{j}]") for j in range(k)]
            ends_vars[loop.key, c] = (f, t)
            model.add(sum(f) == s)
            model.add(sum(t) == s)
            seats.append(s)
            per_candidate[c].append(s)
            total = sum(instance.interest(c, e) for e in loop.employers)
            objective.append((s, big + total))
            order = hint.get((c, loop.key))
            model.add_hint(s, order is not None)
            for j, e in enumerate(loop.employers):
                model.add_at_most_one(f[j], t[j])
                firsts[j].append(f[j])
                lasts[j].append(t[j])
                objective += [(f[j], instance.interest(c, e)), (t[j], instance.interest(c, e))]
                model.add_hint(f[j], order is not None and order[0] == e)
                model.add_hint(t[j], order is not None and order[-1] == e)
        for j in range(k):
            model.add_at_most_one(firsts[j])
            model.add_at_most_one(lasts[j])
            # With k - 1 seats taken, each employer must be someone's first or last, else the
            # free row would have to start and end there; fewer seats leave room enough.
            model.add(sum(firsts[j]) + sum(lasts[j]) >= sum(seats) - k + 2)
    for own in per_candidate.values():
        model.add_at_most_one(own)
    if objective:
        variables, weights = zip(*objective, strict=True)
        model.maximize(cp_model.LinearExpr.weighted_sum(variables, weights))
    solver = cp_model.CpSolver()
    # One worker and a fixed seed: the same instance gives the same seating every time.
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.max_time_in_seconds = time_limit
    code = solver.solve(model)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        # Nothing found within the time limit: the greedy seating is still a valid one.
        greedy = seat_greedy(instance)
        return Seating(greedy.seats, greedy.waiting, Status.FEASIBLE, Method.GREEDY)
    status = Status.OPTIMAL if code == cp_model.OPTIMAL else Status.FEASIBLE
    fixed: dict[str, dict[str, dict[int, int]]] = {}
    for (loop_key, c), xs in slot_vars.items():
        for j, x in enumerate(xs):
            if solver.boolean_value(x):
                loop = next(loop for loop in instance.loops if loop.key == loop_key)
                fixed.setdefault(loop_key, {})[c] = {_slot_period(loop): j}
    for (loop_key, c), (f, t) in ends_vars.items():
        first = [j for j, x in enumerate(f) if solver.boolean_value(x)]
        last = [j for j, x in enumerate(t) if solver.boolean_value(x)]
        if first:
            fixed.setdefault(loop_key, {})[c] = {0: first[0], len(f) - 1: last[0]}
    return _result(instance, fixed, status, Method.CP_SAT)


def seat_greedy(instance: Instance) -> Seating:
    """The baseline: take the most valuable (candidate, loop, order) left that still fits,
    until no candidate or seat is left. Fast, valid, not optimal."""
    options = []
    for loop in instance.loops:
        for i, c in enumerate(instance.candidates):
            if instance.allowed(c, loop):
                for order in itertools.permutations(loop.employers):
                    options.append((-instance.value(c, order), i, loop.key, order))
    options.sort()
    rows: dict[str, list[tuple[str, ...]]] = {loop.key: [] for loop in instance.loops}
    sizes = {loop.key: loop.size for loop in instance.loops}
    seats: dict[str, Seat] = {}
    for negative_value, i, loop_key, order in options:
        candidate = instance.candidates[i]
        taken = rows[loop_key]
        if candidate in seats or len(taken) == sizes[loop_key]:
            continue
        if any(a == b for row in taken for a, b in zip(row, order, strict=True)):
            continue
        taken.append(order)
        seats[candidate] = Seat(candidate, loop_key, order, -negative_value)
    by_loop = {loop.key: n for n, loop in enumerate(instance.loops)}
    ordered = sorted(seats.values(), key=lambda s: (by_loop[s.loop], s.order))
    return Seating(
        seats=tuple(ordered),
        waiting=waiting_list(instance, seats),
        status=Status.FEASIBLE,
        method=Method.GREEDY,
    )
