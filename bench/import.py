"""Generate an interchange folder with N participants (default 1,000,000) and time its import
into a fresh PostgreSQL database.

    .venv/bin/python -m bench.import [--participants N] [--folder DIR] [--keep-folder] [--bulk]

The database named by DATABASE_URL (default samspill_import_bench) is dropped, created and
migrated first, so the import starts from empty, as an organisation moving in would. The folder
is written with a fixed random seed: two runs with the same N give the same files.

Shape (for N = 1,000,000), in the proportions of bench.seed:
- 21 organisations (one with 600,000 participants, the rest with 20,000 each); a counselor per
  100 participants (10,000), a team per 25 counselors, a leader per organisation;
- 1.2 periods per participant (20 % have an earlier, ended period; 15 % of the current ones
  have ended), an assignment per period and a change of counselor in 10 % of them;
- two belief check-ins and two activities per period (a third of the activities are employer
  contacts with an employer of the organisation), 100,000 employers;
- a placement in a quarter of the periods, an outcome for a third of the ended periods, and a
  referral for half of the participants.

Reported: the time to write the folder, the import time (validation and writing, one
transaction) and the peak resident memory of the process (resource.getrusage) before and after
the import.
"""

import argparse
import contextlib
import csv
import datetime
import logging
import os
import random
import resource
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from stdnum.no import fodselsnummer

from bench import env

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/samspill_import_bench"
BIG_ORG = 0.6
SMALL_ORG_SIZE = 20_000
CASELOAD = 100
TEAM_SIZE = 25
DAY0 = datetime.date(2019, 1, 1)
SPAN = (datetime.date(2026, 6, 1) - DAY0).days


def national_id(i: int) -> str:
    """A valid birth number unique to participant i (or "" when the check digits fail)."""
    birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=i % 14_000)
    base = f"{birth:%d%m%y}{(i // 14_000) % 500:03d}"
    k1 = fodselsnummer.calc_check_digit1(base)
    k2 = fodselsnummer.calc_check_digit2(base + k1)
    number = base + k1 + k2
    return number if len(number) == 11 else ""


def orgnrs() -> Iterator[str]:
    """Distinct valid organisation numbers, in order."""
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    for base in range(80_000_000, 100_000_000):
        digits = str(base)
        check = (11 - sum(w * int(d) for w, d in zip(weights, digits, strict=True)) % 11) % 11
        if check != 10:
            yield digits + str(check)


def birth_of(number: str, i: int) -> datetime.date:
    if number:
        return fodselsnummer.get_birth_date(number)
    return datetime.date(1960, 1, 1) + datetime.timedelta(days=i % 14_000)


class Writer:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.files = contextlib.ExitStack()
        self.writers: dict[str, Any] = {}
        self.rows = 0

    def open(self, name: str, header: list[str]) -> None:
        path = self.folder / f"{name}.csv"
        # The ExitStack closes every file at once in close().
        handle = self.files.enter_context(open(path, "w", encoding="utf-8", newline=""))  # noqa: SIM115
        self.writers[name] = csv.writer(handle, lineterminator="\n")
        self.writers[name].writerow(header)

    def row(self, name: str, *cells: Any) -> None:
        self.writers[name].writerow(cells)
        self.rows += 1

    def close(self) -> None:
        self.files.close()


def generate(folder: Path, participants: int) -> int:
    from django.utils import timezone

    from samspill.core.dates import add_months
    from samspill.interchange import format as fmt

    rng = random.Random(7)
    today = timezone.localdate()  # outcomes and statuses are not dated in the future
    folder.mkdir(parents=True, exist_ok=True)
    (folder / fmt.MANIFEST).write_text(
        f'{{"format": "{fmt.FORMAT_NAME}", "version": {fmt.FORMAT_VERSION}}}\n'
    )
    out = Writer(folder)
    for spec in fmt.FILES:
        out.open(spec.name, spec.header)
    # Organisations: sizes and the first participant of each.
    big = int(participants * BIG_ORG)
    sizes = [big] + [SMALL_ORG_SIZE] * ((participants - big) // SMALL_ORG_SIZE)
    sizes[-1] += participants - sum(sizes)
    kinds = ["inclusion_company", "nav_office", "municipality"]
    need_groups = fmt.PARTICIPANTS.columns[6].choices
    sources = fmt.REFERRALS.columns[3].choices
    first_participant = 0
    employer_no = 0
    numbers = orgnrs()
    for org_no, size in enumerate(sizes):
        org = f"ORG{org_no}"
        out.row("organisations", org, f"Organisasjon {org_no} AS", kinds[org_no % 3])
        counselors = max(1, size // CASELOAD)
        for c in range(counselors):
            team = f"Team {c // TEAM_SIZE + 1}"
            out.row("staff", f"{org}-S{c}", org, team, f"Veileder {org_no}-{c}",
                    f"v{org_no}-{c}@bench.example", "counselor")  # fmt: skip
        out.row("staff", f"{org}-L", org, "", f"Leder {org_no}", f"leder{org_no}@bench.example",
                "leader")  # fmt: skip
        employers = max(1, size // 10)
        first_employer = employer_no
        placed = 0
        for _e in range(employers):
            out.row("employers", f"E{employer_no}", next(numbers), f"Arbeidsgiver {employer_no}",
                    rng.choice(["10", "47", "56", "86", "88", "49", ""]))  # fmt: skip
            employer_no += 1
        for i in range(first_participant, first_participant + size):
            number = national_id(i) if i % 2 == 0 else ""
            out.row("participants", f"P{i}", org, "Navn", f"Etternavn{i % 997}",
                    birth_of(number, i).isoformat(), number, need_groups[i % 5])  # fmt: skip
            counselor = f"{org}-S{(i - first_participant) % counselors}"
            start = DAY0 + datetime.timedelta(days=rng.randrange(SPAN))
            periods: list[tuple[str, datetime.date, datetime.date | None]] = []
            if rng.random() < 0.2:  # an earlier, ended period
                earlier = start - datetime.timedelta(days=rng.randint(400, 700))
                periods.append((f"Q{i}", earlier, earlier + datetime.timedelta(days=300)))
            ended = rng.random() < 0.15
            end = start + datetime.timedelta(days=rng.randint(60, 400)) if ended else None
            periods.append((f"R{i}", start, end))
            for key, p_start, p_end in periods:
                reason = (
                    "ordinary_work"
                    if p_end and rng.random() < 0.4
                    else ("moved_other" if p_end else "")
                )
                out.row("followup_periods", key, f"P{i}", p_start, p_end or "", reason)
                change = rng.random() < 0.1
                switch = p_start + datetime.timedelta(days=30)
                if change:
                    other = f"{org}-S{(i - first_participant + 7) % counselors}"
                    out.row("assignments", key, counselor, p_start, switch, "initial")
                    out.row("assignments", key, other, switch, p_end or "", "counselor_left")
                else:
                    out.row("assignments", key, counselor, p_start, p_end or "", "initial")
                for n in (1, 2):
                    out.row("belief_checkins", key, counselor,
                            p_start + datetime.timedelta(days=n * 14), rng.randint(1, 5),
                            rng.choice(["", "3", "4"]))  # fmt: skip
                for n in (1, 2):
                    kind = rng.choice(["employer_contact", "meeting", "follow_up", "other"])
                    employer = (f"E{first_employer + rng.randrange(employers)}"
                                if kind == "employer_contact" else "")  # fmt: skip
                    out.row("activities", key, counselor, p_start + datetime.timedelta(days=n * 3),
                            kind, employer)  # fmt: skip
                if rng.random() < 0.25:
                    # Round the organisation's employers, so each appears with its participants.
                    placed += 1
                    p_at = p_start + datetime.timedelta(days=20)
                    out.row("placements", f"PL-{key}", key,
                            f"E{first_employer + placed % employers}",
                            rng.choice(["work_training", "ordinary_job", "temporary_wage_subsidy"]),
                            p_at, p_at + datetime.timedelta(days=90),
                            rng.choice(["", "ordinary_work", "not_ready"]))  # fmt: skip
                if p_end and p_end <= today and rng.random() < 0.33:
                    out.row("outcomes", key, p_end, "ordinary_work", "37.5", "false")
                    for months in (6, 12):
                        due = add_months(p_end, months)
                        if due <= today:
                            out.row("statuses", key, months, due, "ordinary_work", due, "", "false")
                        else:
                            out.row("statuses", key, months, due, "", "", "", "")
            if i % 2 == 0:
                out.row("referrals", f"RF{i}", org, start - datetime.timedelta(days=20),
                        sources[i % len(sources)], need_groups[i % 5], f"P{i}", "")  # fmt: skip
        first_participant += size
    out.close()
    return out.rows


def fresh_database(url: str) -> None:
    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    conn = ["-h", parsed.hostname or "127.0.0.1", "-U", parsed.username or "postgres"]
    subprocess.run(["dropdb", *conn, "--if-exists", name], check=True)
    subprocess.run(["createdb", *conn, name], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, default=1_000_000)
    parser.add_argument("--folder", type=Path, default=None)
    parser.add_argument("--keep-folder", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="Time every SQL statement.")
    parser.add_argument(
        "--bulk", action="store_true", help="Import in bulk mode (samspill import --bulk)."
    )
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    fresh_database(os.environ["DATABASE_URL"])
    env.setup()
    from django.core.management import call_command

    from samspill.interchange.report import ImportRejected
    from samspill.interchange.services import interchange_import

    call_command("migrate", verbosity=0)
    if args.verbose:  # each statement of the write phase with its time
        logging.basicConfig(format="%(message)s")
        logging.getLogger("samspill.interchange").setLevel(logging.DEBUG)
    folder = args.folder or Path(tempfile.mkdtemp(prefix="samspill-interchange-"))
    if (folder / "interchange.json").exists():
        print(f"folder: reusing {folder}")  # written by an earlier run with --keep-folder
    else:
        started = time.perf_counter()
        rows = generate(folder, args.participants)
        written = time.perf_counter() - started
        print(f"folder: {rows:,} rows in {written:.0f} s ({folder})")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    try:
        report = interchange_import(folder=folder, by=None, bulk=args.bulk, parallel=True)
    except ImportRejected as rejected:
        for error in rejected.report.errors[:20]:
            print(error)
        raise SystemExit(f"{rejected.report.error_count} errors") from None
    took = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    for name, count in report.rows.items():
        print(f"  {name}: {count:,} rows, {report.created.get(name, 0):,} new")
    for phase, seconds in report.timings.items():
        print(f"  {phase}: {seconds:.1f} s")
    print(f"import: {took:.0f} s for {args.participants:,} participants")
    print(
        f"peak memory: {before / 1024:.0f} MB before the import, {after / 1024:.0f} MB after;"
        f" the largest worker process {workers / 1024:.0f} MB"
    )
    if not args.keep_folder and args.folder is None:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
