"""Measure the jobbLOOP seating on a seeded instance of 300 candidates and 100 loops of 3.

    .venv/bin/python -m bench.loops [--seed 1] [--runs 5] [--cp-sat] [--write instance.json]
    .venv/bin/python -m bench.loops --candidates 100 --loops 20 --employers 5

The instance is made like a region's kick-off season: loops are grouped ten to a district;
each candidate goes to the group interviews of their own district (and one in five to a
neighbouring one too) and is marked by, and marks, the employers met there; marks follow how
ready the candidate is and which industries they like. About 2% of all candidate-employer
pairs are forbidden (travel, hours, needs). No database is needed.

It runs the solver (`formation.seat`: the exact assignment for loops of 2 or 3, for larger
loops a Lagrangian relaxation that proves the seating optimal or shows how close to its bound
it is, with CP-SAT only when it is not within half a per cent) and the greedy baseline, and prints the time (the first run includes importing SciPy; then the median of
--runs), the objective, the number seated and whether the result is proven optimal. With
--cp-sat it also runs the CP-SAT model on the same instance, as a check of the optimum.
"""

import argparse
import json
import random
import statistics
import time
from pathlib import Path
from typing import Any

from samspill.loops.formation import Method, Seating, Status, parse_instance, seat, seat_greedy

CANDIDATES = 300
LOOPS = 100
EMPLOYERS_PER_LOOP = 3
LOOPS_PER_DISTRICT = 10
INDUSTRIES = ("retail", "food", "care", "workshop", "office", "logistics")
FORBIDDEN_SHARE = 0.02
TARGET_SECONDS = 1.0


def make_instance(
    seed: int,
    *,
    candidates: int = CANDIDATES,
    loops: int = LOOPS,
    employers: int = EMPLOYERS_PER_LOOP,
) -> dict[str, Any]:
    rng = random.Random(seed)
    loop_list = []
    industry = {}
    for n in range(loops):
        keys = [f"E{n * employers + j + 1}" for j in range(employers)]
        loop_list.append({"key": f"L{n + 1}", "employers": keys})
        for e in keys:
            industry[e] = rng.choice(INDUSTRIES)
    districts = max(1, loops // LOOPS_PER_DISTRICT)
    people = [f"C{i + 1}" for i in range(candidates)]
    interest = []
    forbidden = []
    for c in people:
        home = rng.randrange(districts)
        visited = {home}
        if rng.random() < 0.2:
            visited.add((home + rng.choice((-1, 1))) % districts)
        ready = rng.random()  # how ready for work the employers find the candidate
        likes = set(rng.sample(INDUSTRIES, 2))
        for d in visited:
            for loop in loop_list[d * LOOPS_PER_DISTRICT : (d + 1) * LOOPS_PER_DISTRICT]:
                for e in loop["employers"]:
                    employer_mark = min(2, int(ready * 2 + rng.random()))
                    candidate_mark = (1 if industry[e] in likes else 0) + (rng.random() < 0.4)
                    interest.append(
                        {
                            "candidate": c,
                            "employer": e,
                            "employer_mark": employer_mark,
                            "candidate_mark": candidate_mark,
                        }
                    )
        forbidden += [
            {"candidate": c, "employer": e}
            for loop in loop_list
            for e in loop["employers"]
            if rng.random() < FORBIDDEN_SHARE
        ]
    return {"loops": loop_list, "candidates": people, "interest": interest, "forbidden": forbidden}


def timed(run: Any, runs: int) -> tuple[Seating, float, float]:
    """The result, the first run's seconds and the median of `runs` more."""
    t0 = time.perf_counter()
    result = run()
    first = time.perf_counter() - t0
    timings = []
    for _ in range(runs):
        t0 = time.perf_counter()
        again = run()
        timings.append(time.perf_counter() - t0)
        assert again.as_dict() == result.as_dict(), "the seating must be deterministic"
    return result, first, statistics.median(timings) if timings else first


def bound(result: Seating) -> str:
    if result.bound is None or result.status == Status.OPTIMAL:
        return ""
    return f" (bound {result.bound}, gap {result.gap:.2%})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--candidates", type=int, default=CANDIDATES)
    parser.add_argument("--loops", type=int, default=LOOPS)
    parser.add_argument("--employers", type=int, default=EMPLOYERS_PER_LOOP, help="per loop")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cp-sat", action="store_true", help="also run the CP-SAT model")
    parser.add_argument("--write", type=Path, help="write the instance here as JSON")
    args = parser.parse_args()
    data = make_instance(
        args.seed, candidates=args.candidates, loops=args.loops, employers=args.employers
    )
    if args.write:
        args.write.write_text(json.dumps(data))
    t0 = time.perf_counter()
    instance = parse_instance(data)
    parsed = time.perf_counter() - t0
    print(
        f"instance: seed {args.seed}, {len(instance.candidates)} candidates, "
        f"{len(instance.loops)} loops of {args.employers}, {len(data['interest'])} marked "
        f"pairs, {len(instance.forbidden)} forbidden pairs; checked in {parsed:.3f} s"
    )
    runs = [
        ("solver", lambda: seat(instance)),
        ("greedy", lambda: seat_greedy(instance)),
    ]
    if args.cp_sat:
        runs.append(("cp-sat", lambda: seat(instance, method=Method.CP_SAT, time_limit=60)))
    results = {}
    for name, run in runs:
        result, first, median = timed(run, 0 if name == "cp-sat" else args.runs)
        results[name] = result
        ok = "" if name != "solver" else ("  ok" if median < TARGET_SECONDS else "  SLOW")
        print(
            f"{name:<7} {result.method.value:<11} first {first:6.3f} s  median {median:6.3f} s"
            f"  seated {result.seated}  objective {result.objective}"
            f"  {result.status.value}{bound(result)}{ok}"
        )
    best = results["solver"]
    if best.objective:
        of = "the optimal" if best.status == Status.OPTIMAL else "the solver's"
        print(
            f"greedy reaches {results['greedy'].objective / best.objective:.1%} of {of} objective"
        )
    if "cp-sat" in results:
        same = (results["cp-sat"].seated, results["cp-sat"].objective) == (
            best.seated,
            best.objective,
        )
        print(f"CP-SAT agrees with the solver: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
