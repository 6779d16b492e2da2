"""Time the effects analysis (Cox model with time-varying covariates) on a synthetic cohort
with known hazard ratios, imported through the interchange format into PostgreSQL.

    createdb -h 127.0.0.1 -U postgres samspill_effects
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/samspill_effects \\
        .venv/bin/python -m bench.effects [--participants 1000000] [--keep]

Steps, each timed: simulate the cohort (Python), write the interchange folder, `samspill
import` it (skipped with --keep when the organisation is already there), then the estimate,
split into reading the data and fitting. Prints the hazard ratios against the truth. With
--direct the cohort is COPYed straight into the tables instead (quicker to set up at 1M).
"""

import argparse
import datetime
import os
import resource
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from bench import env


def _copy(model: Any, template: Any, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """COPY rows into the model's table: every column as Django would save `template`, with
    `columns` (attribute names, the id first) taken from each row."""
    from django.db import connection

    fields = list(model._meta.concrete_fields)
    base = [
        field.get_db_prep_save(field.pre_save(template, add=True), connection) for field in fields
    ]
    names = [field.attname for field in fields]
    where = [names.index(column) for column in columns]
    table = model._meta.db_table
    listed = ", ".join(f'"{field.column}"' for field in fields)
    with connection.cursor() as cursor:
        with cursor.copy(f'COPY "{table}" ({listed}) FROM STDIN') as copy:
            for row in rows:
                values = base.copy()
                for index, value in zip(where, row, strict=True):
                    values[index] = value
                copy.write_row(values)
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM \"{table}\"))"
        )
        cursor.execute(f'ANALYZE "{table}"')


def _next_id(model: Any) -> int:
    return int(model.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1


def load_directly(cohort: Any) -> None:
    """The cohort straight into the tables (what `samspill import` would write, without its
    checks), for measuring the analysis on a million participants quickly."""
    import datetime as dt

    from django.utils import timezone

    from samspill.accounts.models import User
    from samspill.followup.models import BeliefCheckIn
    from samspill.organisations.models import Membership, Organisation
    from samspill.participants.models import (
        CounselorAssignment,
        FollowUpPeriod,
        Participant,
        PeriodOutcome,
    )

    org = Organisation.objects.create(
        name="Syntetisk AS", kind="inclusion_company", external_key="SYN"
    )
    staff = {}
    for key in cohort.staff:
        user = User.objects.create_user(
            email=f"{key.lower()}@syntetisk.example", password=None, full_name=key
        )
        Membership.objects.create(user=user, organisation=org, role="counselor", external_key=key)
        staff[key] = user.pk
    day = dt.date.fromisoformat
    base = _next_id(Participant)
    pids = {key: base + i for i, (key, _b, _n) in enumerate(cohort.participants)}
    _copy(
        Participant,
        Participant(organisation_id=org.pk, given_name="Deltaker", family_name=""),
        ["id", "family_name", "birth_date", "need_group", "external_key"],
        ((pids[key], key, day(birth), need, key) for key, birth, need in cohort.participants),
    )
    base = _next_id(FollowUpPeriod)
    periods = {row[0]: (base + i, pids[row[1]]) for i, row in enumerate(cohort.periods)}
    _copy(
        FollowUpPeriod,
        FollowUpPeriod(start_date=timezone.localdate()),
        ["id", "participant_id", "start_date", "end_date", "end_reason", "external_key"],
        (
            (*periods[key], day(start), day(end) if end else None, reason, key)
            for key, _p, start, end, reason in cohort.periods
        ),
    )
    zone = timezone.get_current_timezone()

    def at(value: str) -> dt.datetime:
        return dt.datetime.combine(day(value), dt.time(9), tzinfo=zone)

    now = timezone.now()
    base = _next_id(CounselorAssignment)
    _copy(
        CounselorAssignment,
        CounselorAssignment(started_at=now, reason="initial"),
        [
            "id",
            "period_id",
            "participant_id",
            "counselor_id",
            "assigned_by_id",
            "started_at",
            "ended_at",
            "reason",
        ],
        (
            (
                base + i,
                *periods[key],
                staff[who],
                staff[who],
                at(began),
                at(ended) if ended else None,
                reason,
            )
            for i, (key, who, began, ended, reason) in enumerate(cohort.assignments)
        ),
    )
    base = _next_id(BeliefCheckIn)
    _copy(
        BeliefCheckIn,
        BeliefCheckIn(asked_on=timezone.localdate(), belief=3),
        ["id", "period_id", "participant_id", "counselor_id", "asked_on", "belief"],
        (
            (base + i, *periods[key], staff[who], day(asked), belief)
            for i, (key, who, asked, belief) in enumerate(cohort.checkins)
        ),
    )
    base = _next_id(PeriodOutcome)
    _copy(
        PeriodOutcome,
        PeriodOutcome(date=timezone.localdate(), outcome="ordinary_work"),
        ["id", "period_id", "date", "outcome"],
        ((base + i, periods[key][0], day(d), o) for i, (key, d, o) in enumerate(cohort.outcomes)),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="Reuse an imported cohort.")
    parser.add_argument(
        "--direct",
        action="store_true",
        help="Load the cohort with COPY instead of `samspill import` (faster to set up).",
    )
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
        if args.direct:
            written = time.perf_counter()
            load_directly(cohort)
        else:
            folder = synthetic.write_interchange(cohort, Path(tempfile.mkdtemp()) / "cohort")
            written = time.perf_counter()
            call_command("import", str(folder), verbosity=0)
        del cohort
        imported = time.perf_counter()
        print(
            f"simulate {simulated - started:.1f} s, write {written - simulated:.1f} s, "
            f"import {imported - written:.1f} s"
        )
    organisation = Organisation.objects.get(external_key="SYN")
    analyse(effects, cox, organisation.pk, today, truth)


class Clock:
    """Wall time, this process' CPU time and the PostgreSQL backend's (read from /proc when
    the server runs on this machine), for timing phases on a machine shared with others."""

    def __init__(self) -> None:
        from django.db import connection

        connection.ensure_connection()
        self.backend = Path(f"/proc/{connection.connection.info.backend_pid}/stat")
        self.marks = [self.now()]

    def now(self) -> tuple[float, float, float]:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        try:  # utime and stime, fields 14 and 15, in clock ticks
            fields = self.backend.read_text().rsplit(")", 1)[1].split()
            server = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            server = float("nan")
        return time.perf_counter(), usage.ru_utime + usage.ru_stime, server

    def lap(self) -> str:
        self.marks.append(self.now())
        (wall0, cpu0, server0), (wall1, cpu1, server1) = self.marks[-2:]
        return (
            f"{wall1 - wall0:.1f} s wall, {cpu1 - cpu0:.1f} s CPU here + "
            f"{server1 - server0:.1f} s in PostgreSQL"
        )


def analyse(effects: Any, cox: Any, organisation_id: int, today: Any, truth: Any) -> None:
    """Time the analysis by phase: reading, laying out, fitting; with the load beside it."""
    lay_out = effects.lay_out
    timings: dict[str, str] = {}

    def timed_lay_out(*args: Any) -> Any:
        timings["read"] = clock.lap()
        intervals = lay_out(*args)
        timings["lay out"] = clock.lap()
        return intervals

    effects.lay_out = timed_lay_out
    load = os.getloadavg()
    clock = Clock()
    intervals = effects.build_intervals(organisation_id, today)
    effects.lay_out = lay_out
    peak_read = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    clock.lap()
    result = cox.fit(
        start=intervals.start, stop=intervals.stop, event=intervals.event, x=intervals.x
    )
    timings["fit"] = clock.lap()
    first, last = clock.marks[0], clock.marks[-1]
    total = (
        f"{last[0] - first[0]:.1f} s wall, {last[1] - first[1]:.1f} s CPU here + "
        f"{last[2] - first[2]:.1f} s in PostgreSQL"
    )
    belief, low, high = result.hazard_ratio(0)
    change, change_low, change_high = result.hazard_ratio(1)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{intervals.n_participants} participants, {intervals.n_events} events, "
        f"{len(intervals.start)} intervals; load average {load[0]:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after\n"
        f"read {timings['read']}\nlay out {timings['lay out']}\n"
        f"fit ({result.iterations} Newton steps) {timings['fit']}\n"
        f"in all {total}\n"
        f"peak memory {peak_read:.0f} MB after reading and laying out, {peak:.0f} MB in all\n"
        f"belief HR {belief:.6f} ({low:.6f}-{high:.6f}), truth {truth.hazard_ratio_belief}\n"
        f"counselor change HR {change:.6f} ({change_low:.6f}-{change_high:.6f}), "
        f"truth {truth.hazard_ratio_change}"
    )


if __name__ == "__main__":
    main()
