"""Seating candidates in loops: optimal against brute force, valid squares, forbidden pairs,
ties, empty and invalid instances."""

import itertools
import random
from typing import Any

import pytest

from samspill.loops import latin
from samspill.loops.formation import (
    GAP_TOLERANCE,
    MAX_INTEREST,
    Instance,
    InvalidInstanceError,
    Method,
    Seating,
    Status,
    _best_ends,
    parse_instance,
    seat,
    seat_greedy,
)


def random_instance(rng: random.Random, *, sizes: list[int], candidates: int) -> dict[str, Any]:
    loops = []
    n = 0
    for key, k in enumerate(sizes):
        loops.append({"key": f"L{key + 1}", "employers": [f"E{n + j + 1}" for j in range(k)]})
        n += k
    people = [f"C{i + 1}" for i in range(candidates)]
    employers = [e for loop in loops for e in loop["employers"]]
    interest = [
        {
            "candidate": c,
            "employer": e,
            "employer_mark": rng.randint(0, 2),
            "candidate_mark": rng.randint(0, 2),
        }
        for c in people
        for e in employers
        if rng.random() < 0.8  # some marks missing: 0
    ]
    forbidden = [
        {"candidate": c, "employer": e} for c in people for e in employers if rng.random() < 0.1
    ]
    return {"loops": loops, "candidates": people, "interest": interest, "forbidden": forbidden}


def brute_force(instance: Instance) -> tuple[int, int]:
    """(seated, total value) of the best seating, trying every row for every candidate."""
    options: list[list[tuple[str, tuple[str, ...]] | None]] = []
    for c in instance.candidates:
        mine: list[tuple[str, tuple[str, ...]] | None] = [None]
        for loop in instance.loops:
            if instance.allowed(c, loop):
                mine += [(loop.key, order) for order in itertools.permutations(loop.employers)]
        options.append(mine)
    best = (0, 0)
    for choice in itertools.product(*options):
        rows: dict[str, list[tuple[str, ...]]] = {}
        for option in choice:
            if option is not None:
                rows.setdefault(option[0], []).append(option[1])
        if any(
            a == b
            for taken in rows.values()
            for one, other in itertools.combinations(taken, 2)
            for a, b in zip(one, other, strict=True)
        ):
            continue
        value = sum(
            instance.value(c, option[1])
            for c, option in zip(instance.candidates, choice, strict=True)
            if option is not None
        )
        best = max(best, (sum(option is not None for option in choice), value))
    return best


def assert_valid(instance: Instance, seating: Seating) -> None:
    """Every seat allowed and valued right, each loop's rows complete to a Latin square,
    every candidate seated once or waiting."""
    seated = [s.candidate for s in seating.seats]
    assert len(seated) == len(set(seated))
    assert sorted(seated + list(seating.waiting)) == sorted(instance.candidates)
    loops = {loop.key: loop for loop in instance.loops}
    for key, loop in loops.items():
        mine = [s for s in seating.seats if s.loop == key]
        assert len(mine) <= loop.size
        rows: list[tuple[int, ...] | None] = [
            tuple(loop.employers.index(e) for e in s.order) for s in mine
        ]
        rows += [None] * (loop.size - len(mine))
        assert latin.is_latin(latin.complete(rows))
        for s in mine:
            assert sorted(s.order) == sorted(loop.employers)
            assert instance.allowed(s.candidate, loop)
            assert s.value == instance.value(s.candidate, s.order)
    assert seating.objective == sum(s.value for s in seating.seats)


SMALL = [[3], [3, 3], [2, 3], [2], [4], [3, 4], [2, 2]]


@pytest.mark.parametrize("seed", range(60))
def test_the_seating_is_optimal_against_brute_force(seed):
    rng = random.Random(seed)
    sizes = SMALL[seed % len(SMALL)]
    # Few candidates for loops of 4 (24 rows each): brute force must stay quick.
    most = 3 if max(sizes) == 4 else 4
    instance = parse_instance(random_instance(rng, sizes=sizes, candidates=rng.randint(1, most)))
    expected = brute_force(instance)
    for method in (Method.AUTO, Method.CP_SAT, Method.DECOMPOSITION):
        seating = seat(instance, method=method)
        assert_valid(instance, seating)
        assert seating.status == Status.OPTIMAL
        assert (seating.seated, seating.objective) == expected, method
    greedy = seat_greedy(instance)
    assert_valid(instance, greedy)
    assert (greedy.seated, greedy.objective) <= expected


def test_loops_of_three_use_the_assignment_and_larger_ones_the_decomposition():
    rng = random.Random(1)
    three = parse_instance(random_instance(rng, sizes=[3, 3], candidates=5))
    assert seat(three).method == Method.ASSIGNMENT
    mixed = parse_instance(random_instance(rng, sizes=[3, 5], candidates=5))
    # Proven by the relaxation itself, or by CP-SAT started from its seating.
    assert seat(mixed).method in (Method.DECOMPOSITION, Method.CP_SAT)
    with pytest.raises(ValueError, match="exact only"):
        seat(mixed, method=Method.ASSIGNMENT)


@pytest.mark.parametrize("seed", range(6))
def test_assignment_and_cp_sat_agree_on_larger_instances(seed):
    rng = random.Random(100 + seed)
    sizes = [rng.choice([2, 3]) for _ in range(6)]
    instance = parse_instance(random_instance(rng, sizes=sizes, candidates=rng.randint(5, 25)))
    by_assignment = seat(instance, method=Method.ASSIGNMENT)
    by_cp_sat = seat(instance, method=Method.CP_SAT)
    assert_valid(instance, by_assignment)
    assert_valid(instance, by_cp_sat)
    assert (by_assignment.seated, by_assignment.objective) == (
        by_cp_sat.seated,
        by_cp_sat.objective,
    )


@pytest.mark.parametrize("seed", range(8))
def test_the_decomposition_agrees_with_cp_sat_on_mixed_instances(seed):
    """Loops of 2 to 6 and more candidates than seats: the relaxation's seating is valid,
    seats as many as CP-SAT's optimum, never claims more than its bound, and where it says
    optimal it is."""
    rng = random.Random(300 + seed)
    sizes = [rng.choice([2, 3, 4, 5, 6]) for _ in range(5)]
    instance = parse_instance(random_instance(rng, sizes=sizes, candidates=sum(sizes) + 4))
    optimum = seat(instance, method=Method.CP_SAT, time_limit=60)
    assert optimum.status == Status.OPTIMAL
    relaxed = seat(instance, method=Method.DECOMPOSITION, time_limit=0.5)
    assert_valid(instance, relaxed)
    assert relaxed.seated == optimum.seated
    assert relaxed.bound is not None
    assert relaxed.objective <= optimum.objective <= relaxed.bound
    if relaxed.status == Status.OPTIMAL:
        assert relaxed.objective == optimum.objective
    else:
        assert relaxed.gap == (relaxed.bound - relaxed.objective) / relaxed.bound


def _brute_best_ends(values: list[list[int]], k: int) -> int:
    """The best total over every choice of a pair of seats per row, as itertools.product would
    list them, except that a branch stops as soon as a seat is used more than twice (no choice
    below it is valid): the same maximum, without walking 15**6 products one by one."""
    n = len(values)
    pairs = list(itertools.combinations(range(k), 2))
    degree = [0] * k

    def best(i: int, total: int) -> int:
        if i == n:
            return -1 if n == k - 1 and 0 in degree else total
        found = -1
        for a, b in pairs:
            if degree[a] == 2 or degree[b] == 2:
                continue
            degree[a] += 1
            degree[b] += 1
            found = max(found, best(i + 1, total + values[i][a] + values[i][b]))
            degree[a] -= 1
            degree[b] -= 1
        return found

    return best(0, 0)


def test_the_best_ends_of_a_loop_against_brute_force():
    rng = random.Random(7)
    for _ in range(200):
        k = rng.randint(4, 6)
        n = rng.randint(1, k)
        values = [[rng.randint(0, MAX_INTEREST) for _ in range(k)] for _ in range(n)]
        expected = _brute_best_ends(values, k)
        value, ends = _best_ends(values, k)
        assert value == expected
        assert value == sum(values[i][a] + values[i][b] for i, (a, b) in enumerate(ends))


def test_a_large_instance_is_seated_within_the_tolerance_and_the_same_every_time():
    """120 candidates in 20 loops of 5 (bench.loops' shape): proven optimal or within half a
    per cent of the bound shown, and deterministic."""
    rng = random.Random(5)
    instance = parse_instance(random_instance(rng, sizes=[5] * 20, candidates=120))
    first = seat(instance)
    assert first.method in (Method.DECOMPOSITION, Method.CP_SAT)
    assert_valid(instance, first)
    assert first.bound is not None and first.objective <= first.bound
    assert first.status == Status.OPTIMAL or first.gap <= GAP_TOLERANCE
    assert seat(instance).as_dict() == first.as_dict()


@pytest.mark.parametrize("k", [4, 5, 6])
def test_large_loops_are_filled_as_latin_squares(k):
    rng = random.Random(k)
    instance = parse_instance(random_instance(rng, sizes=[k, k], candidates=2 * k + 2))
    seating = seat(instance)
    assert_valid(instance, seating)
    assert seating.status == Status.OPTIMAL


def test_a_forbidden_pair_keeps_the_candidate_out_of_that_loop():
    instance = parse_instance(
        {
            "loops": [
                {"key": "L1", "employers": ["E1", "E2"]},
                {"key": "L2", "employers": ["E3", "E4"]},
            ],
            "candidates": ["C1", "C2"],
            "interest": [
                {"candidate": "C1", "employer": "E1", "employer_mark": 2, "candidate_mark": 2}
            ],
            "forbidden": [
                {"candidate": "C1", "employer": "E2"},
                {"candidate": "C2", "employer": "E4"},
            ],
        }
    )
    seating = seat(instance)
    assert {(s.candidate, s.loop) for s in seating.seats} == {("C1", "L2"), ("C2", "L1")}


def test_a_candidate_forbidden_everywhere_waits_last():
    instance = parse_instance(
        {
            "loops": [{"key": "L1", "employers": ["E1", "E2"]}],
            "candidates": ["C1", "C2", "C3", "C4"],
            "interest": [{"candidate": "C3", "employer": "E1", "employer_mark": 1}],
            "forbidden": [{"candidate": "C1", "employer": "E1"}],
        }
    )
    seating = seat(instance)
    assert seating.seated == 2
    assert "C3" not in seating.waiting
    assert seating.waiting[-1] == "C1"


def test_more_candidates_than_seats_fill_every_seat_with_the_best():
    rng = random.Random(7)
    data = random_instance(rng, sizes=[3, 3], candidates=12)
    data["forbidden"] = []
    seating = seat(parse_instance(data))
    assert seating.seated == 6 and len(seating.waiting) == 6


def test_the_most_valued_candidates_are_seated_and_the_waiting_list_is_by_best_value():
    data = {
        "loops": [{"key": "L1", "employers": ["E1", "E2", "E3"]}],
        "candidates": ["C1", "C2", "C3", "C4", "C5"],
        "interest": [
            {"candidate": c, "employer": e, "employer_mark": mark, "candidate_mark": mark}
            for c, mark in [("C1", 0), ("C2", 2), ("C3", 1), ("C4", 2), ("C5", 2)]
            for e in ["E1", "E2", "E3"]
        ],
    }
    seating = seat(parse_instance(data))
    assert sorted(s.candidate for s in seating.seats) == ["C2", "C4", "C5"]
    assert seating.waiting == ("C3", "C1")
    assert seating.objective == 3 * 5 * 4


def test_ties_give_the_same_seating_every_time():
    data = {
        "loops": [
            {"key": "L1", "employers": ["E1", "E2", "E3"]},
            {"key": "L2", "employers": ["E4", "E5", "E6"]},
        ],
        "candidates": [f"C{i}" for i in range(9)],
    }
    instance = parse_instance(data)
    for method in (Method.AUTO, Method.CP_SAT):
        first = seat(instance, method=method)
        assert first.seated == 6 and first.objective == 0
        assert all(seat(instance, method=method).as_dict() == first.as_dict() for _ in range(3))
    assert seat(instance).waiting == ("C6", "C7", "C8")


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"loops": [], "candidates": ["C1"]},
        {"loops": [{"key": "L1", "employers": ["E1", "E2"]}], "candidates": []},
    ],
)
def test_empty_instances_seat_no_one(data):
    instance = parse_instance(data)
    for method in Method:
        seating = seat(instance, method=method)
        assert seating.seated == 0 and seating.objective == 0
        assert seating.waiting == instance.candidates


def test_the_output_has_the_shape_of_the_issue():
    data = {
        "loops": [{"key": "L1", "employers": ["E1", "E2", "E3"]}],
        "candidates": ["C1"],
        "interest": [
            {"candidate": "C1", "employer": "E2", "employer_mark": 2, "candidate_mark": 2}
        ],
    }
    result = seat(parse_instance(data)).as_dict()
    assert list(result) == ["objective", "seated", "seats", "waiting"]
    assert result["objective"] == 8 and result["seated"] == 1 and result["waiting"] == []
    [only] = result["seats"]
    assert only["candidate"] == "C1" and only["loop"] == "L1"
    assert only["order"][0] == "E2" or only["order"][-1] == "E2"


def test_a_time_limit_too_short_says_feasible_not_optimal():
    rng = random.Random(3)
    instance = parse_instance(random_instance(rng, sizes=[5, 5, 5, 5], candidates=40))
    seating = seat(instance, method=Method.CP_SAT, time_limit=0.001)
    assert seating.status == Status.FEASIBLE
    assert_valid(instance, seating)


LOOP = {"key": "L1", "employers": ["E1", "E2"]}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "must be a JSON object"),
        ({"loops": [LOOP], "extra": 1}, "unknown keys: extra"),
        ({"loops": "L1"}, "loops must be a list"),
        ({"loops": [LOOP, LOOP]}, "'L1' appears 2 times"),
        ({"loops": [{"key": "L1", "employers": ["E1"]}]}, "2 to 6 are allowed"),
        ({"loops": [{"key": "L1", "employers": ["E1", "E1"]}]}, "'E1' appears 2 times"),
        ({"loops": [{"key": "", "employers": ["E1", "E2"]}]}, "not a non-empty string"),
        ({"loops": [LOOP], "candidates": ["C1", "C1"]}, "candidates: 'C1' appears 2 times"),
        ({"loops": [LOOP], "candidates": [1]}, "candidates: 1 is not a non-empty string"),
        (
            {
                "loops": [LOOP],
                "candidates": ["C1"],
                "interest": [{"candidate": "C9", "employer": "E1"}],
            },
            "unknown candidate 'C9'",
        ),
        (
            {
                "loops": [LOOP],
                "candidates": ["C1"],
                "forbidden": [{"candidate": "C1", "employer": "E9"}],
            },
            "unknown employer 'E9'",
        ),
        (
            {
                "loops": [LOOP],
                "candidates": ["C1"],
                "interest": [{"candidate": "C1", "employer": "E1", "employer_mark": 3}],
            },
            "employer_mark 3 is not one of 0, 1, 2",
        ),
        (
            {
                "loops": [LOOP],
                "candidates": ["C1"],
                "interest": [{"candidate": "C1", "employer": "E1", "candidate_mark": True}],
            },
            "candidate_mark True is not one of",
        ),
        (
            {
                "loops": [LOOP],
                "candidates": ["C1"],
                "interest": [
                    {"candidate": "C1", "employer": "E1"},
                    {"candidate": "C1", "employer": "E1"},
                ],
            },
            "candidate 'C1' and employer 'E1' appear 2 times",
        ),
    ],
)
def test_invalid_instances_are_refused_with_a_clear_message(data, message):
    with pytest.raises(InvalidInstanceError, match=message):
        parse_instance(data)


def test_three_seats_of_four_leave_a_row_that_can_still_be_made():
    """C1 wants E1 and E2 at the ends, C2 E2 and E3, C3 E3 and E1: all three getting that
    would leave the fourth row to start and end at E4. One of them must give way."""
    likes = {"C1": ["E1", "E2"], "C2": ["E2", "E3"], "C3": ["E3", "E1"]}
    data = {
        "loops": [{"key": "L1", "employers": ["E1", "E2", "E3", "E4"]}],
        "candidates": list(likes),
        "interest": [
            {"candidate": c, "employer": e, "employer_mark": 2, "candidate_mark": 2}
            for c, employers in likes.items()
            for e in employers
        ],
    }
    instance = parse_instance(data)
    seating = seat(instance)
    assert_valid(instance, seating)
    assert (seating.seated, seating.objective) == brute_force(instance) == (3, 3 * 16 - 4)


def test_an_employer_may_take_part_in_two_loops():
    data = {
        "loops": [
            {"key": "L1", "employers": ["Big", "E2", "E3"]},
            {"key": "L2", "employers": ["Big", "E5", "E6", "E7"]},
        ],
        "candidates": [f"C{i}" for i in range(8)],
        "interest": [
            {"candidate": "C0", "employer": "Big", "employer_mark": 2, "candidate_mark": 2},
        ],
        "forbidden": [{"candidate": "C7", "employer": "E7"}],
    }
    instance = parse_instance(data)
    seating = seat(instance)
    assert_valid(instance, seating)
    assert seating.seated == 7 and len(seating.waiting) == 1
    assert seating.objective == 8
