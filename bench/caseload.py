"""Measure the caseload and the participant pages against the seeded bench database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/samspill_bench \\
        .venv/bin/python -m bench.caseload [--runs 20] [--label before] [--only leader]

Each case is a GET through Django's test Client, logged in with force_login, DEBUG off. Per
case: one run under CaptureQueriesContext (the number of SQL queries and each query's time),
then --runs timed runs without it (median and p95 wall time, warm cache: two warm-up runs
first). Each timed run is paired with a run of the floor, GET /account/ as the same user (a
trivial authenticated page through the same middleware and layout), so that the shared
machine's noise falls on both alike: a case is judged by its median over the floor's median
in the same run (issue 24), not by milliseconds. Every SELECT is EXPLAINed to find sequential scans on the big tables, and the slowest
query gets EXPLAIN (ANALYZE, BUFFERS). The table is printed and written, with the plans, to
bench/results/caseload-<date>[-label].md.
"""

import argparse
import os
import platform
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import env

RESULTS = Path(__file__).resolve().parent / "results"
BIG_TABLES = (
    "participants_participant",
    "participants_followupperiod",
    "participants_counselorassignment",
    "plans_note",
    "plans_activity",
    "plans_goal",
    "audit_accesslog",
)
FLOOR_URL = "/account/"
EXPLAINABLE = ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")
# Median targets, as multiples of the floor's median measured interleaved (issue 24).
TARGET_COUNSELOR = 2.5
TARGET_WIDE = 5.0  # a team (15,000) or an organisation (600,000)
TARGET_PARTICIPANT = 3.0  # a participant's pages and Today


@dataclass
class Case:
    name: str
    who: str  # "counselor" or "leader"
    url: str
    target: float  # the median's multiple of the floor's median


@dataclass
class Result:
    case: Case
    queries: list[dict[str, Any]]
    timings: list[float]
    floor: list[float]  # the floor's timings, each run just before the case's
    seq_scans: list[str] = field(default_factory=list)
    slowest_plan: str = ""
    load: float = 0.0  # 1-minute load average after the timed runs

    @property
    def median(self) -> float:
        return statistics.median(self.timings)

    @property
    def floor_median(self) -> float:
        return statistics.median(self.floor)

    @property
    def ratio(self) -> float:
        return self.median / self.floor_median

    @property
    def p95(self) -> float:
        return statistics.quantiles(self.timings, n=20, method="inclusive")[-1]

    @property
    def slowest(self) -> dict[str, Any]:
        """The slowest query with a plan (COMMIT or SAVEPOINT of the audit log has none)."""
        explainable = [q for q in self.queries if q["sql"].lstrip().upper().startswith(EXPLAINABLE)]
        return max(explainable or self.queries, key=lambda q: float(q["time"]))

    @property
    def ok(self) -> bool:
        return self.ratio <= self.case.target


def build_cases() -> tuple[list[Case], dict[str, Any]]:
    from samspill.accounts.models import User
    from samspill.organisations.models import Team
    from samspill.participants.models import Participant
    from samspill.plans.models import Note

    counselor = User.objects.get(email="counselor0001@org1.bench.invalid")
    leader = User.objects.get(email="leader@org1.bench.invalid")
    team = Team.objects.filter(organisation_id=1).order_by("id").first()
    assert team is not None
    mine = list(
        Participant.objects.filter(counselor=counselor).order_by("id").values_list("id", flat=True)
    )
    heavy, typical = (
        mine[0],
        next(pid for pid in mine[1:] if Note.objects.filter(participant_id=pid).exists()),
    )
    url = "/participants/"
    c, lead, p = TARGET_COUNSELOR, TARGET_WIDE, TARGET_PARTICIPANT
    # A participant far from the counselor's own, for the leader's lookups by number.
    far = (
        Participant.objects.filter(organisation_id=1)
        .order_by("-id")
        .values("national_id", "phone")[0]
    )
    cases = [
        Case("counselor: default (mine, active, by name)", "counselor", url, c),
        Case("counselor: search 'ha'", "counselor", f"{url}?q=ha", c),
        Case("counselor: quick filter due", "counselor", f"{url}?quick=due", c),
        Case("counselor: quick filter no_contact", "counselor", f"{url}?quick=no_contact", c),
        Case("counselor: sort next_follow_up", "counselor", f"{url}?sort=next_follow_up", c),
        Case("counselor: page 5", "counselor", f"{url}?page=5", c),
        Case("counselor: scope team (~15k)", "counselor", f"{url}?scope=team", lead),
        Case("leader: default (organisation)", "leader", url, lead),
        Case("leader: team filter", "leader", f"{url}?team={team.pk}", lead),
        Case("leader: search 'haug'", "leader", f"{url}?q=haug", lead),
        Case("leader: search 'øde'", "leader", f"{url}?q=%C3%B8de", lead),
        Case("leader: search 'hansen'", "leader", f"{url}?q=hansen", lead),
        Case("leader: search 'h' (broad)", "leader", f"{url}?q=h", lead),
        Case("leader: search 'Hansen, A'", "leader", f"{url}?q=Hansen%2C+A", lead),
        Case("leader: search a national id", "leader", f"{url}?q={far['national_id']}", lead),
        Case("leader: search a phone", "leader", f"{url}?q={far['phone']}", lead),
        Case("leader: quick filter due", "leader", f"{url}?quick=due", lead),
        Case("leader: quick filter overdue", "leader", f"{url}?quick=overdue", lead),
        Case("leader: quick filter no_contact", "leader", f"{url}?quick=no_contact", lead),
        Case("leader: quick filter no_follow_up", "leader", f"{url}?quick=no_follow_up", lead),
        Case("leader: sort next_follow_up", "leader", f"{url}?sort=next_follow_up", lead),
        Case("leader: page 100", "leader", f"{url}?page=100", lead),
        Case("participant: overview", "counselor", f"{url}{typical}/", p),
        Case("participant: overview, heavy record", "counselor", f"{url}{heavy}/", p),
        Case("participant: plan", "counselor", f"{url}{typical}/plan/", p),
        Case("participant: plan, heavy record", "counselor", f"{url}{heavy}/plan/", p),
        Case("counselor: Today", "counselor", "/today/", p),
    ]
    context = {
        "counselor": counselor,
        "leader": leader,
        "team": team,
        "typical": typical,
        "heavy": heavy,
        "caseload": len(mine),
    }
    return cases, context


def explain(sql: str, *, analyze: bool) -> str:
    from django.db import connection, transaction

    options = "ANALYZE, BUFFERS" if analyze else "COSTS OFF"
    # EXPLAIN ANALYZE runs the statement: inside a transaction rolled back, writes leave no trace.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN ({options}) {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
        transaction.set_rollback(True)
    return plan


def measure(client: Any, case: Case, runs: int) -> Result:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        response = client.get(case.url)
        assert response.status_code == 200, (case.url, response.status_code)
    with CaptureQueriesContext(connection) as captured:
        client.get(case.url)
    # Copy now: every request starts by clearing the connection's query log.
    queries = list(captured.captured_queries)
    client.get(FLOOR_URL)
    timings, floor = [], []
    for _ in range(runs):
        for url, into in ((FLOOR_URL, floor), (case.url, timings)):
            t0 = time.perf_counter()
            client.get(url)
            into.append((time.perf_counter() - t0) * 1000)
    result = Result(
        case=case, queries=queries, timings=timings, floor=floor, load=os.getloadavg()[0]
    )
    for query in result.queries:
        sql = query["sql"]
        if sql.lstrip().upper().startswith("SELECT"):
            for line in explain(sql, analyze=False).splitlines():
                if "Seq Scan on" in line and any(t in line for t in BIG_TABLES):
                    result.seq_scans.append(line.strip())
    if result.slowest["sql"].lstrip().upper().startswith(EXPLAINABLE):
        result.slowest_plan = explain(result.slowest["sql"], analyze=True)
    return result


def machine() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
        cursor.execute(
            "SELECT name, setting, unit FROM pg_settings WHERE name IN "
            "('shared_buffers', 'work_mem', 'effective_cache_size', 'random_page_cost', 'jit') "
            "ORDER BY name"
        )
        settings = ", ".join(f"{n}={s}{u or ''}" for n, s, u in cursor.fetchall())
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM participants_participant")
        participants = cursor.fetchone()[0]
    cpus = len(os.sched_getaffinity(0))
    mem = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(meminfo.read_text().split("\n")[0].split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GB RAM"
    return (
        f"{platform.machine()}, {cpus} cores{mem}, Python {platform.python_version()}, "
        f"{version} ({settings}); database size {size}, {participants:,} participants"
    )


def today() -> str:
    from django.utils import timezone

    return timezone.localdate().isoformat()


def table(results: list[Result]) -> str:
    lines = [
        "| case | queries | median ms | p95 ms | floor ms | x floor | target | ok "
        "| slowest query ms | seq scans (big tables) | load |",
        "|---|---:|---:|---:|---:|---:|---:|---|---:|---|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.case.name} | {len(r.queries)} | {r.median:.1f} | {r.p95:.1f} "
            f"| {r.floor_median:.1f} | {r.ratio:.1f} | ≤ {r.case.target:g} "
            f"| {'yes' if r.ok else 'NO'} | {float(r.slowest['time']) * 1000:.1f} "
            f"| {len(r.seq_scans) or '-'} | {r.load:.1f} |"
        )
    return "\n".join(lines)


def report(results: list[Result], context: dict[str, Any], runs: int, label: str) -> str:
    out = [
        f"# Caseload and participant pages: {today()}" + (f" ({label})" if label else ""),
        "",
        f"Machine: {machine()}.",
        "",
        f"Counselor: {context['counselor'].email} ({context['caseload']} participants "
        f"assigned now); leader: {context['leader'].email}; team filter: "
        f"{context['team']} (id {context['team'].pk}); participants: typical "
        f"{context['typical']}, heavy {context['heavy']}.",
        "",
        f"Wall time of a GET through the test Client (view, queries and template), warm "
        f"cache, {runs} runs after 2 warm-up runs, each just after a run of the floor "
        f"(GET {FLOOR_URL} as the same user); `x floor` is the case's median over the "
        f"floor's. Queries counted in a separate run. "
        f"`load` is the machine's 1-minute load average after the case (2 cores, shared with "
        f"other work: above ~1 the timings are inflated).",
        "",
        table(results),
        "",
    ]
    for r in results:
        out += [f"## {r.case.name}", "", f"`GET {r.case.url}` as the {r.case.who}.", ""]
        out += ["| ms | query |", "|---:|---|"]
        for q in r.queries:
            sql = " ".join(q["sql"].split())
            sql = (sql if len(sql) < 160 else sql[:157] + "...").replace("|", "\\|")
            out.append(f"| {float(q['time']) * 1000:.1f} | `{sql}` |")
        out.append("")
        if r.seq_scans:
            out += ["Sequential scans on big tables:", ""]
            out += [f"- `{line}`" for line in r.seq_scans]
            out.append("")
        out += [
            "Slowest query, EXPLAIN (ANALYZE, BUFFERS):",
            "",
            "```sql",
            r.slowest["sql"],
            "```",
            "",
            "```",
            r.slowest_plan,
            "```",
            "",
        ]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--label", default="", help="appended to the results file name")
    parser.add_argument("--only", default="", help="run only cases whose name contains this")
    parser.add_argument(
        "--wait-idle",
        type=int,
        default=0,
        metavar="SECONDS",
        help="before each case, wait up to this long for the 1-minute load average to drop "
        "below 1 (the machine is shared; other work skews the timings)",
    )
    args = parser.parse_args()
    env.setup()

    from django.test import Client

    cases, context = build_cases()
    clients = {}
    for who in ("counselor", "leader"):
        clients[who] = Client()
        clients[who].force_login(context[who])
    results = []
    for case in cases:
        if args.only and args.only not in case.name:
            continue
        wait_until = time.monotonic() + args.wait_idle
        while os.getloadavg()[0] >= 1 and time.monotonic() < wait_until:
            time.sleep(5)
        result = measure(clients[case.who], case, args.runs)
        results.append(result)
        print(
            f"{case.name:<44} {len(result.queries):>3} queries  median {result.median:7.1f} ms"
            f"  floor {result.floor_median:5.1f} ms  x{result.ratio:4.1f} (<= {case.target:g})"
            f"  p95 {result.p95:7.1f} ms  slowest query "
            f"{float(result.slowest['time']) * 1000:6.1f} ms"
            f"  seq scans {len(result.seq_scans)}  {'ok' if result.ok else 'SLOW'}",
            flush=True,
        )
    RESULTS.mkdir(exist_ok=True)
    name = f"caseload-{today()}{'-' + args.label if args.label else ''}"
    path = RESULTS / f"{name}.md"
    path.write_text(report(results, context, args.runs, args.label))
    print()
    print(table(results))
    print(
        f"\nWritten to {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}"
    )


if __name__ == "__main__":
    main()
