"""Optimal seating of candidates in jobbLOOP loops (issue 6, point 4).

Each loop has given employers. A seat is a loop and a row of its rotation square: the order in
which the candidate visits the loop's employers. Marks after the group interviews are 0 (no),
1 (maybe) or 2 (yes), both ways; interest(c, e) is the sum of the two. The value of candidate c
in order e1..ek is sum_p w_p * interest(c, e_p), w = 2 for the first and the last period and 1
between. A forbidden (candidate, employer) pair rules the candidate out of the whole loop, as
every row visits every employer. The rows chosen in a loop must not send two candidates to one
employer in the same period; rows that pass that always complete to a Latin square. Objective:
as many seated as possible, then the largest total value.

Three facts keep the models small:
- value = S + interest(first) + interest(last), with S the candidate's interest summed over the
  loop: only the two ends of a row matter, and not even which one is first. For k = 3 that is
  2S - interest(middle): only the middle employer matters; for k = 2 the order does not matter.
- For k <= 3 a loop is then k slots (the middle employer, or for k = 2 the first), each for one
  candidate: any choice of distinct slots completes to a Latin square. Seating is a linear
  assignment problem of candidates to slots, solved exactly by SciPy's `linear_sum_assignment`
  (15 ms for the benchmark of 300 candidates and 100 loops; CP-SAT proves the same optimum in
  8 to 22 s there).
- For k >= 4 CP-SAT picks each seated candidate's two end employers; each employer may be an
  end of two rows at most, and with k - 1 rows taken every employer must be an end of one (or
  the free row would start and end at the same employer). Such ends can always be oriented
  into firsts and lasts (`_orient`) and the rows completed to a Latin square (Hall). Picking
  ends rather than firsts and lasts halves the model and removes a symmetry: 120 candidates
  in 20 loops of 4 to 6 are proven optimal in 3 to 15 s, where firsts and lasts were not
  within 30 s.
- Faster for k >= 4 (`_seat_by_decomposition`): a loop takes any set of candidates it is open
  to, so only the ends couple them. Pricing each employer's use as an end (a Lagrangian
  relaxation) leaves an assignment problem again, whose value bounds the optimum; each loop's
  ends are then chosen exactly for who sits there. In 0.8 s the seating is proven optimal or
  within 0.1 % of the bound, which is shown; CP-SAT goes on only when it is further away.

Solving is kept apart from explaining (see `explain.py`).
"""

import itertools
import math
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from samspill.loops import latin

MARKS = (0, 1, 2)
END_WEIGHT = 2
# The largest interest one pair can have (both marked yes).
MAX_INTEREST = 2 * max(MARKS)
DEFAULT_TIME_LIMIT = 10.0
# Loops of 4 to 6: how many steps the relaxation may take before CP-SAT takes over from its
# best seating (see `_seat_by_decomposition`).
RELAXATION_STEPS = 100
# A seating this close to the bound is good enough to stop there (issue 24: within 0.5 %, the
# bound shown); further from it, CP-SAT goes on towards a proof within the time limit.
GAP_TOLERANCE = 0.005


class InvalidInstanceError(ValueError):
    """The instance cannot be solved as given; the message says every problem found."""


class Status(StrEnum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"  # a time limit was reached: feasible, not proven optimal


class Method(StrEnum):
    AUTO = "auto"
    ASSIGNMENT = "assignment"
    CP_SAT = "cp-sat"
    DECOMPOSITION = "decomposition"
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
    # The most the total value could be (None: not known); equal to the objective when optimal.
    bound: int | None = None

    @property
    def gap(self) -> float:
        """How far below the bound the objective may be, as a share of the bound."""
        if self.bound is None or not self.bound:
            return 0.0
        return max(0, self.bound - self.objective) / self.bound

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
        method = Method.ASSIGNMENT if small else Method.DECOMPOSITION
    if method == Method.GREEDY:
        seating = seat_greedy(instance)
    elif method == Method.ASSIGNMENT:
        seating = _seat_by_assignment(instance)
    elif method == Method.DECOMPOSITION:
        seating = _seat_by_decomposition(instance, time_limit)
    else:
        seating = _seat_by_cp_sat(instance, time_limit)
    return replace(seating, seconds=time.perf_counter() - started)


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


@dataclass(frozen=True)
class _Arrays:
    """Interest and forbidden pairs as candidate x employer arrays, so that the weights of
    candidate x slot are built a loop at a time rather than a pair at a time."""

    candidates: dict[str, int]
    employers: dict[str, int]
    interest: Any  # NumPy int64
    forbidden: Any  # NumPy bool

    @classmethod
    def of(cls, instance: Instance) -> "_Arrays":
        import numpy as np

        candidates = {c: i for i, c in enumerate(instance.candidates)}
        every = dict.fromkeys(e for loop in instance.loops for e in loop.employers)
        employers = {e: j for j, e in enumerate(every)}
        interest = np.zeros((len(candidates), len(employers)), dtype=np.int64)
        for (c, e), (employer_mark, candidate_mark) in instance.marks.items():
            interest[candidates[c], employers[e]] = employer_mark + candidate_mark
        forbidden = np.zeros(interest.shape, dtype=bool)
        for c, e in instance.forbidden:
            forbidden[candidates[c], employers[e]] = True
        return cls(candidates, employers, interest, forbidden)


@dataclass(frozen=True)
class _Assignment:
    """Candidates matched to loop slots. For loops of 2 or 3 a slot's value is exact; for
    loops of 4 to 6 it is relaxed: each candidate gets their two best ends, every employer's
    use as an end beyond the first priced by `penalty` instead of limited to two."""

    fixed: dict[str, dict[str, dict[int, int]]]  # loops of 2 or 3: the slot period's employer
    groups: dict[Loop, list[str]]  # loops of 4 to 6: who sits there, ends still to choose
    upper: float  # a bound on the total value of any seating with as many seated
    ends: Any  # per employer, how many relaxed ends it got (NumPy)


def _assign(instance: Instance, arrays: _Arrays, penalty: Any) -> _Assignment:
    """The relaxed assignment for employer end prices `penalty` (>= 0; 0 for loops of 2, 3).

    For any prices, a seating's value is at most its relaxed value plus two ends' price per
    employer, as no employer is an end more than twice: the largest relaxed value plus those
    prices bounds the optimum (a Lagrangian relaxation of the ends' limit).
    """
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    # Above any difference of relaxed totals, so that the most seated always win.
    big = 2 * _big(instance) + 2 * int(np.abs(penalty).sum() + 1) * len(instance.candidates)
    slots: list[tuple[Loop, int]] = []
    blocks = []
    picks: dict[Loop, Any] = {}
    for loop in instance.loops:
        columns = [arrays.employers[e] for e in loop.employers]
        block = arrays.interest[:, columns]
        allowed = ~arrays.forbidden[:, columns].any(axis=1)
        if loop.size > 3:
            priced = block - penalty[columns]
            # Each candidate's two best ends at these prices.
            pick = np.argpartition(-priced, 1, axis=1)[:, :2]
            picks[loop] = pick
            ends = np.take_along_axis(priced, pick, axis=1).sum(axis=1)
            values = [block.sum(axis=1) + ends] * loop.size
        else:
            total = END_WEIGHT * block.sum(axis=1)
            # _slot_value for every candidate at once.
            values = [total if loop.size == 2 else total - block[:, j] for j in range(loop.size)]
        for j, value in enumerate(values):
            # A pair that is not allowed weighs 0: matched there, the candidate is not seated.
            blocks.append(np.where(allowed, big + value, 0))
            slots.append((loop, j))
    fixed: dict[str, dict[str, dict[int, int]]] = {}
    groups: dict[Loop, list[str]] = {}
    upper = 2 * float(penalty.sum())
    ends_used = np.zeros(len(arrays.employers), dtype=np.int64)
    if blocks and arrays.candidates:
        weights = np.stack(blocks, axis=1)
        for i, s in zip(*linear_sum_assignment(weights, maximize=True), strict=True):
            if weights[i, s]:
                loop, j = slots[s]
                upper += float(weights[i, s]) - big
                if loop.size > 3:
                    groups.setdefault(loop, []).append(instance.candidates[i])
                    for column in picks[loop][i]:
                        ends_used[arrays.employers[loop.employers[column]]] += 1
                else:
                    fixed.setdefault(loop.key, {})[instance.candidates[i]] = {_slot_period(loop): j}
    return _Assignment(fixed, groups, upper, ends_used)


def _seat_by_assignment(instance: Instance) -> Seating:
    if any(loop.size > 3 for loop in instance.loops):
        raise ValueError("the assignment model is exact only for loops of 2 or 3 employers")
    import numpy as np

    arrays = _Arrays.of(instance)
    assignment = _assign(instance, arrays, np.zeros(len(arrays.employers)))
    seating = _result(instance, assignment.fixed, Status.OPTIMAL, Method.ASSIGNMENT)
    return replace(seating, bound=seating.objective)


def _top_two(interests: "Sequence[int]") -> int:
    first, second = sorted(interests, reverse=True)[:2]
    return first + second


def _best_ends(values: Sequence[Sequence[int]], k: int) -> tuple[int, list[tuple[int, int]]]:
    """The best two end employers (indices) for each of a loop's seated candidates.

    `values[i][j]` is candidate i's interest in employer j. Each employer is an end of two rows
    at most, and with k - 1 rows every employer is an end of one (see `_orient`). Depth first,
    the most valuable pairs first, cut by each remaining candidate's two best employers: a
    loop holds six candidates at most, and the bound is met almost at once.
    """
    n = len(values)
    pairs = [
        sorted(
            ((row[a] + row[b], a, b) for a, b in itertools.combinations(range(k), 2)),
            reverse=True,
        )
        for row in values
    ]
    # Candidates with the most to lose first.
    order = sorted(range(n), key=lambda i: -(pairs[i][0][0] - pairs[i][-1][0]))
    rest = [0] * (n + 1)
    for depth in range(n - 1, -1, -1):
        rest[depth] = rest[depth + 1] + pairs[order[depth]][0][0]
    degree = [0] * k
    chosen: list[tuple[int, int]] = [(0, 0)] * n
    best_value = -1
    best: list[tuple[int, int]] = []

    def search(depth: int, value: int) -> None:
        nonlocal best_value, best
        if value + rest[depth] <= best_value:
            return
        if depth == n:
            if n == k - 1 and 0 in degree:
                return  # the free row would start and end at the same employer
            best_value, best = value, list(chosen)
            return
        i = order[depth]
        for pair_value, a, b in pairs[i]:
            if value + pair_value + rest[depth + 1] <= best_value:
                break  # the pairs come sorted: none after this one can do better
            if degree[a] == 2 or degree[b] == 2:
                continue
            degree[a] += 1
            degree[b] += 1
            chosen[i] = (a, b)
            search(depth + 1, value + pair_value)
            degree[a] -= 1
            degree[b] -= 1

    search(0, 0)
    return best_value, best


def _seat_by_decomposition(instance: Instance, time_limit: float) -> Seating:
    """Loops of 4 to 6: a Lagrangian relaxation, each loop's ends chosen exactly, and a proof.

    Every relaxed assignment seats as many as any seating can (a loop takes any set of
    candidates it is open to, up to its size), and its value with the prices bounds the
    optimum (`_assign`). Choosing each loop's ends exactly for the candidates seated there
    (`_best_ends`) makes a seating. Subgradient steps move the prices: up where more than two
    candidates wanted an employer as their end, down where fewer did. When the best seating
    meets the lowest bound (rounded down, as values are whole) it is optimal; otherwise
    CP-SAT starts from it within what is left of the time limit, and the better seating is kept
    with the tighter bound.
    """
    import numpy as np

    started = time.perf_counter()
    arrays = _Arrays.of(instance)
    large = np.zeros(len(arrays.employers), dtype=bool)
    for loop in instance.loops:
        if loop.size > 3:
            large[[arrays.employers[e] for e in loop.employers]] = True
    penalty = np.zeros(len(arrays.employers))
    best: tuple[int, _Assignment, dict[Loop, list[tuple[int, int]]]] | None = None
    upper = float("inf")
    # A fixed number of steps, so that the same instance gives the same seating every time
    # (the time limit only guards a very slow machine); the step halved when the bound stalls,
    # as usual for subgradient methods.
    step_scale, stalled = 1.0, 0
    # The steps seat the same candidates in a loop again and again: their ends once.
    known: dict[tuple[str, tuple[str, ...]], tuple[int, list[tuple[int, int]]]] = {}
    for _iteration in range(RELAXATION_STEPS):
        assignment = _assign(instance, arrays, penalty)
        if assignment.upper < upper - 1e-9:
            upper, stalled = assignment.upper, 0
        else:
            stalled += 1
            if stalled >= 3:
                step_scale, stalled = step_scale / 2, 0
        value, ends = _value_with_best_ends(instance, arrays, assignment, known)
        if best is None or value > best[0]:
            best = (value, assignment, ends)
        if best[0] >= math.floor(upper + 1e-9) or time.perf_counter() - started > time_limit:
            break
        excess = np.where(large, assignment.ends - 2, 0)
        norm = float((excess**2).sum())
        if not norm:
            break  # no employer over its two ends: the relaxed value is this bound
        step = step_scale * (upper - best[0]) / norm
        penalty = np.clip(penalty + step * excess, 0, MAX_INTEREST)
    assert best is not None
    seating = _seating_from(instance, best[1], best[2])
    bound = math.floor(upper + 1e-9)
    if seating.objective >= bound:
        return replace(seating, status=Status.OPTIMAL, bound=seating.objective)
    seating = replace(seating, bound=bound)
    left = time_limit - (time.perf_counter() - started)
    if left > 0 and seating.gap > GAP_TOLERANCE:
        exact = _seat_by_cp_sat(instance, left, hint=seating)
        if exact.status == Status.OPTIMAL:
            return replace(exact, bound=exact.objective)
        if exact.seated >= seating.seated and exact.objective > seating.objective:
            seating = exact
        bound = min(bound, exact.bound if exact.bound is not None else bound)
    return replace(seating, status=Status.FEASIBLE, bound=bound)


def _value_with_best_ends(
    instance: Instance,
    arrays: _Arrays,
    assignment: _Assignment,
    known: dict[tuple[str, tuple[str, ...]], tuple[int, list[tuple[int, int]]]],
) -> tuple[int, dict[Loop, list[tuple[int, int]]]]:
    """The total value of a relaxed assignment once each large loop's ends are chosen
    exactly for who sits there, and those ends."""
    value = sum(
        _slot_value(instance, c, loop, row[_slot_period(loop)])
        for loop in instance.loops
        if loop.size <= 3
        for c, row in assignment.fixed.get(loop.key, {}).items()
    )
    chosen = {}
    for loop, group in assignment.groups.items():
        key = (loop.key, tuple(group))
        if key not in known:
            columns = [arrays.employers[e] for e in loop.employers]
            rows = arrays.interest[[arrays.candidates[c] for c in group]][:, columns]
            ends_value, ends = _best_ends(rows.tolist(), loop.size)
            known[key] = (int(rows.sum()) + ends_value, ends)
        loop_value, chosen[loop] = known[key]
        value += loop_value
    return value, chosen


def _seating_from(
    instance: Instance, assignment: _Assignment, ends: Mapping[Loop, list[tuple[int, int]]]
) -> Seating:
    """The seating of a relaxed assignment with each large loop's ends chosen."""
    fixed = dict(assignment.fixed)
    for loop, group in assignment.groups.items():
        fixed[loop.key] = _orient(loop, dict(zip(group, ends[loop], strict=True)))
    return _result(instance, fixed, Status.FEASIBLE, Method.DECOMPOSITION)


def _seat_by_cp_sat(
    instance: Instance, time_limit: float, *, hint: Seating | None = None
) -> Seating:
    """CP-SAT over the whole instance, started from `hint` (by default the greedy seating)."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    big = _big(instance)
    start = hint if hint is not None else seat_greedy(instance)
    hints = {(s.candidate, s.loop): s.order for s in start.seats}
    per_candidate: dict[str, list[Any]] = {c: [] for c in instance.candidates}
    objective: list[tuple[Any, int]] = []
    # (loop, candidate) -> the variables the seating is read from: one per slot for k <= 3,
    # one per employer that could be one of the candidate's two ends for k >= 4.
    slot_vars: dict[tuple[Loop, str], list[Any]] = {}
    ends_vars: dict[tuple[Loop, str], list[Any]] = {}
    for loop in instance.loops:
        k = loop.size
        allowed = [c for c in instance.candidates if instance.allowed(c, loop)]
        if k <= 3:
            columns: list[list[Any]] = [[] for _ in range(k)]
            for c in allowed:
                xs = [model.new_bool_var(f"x[{c},{loop.key},{j}]") for j in range(k)]
                slot_vars[loop, c] = xs
                per_candidate[c] += xs
                order = hints.get((c, loop.key))
                for j, x in enumerate(xs):
                    columns[j].append(x)
                    objective.append((x, big + _slot_value(instance, c, loop, j)))
                    period = _slot_period(loop)
                    model.add_hint(x, order is not None and order[period] == loop.employers[j])
            for column in columns:
                model.add_at_most_one(column)
            continue
        # Which end is first and which last does not change the value, and can always be
        # chosen afterwards (`_orient`): the model only picks the two ends, each employer an
        # end of at most two rows.
        degrees: list[list[Any]] = [[] for _ in range(k)]
        seats = []
        for c in allowed:
            s = model.new_bool_var(f"s[{c},{loop.key}]")
            us = [model.new_bool_var(f"u[{c},{loop.key},{j}]") for j in range(k)]
            ends_vars[loop, c] = us
            model.add(sum(us) == 2 * s)
            seats.append(s)
            per_candidate[c].append(s)
            total = sum(instance.interest(c, e) for e in loop.employers)
            objective.append((s, big + total))
            order = hints.get((c, loop.key))
            model.add_hint(s, order is not None)
            for j, (u, e) in enumerate(zip(us, loop.employers, strict=True)):
                model.add_implication(u, s)
                degrees[j].append(u)
                objective.append((u, instance.interest(c, e)))
                model.add_hint(u, order is not None and e in (order[0], order[-1]))
        for degree in degrees:
            model.add(sum(degree) <= 2)
            # With k - 1 rows taken, an employer at no one's end would have to start and end
            # the free row; with fewer rows there is room enough.
            model.add(sum(degree) >= sum(seats) - k + 2)
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
        return replace(start, status=Status.FEASIBLE)
    status = Status.OPTIMAL if code == cp_model.OPTIMAL else Status.FEASIBLE
    fixed: dict[str, dict[str, dict[int, int]]] = {}
    for (loop, c), xs in slot_vars.items():
        for j, x in enumerate(xs):
            if solver.boolean_value(x):
                fixed.setdefault(loop.key, {})[c] = {_slot_period(loop): j}
    ends: dict[Loop, dict[str, tuple[int, int]]] = {}
    for (loop, c), us in ends_vars.items():
        chosen = [j for j, u in enumerate(us) if solver.boolean_value(u)]
        if chosen:
            ends.setdefault(loop, {})[c] = (chosen[0], chosen[1])
    for loop, pairs in ends.items():
        fixed[loop.key] = _orient(loop, pairs)
    seating = _result(instance, fixed, status, Method.CP_SAT)
    # The solver's bound counts seats too; the value bound is what is above the seats found.
    bound = int(solver.best_objective_bound) - big * seating.seated
    return replace(seating, bound=seating.objective if status == Status.OPTIMAL else bound)


def _orient(loop: Loop, ends: Mapping[str, tuple[int, int]]) -> dict[str, dict[int, int]]:
    """Who starts and who ends where, from each candidate's two end employers (indices).

    Employers are vertices and candidates edges; no employer is an end more than twice, so
    the edges make paths and cycles. Walking each one and giving every edge the direction of
    the walk makes each employer the first of one row at most and the last of one at most;
    with k - 1 rows, the free first (where the path ends) differs from the free last (where it
    starts).
    """
    edges = dict(ends)
    touching: dict[int, list[str]] = {}
    for c, (a, b) in edges.items():
        touching.setdefault(a, []).append(c)
        touching.setdefault(b, []).append(c)
    last = loop.size - 1
    oriented: dict[str, dict[int, int]] = {}
    # Paths from one of their ends first, then what is left: cycles.
    starts = sorted(touching, key=lambda e: (len(touching[e]) != 1, e))
    for start in starts:
        here = start
        while True:
            free = [c for c in touching[here] if c not in oriented]
            if not free:
                break
            c = free[0]
            a, b = edges[c]
            there = b if a == here else a
            oriented[c] = {0: here, last: there}
            here = there
    return oriented


def seat_greedy(instance: Instance) -> Seating:
    """The baseline: take the most valuable (candidate, loop, two end employers) left that
    still fits, until no candidate or seat is left. Fast, valid, not optimal."""
    options = []
    for loop in instance.loops:
        for i, c in enumerate(instance.candidates):
            if not instance.allowed(c, loop):
                continue
            total = sum(instance.interest(c, e) for e in loop.employers)
            for a, b in itertools.combinations(range(loop.size), 2):
                value = total + sum(instance.interest(c, loop.employers[j]) for j in (a, b))
                options.append((-value, i, loop, a, b))
    options.sort(key=lambda o: o[:2])
    ends: dict[Loop, dict[str, tuple[int, int]]] = {loop: {} for loop in instance.loops}
    degrees = {loop: [0] * loop.size for loop in instance.loops}
    seated = set()
    for _value, i, loop, a, b in options:
        candidate = instance.candidates[i]
        degree = degrees[loop]
        if candidate in seated or degree[a] == 2 or degree[b] == 2:
            continue
        after = [d + (j in (a, b)) for j, d in enumerate(degree)]
        if len(ends[loop]) + 1 == loop.size - 1 and 0 in after:
            continue  # the free row would start and end at the same employer
        degrees[loop] = after
        ends[loop][candidate] = (a, b)
        seated.add(candidate)
    fixed = {loop.key: _orient(loop, pairs) for loop, pairs in ends.items()}
    return _result(instance, fixed, Status.FEASIBLE, Method.GREEDY)
