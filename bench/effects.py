"""Time the effects analysis (Cox model with time-varying covariates) on a synthetic cohort
with known hazard ratios, imported through the interchange format into PostgreSQL.

    createdb -h 127.0.0.1 -U postgres samspill_effects
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/samspill_effects \\
        .venv/bin/python -m bench.effects [--participants 1000000] [--keep]

Steps, each timed: simulate the cohort (Python), write the interchange folder, `samspill
import` it (skipped with --keep when the organisation is already there), then the estimate,
split into reading the data and fitting. Prints the hazard ratios against the truth.
"""

import argparse
import datetime
import resource
import tempfile
import time
from pathlib import Path

from bench import env


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="Reuse an imported cohort.")
    args = parser.parse_args()
    env.setup()

    from django.core.management import call_command

    from samspill.insights import cox, effects, synthetic
    from samspill.organisations.models import Organisation

    call_command("migrate", verbosity=0)
    today = datetime.date(2026, 11, 23)
    truth = synthetic.Truth()
    if not (args.keep and Organisation.objects.filter(external_key="SYN").exists()):
        started = time.perf_counter()
        cohort = synthetic.simulate(args.participants, seed=1, today=today, truth=truth)
        simulated = time.perf_counter()
        folder = synthetic.write_interchange(cohort, Path(tempfile.mkdtemp()) / "cohort")
        del cohort
        written = time.perf_counter()
        call_command("import", str(folder), verbosity=0)
        imported = time.perf_counter()
        print(
            f"simulate {simulated - started:.1f} s, write {written - simulated:.1f} s, "
            f"import {imported - written:.1f} s"
        )
    organisation = Organisation.objects.get(external_key="SYN")

    started = time.perf_counter()
    intervals = effects.build_intervals(organisation.pk, today)
    read = time.perf_counter()
    result = cox.fit(
        start=intervals.start, stop=intervals.stop, event=intervals.event, x=intervals.x
    )
    fitted = time.perf_counter()
    belief, low, high = result.hazard_ratio(0)
    change, change_low, change_high = result.hazard_ratio(1)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{intervals.n_participants} participants, {intervals.n_events} events, "
        f"{len(intervals.start)} intervals\n"
        f"read and lay out {read - started:.1f} s, fit {fitted - read:.1f} s "
        f"({result.iterations} Newton steps), total {fitted - started:.1f} s, "
        f"peak memory {peak:.0f} MB\n"
        f"belief HR {belief:.3f} ({low:.3f}-{high:.3f}), truth {truth.hazard_ratio_belief}\n"
        f"counselor change HR {change:.3f} ({change_low:.3f}-{change_high:.3f}), "
        f"truth {truth.hazard_ratio_change}"
    )


if __name__ == "__main__":
    main()
