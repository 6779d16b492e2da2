"""Do the effects analysis' 95 % intervals cover the truth as often as they say? Many
synthetic cohorts (no database: the cohort's frames go straight to `effects.lay_out`, the
layout the analysis uses), each fitted; prints the share of intervals that cover the true
hazard ratios, and the mean estimate (bias shows there, noise averages out).

    .venv/bin/python -m bench.effects_coverage [--cohorts 200] [--participants 20000]
"""

import argparse
import datetime
import math
import statistics
import time

from bench import env


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cohorts", type=int, default=200)
    parser.add_argument("--participants", type=int, default=20_000)
    parser.add_argument("--first-seed", type=int, default=1000)
    args = parser.parse_args()
    env.setup()

    from samspill.insights import cox, effects, synthetic

    today = datetime.date(2026, 11, 23)
    truth = synthetic.Truth()
    true = {0: truth.hazard_ratio_belief, 1: truth.hazard_ratio_change}
    covered = {0: 0, 1: 0}
    logs: dict[int, list[float]] = {0: [], 1: []}
    started = time.perf_counter()
    for n in range(args.cohorts):
        cohort = synthetic.simulate(args.participants, seed=args.first_seed + n, today=today)
        today_days = (today - datetime.date(1970, 1, 1)).days
        intervals = effects.lay_out(*synthetic.frames(cohort), today_days)
        result = cox.fit(
            start=intervals.start, stop=intervals.stop, event=intervals.event, x=intervals.x
        )
        for index in (0, 1):
            estimate, low, high = result.hazard_ratio(index)
            covered[index] += low <= true[index] <= high
            logs[index].append(math.log(estimate))
        done = n + 1
        if done % 20 == 0 or done == args.cohorts:
            print(
                f"{done} cohorts ({time.perf_counter() - started:.0f} s): covered "
                f"belief {covered[0] / done:.1%}, change {covered[1] / done:.1%}"
            )
    for index, name in ((0, "belief"), (1, "counselor change")):
        mean = statistics.fmean(logs[index])
        spread = statistics.stdev(logs[index]) / math.sqrt(len(logs[index]))
        print(
            f"{name}: true HR {true[index]}, mean estimate {math.exp(mean):.4f} "
            f"(its 95 % interval {math.exp(mean - 1.96 * spread):.4f}-"
            f"{math.exp(mean + 1.96 * spread):.4f}), intervals covering "
            f"{covered[index] / args.cohorts:.1%}"
        )


if __name__ == "__main__":
    main()
