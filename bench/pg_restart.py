"""PostgreSQL crashed and restarted under write load: no acknowledged write is lost, and no
request fails once it is back.

    .venv/bin/python -m bench.pg_restart [--threads 8] [--seconds 20] [--restarts 3]

It starts a throwaway PostgreSQL of its own (tests/cluster/pgcluster.py: never the shared
server), migrates it, and runs `samspill serve` (2 gunicorn workers) against it. Writer threads
register employers through the API (`POST /api/v1/employers`, each with its own Idempotency-Key)
and note each one answered 201. PostgreSQL is stopped as a crash would stop it
(`pg_ctl -m immediate`: no checkpoint, recovery from the WAL) and started again, --restarts
times. Measured: writes acknowledged and found afterwards (must be all), errors while it was
down (503s with Retry-After, expected), requests that failed without being in flight during a restart (must be 0).

`write_load` is also the cluster test's (tests/cluster/test_cluster.py), with a short run.
Results are printed and appended to bench/results/pg-restart.md.
"""

import argparse
import http.client
import itertools
import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"


@dataclass
class Load:
    acknowledged: list[str] = field(default_factory=list)
    # (started, finished, what) of each failed request, monotonic seconds.
    errors: list[tuple[float, float, str]] = field(default_factory=list)
    down: list[tuple[float, float]] = field(default_factory=list)
    success_times: list[float] = field(default_factory=list)
    requests: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def errors_after_back(self) -> list[str]:
        """Failed requests that were not in flight during a restart: each started after
        PostgreSQL was back (`pg_ctl -w` returned, it accepts connections) or before the first
        restart, and finished before the next restart began. A request in flight while it was
        down may fail, and so may one that was waiting in gunicorn's queue when the next
        restart began: it started earlier, but is served while PostgreSQL is down."""
        return [
            what
            for started, finished, what in self.errors
            if not any(started <= ended and finished >= began for began, ended in self.down)
        ]

    def in_flight_at_restart(self) -> int:
        """Failed requests that started before a restart began and failed during it: sent
        while PostgreSQL was up, they were in a worker or in gunicorn's queue at the crash."""
        return sum(
            1
            for started, finished, _what in self.errors
            if any(started < began <= finished for began, _ended in self.down)
        )


_numbers = itertools.count(90_000_000)


def org_number() -> str:
    """A new valid Norwegian organisation number (mod 11), unique in this run: an
    organisation's employers have different numbers."""
    while True:
        base = str(next(_numbers))
        check = (
            11 - sum(int(d) * w for d, w in zip(base, (3, 2, 7, 6, 5, 4, 3, 2), strict=True)) % 11
        )
        if check != 10:
            return base + str(check % 11)


def employer_body(name: str, contact_person: int) -> bytes:
    return json.dumps(
        {"name": name, "org_number": org_number(), "contact_person_id": contact_person}
    ).encode()


def _post(base: str, token: str, contact_person: int, name: str) -> tuple[int, str]:
    body = employer_body(name, contact_person)
    request = urllib.request.Request(
        f"{base}/api/v1/employers",
        data=body,
        method="POST",
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Idempotency-Key": name,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, ""
    except urllib.error.HTTPError as error:
        return error.code, error.read()[:200].decode(errors="replace")
    except (OSError, http.client.HTTPException) as error:
        return 0, str(error)


def write_load(
    *,
    bases: list[str],
    token: str,
    contact_person: int,
    restart: Callable[[], object],
    threads: int = 4,
    before: float = 2.0,
    after: float = 3.0,
    restarts: int = 1,
    at_least: int = 0,
) -> Load:
    """Write from `threads` threads (spread over `bases`) for `before` seconds, call `restart`
    `restarts` times with `after` seconds of writing after each; returns what happened.
    Each of those stretches also lasts until `at_least` writes were acknowledged in it (at
    most two minutes), so that a loaded machine still writes something around each restart."""
    load = Load()
    stopping = threading.Event()

    def writer(number: int) -> None:
        base = bases[number % len(bases)]
        while not stopping.is_set():
            name = f"Skriv {uuid.uuid4()}"
            started = time.monotonic()
            status, detail = _post(base, token, contact_person, name)
            finished = time.monotonic()
            with load.lock:
                load.requests += 1
                if status == 201:
                    load.acknowledged.append(name)
                    load.success_times.append(finished)
                else:
                    load.errors.append((started, finished, f"{status} {detail}".strip()))

    workers = [threading.Thread(target=writer, args=(n,), daemon=True) for n in range(threads)]
    for worker in workers:
        worker.start()

    def write_for(seconds: float) -> None:
        since = time.monotonic()
        time.sleep(seconds)
        deadline = since + 120
        while time.monotonic() < deadline:
            with load.lock:
                if sum(1 for t in load.success_times if t > since) >= at_least:
                    return
            time.sleep(0.1)

    write_for(before)
    for _round in range(restarts):
        began = time.monotonic()
        restart()
        load.down.append((began, time.monotonic()))
        write_for(after)
    stopping.set()
    for worker in workers:
        worker.join(60)
    load.success_times.sort()
    return load


def missing(database_url: str, names: list[str]) -> list[str]:
    """The acknowledged employers not in the database."""
    import psycopg

    with psycopg.connect(database_url) as conn:
        found = {
            row[0]
            for row in conn.execute(
                "SELECT name FROM employers_employer WHERE name = ANY(%s)", [names]
            )
        }
    return [name for name in names if name not in found]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10, help="of writing after each restart")
    parser.add_argument("--restarts", type=int, default=3)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from tests.cluster.conftest import TEMPLATE, samspill_env, scenario, serve, stop
    from tests.cluster.pgcluster import Cluster

    with Cluster.started() as cluster:
        cluster.createdb(TEMPLATE)
        env = samspill_env(cluster.primary.url(TEMPLATE), WEB_CONCURRENCY="2")
        migrate = [sys.executable, "-m", "samspill.cli", "migrate", "--verbosity", "0"]
        subprocess.run(migrate, cwd=REPO, env=env, check=True)
        seeded = scenario("seed", "--users", "2", env=env)
        log = RESULTS / "pg-restart-serve.log"
        RESULTS.mkdir(exist_ok=True)
        server, base = serve(env, log)
        try:
            load = write_load(
                bases=[base],
                token=seeded["token"],
                contact_person=seeded["counselor"],
                restart=cluster.crash_restart,
                threads=args.threads,
                before=args.seconds,
                after=args.seconds,
                restarts=args.restarts,
            )
        finally:
            stop(server)
        lost = missing(cluster.primary.url(TEMPLATE), load.acknowledged)
    late = load.errors_after_back()
    down = ", ".join(f"{ended - began:.1f} s" for began, ended in load.down)
    lines = [
        f"## {time.strftime('%Y-%m-%d %H:%M')} — {args.restarts} crash-restarts, "
        f"{args.threads} writer threads, {args.seconds:g} s of writing around each",
        "",
        f"- requests: {load.requests}; writes acknowledged: {len(load.acknowledged)}; "
        f"acknowledged and lost: {len(lost)}",
        f"- PostgreSQL down (pg_ctl restart -m immediate, until it accepts connections): {down}",
        f"- failed while it was down: {len(load.errors) - len(late)} "
        f"({', '.join(sorted({e[2][:40] for e in load.errors})) or 'none'}); of those, sent "
        f"before a restart began (in a worker or gunicorn's queue): {load.in_flight_at_restart()}",
        f"- failed once it was back: {len(late)}"
        f" ({', '.join(sorted({what[:60] for what in late})) or 'none'})",
        "",
    ]
    print("\n".join(lines))
    RESULTS.mkdir(exist_ok=True)
    with (RESULTS / "pg-restart.md").open("a") as results:
        results.write("\n".join(lines) + "\n")
    if lost or late:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
