"""Mixed pages and API calls against `samspill serve` on the seeded PostgreSQL database.

    createdb -h 127.0.0.1 -U postgres samspill_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/samspill_bench .venv/bin/python -m bench.seed
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/samspill_bench \\
        .venv/bin/python -m bench.load [--threads 12] [--seconds 60] [--users 20]

Target on 2 cores: at least 100 requests/s at a p95 of at most 250 ms, and no errors.

1. --users counselors of the big organisation get an API token and a signed-in session (made
   through the services, written to the bench database), with the ids of their participants.
2. `samspill serve` starts with DEBUG off and WEB_CONCURRENCY workers (2 x CPUs + 1 unless set).
3. --threads client threads, each as one of the counselors, send for --seconds (after a few
   seconds of warm-up) a mix of what a counselor's day looks like:
   - 30 % the caseload page (HTML, their own participants, counts and first page);
   - 25 % a participant's page (HTML; the read is access-logged, a write);
   - 30 % the participant list of the API (25 a page);
   - 15 % a participant of the API (access-logged).
   The client threads run on the same machine and take CPU from the server: the numbers are a
   floor.
4. Printed and appended to bench/results/load.md: requests/s, p50/p95/p99 overall and per kind,
   errors by status.
"""

import argparse
import http.client
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"


@dataclass
class Caller:
    token: str
    session: str
    participants: list[int]


@dataclass
class Tally:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)


def callers(count: int) -> list[Caller]:
    """Counselors of the biggest organisation, each with a token, a session and participants."""
    from django.db.models import Count
    from django.test import Client

    from samspill.accounts.auth import api_token_create
    from samspill.organisations.models import Membership, Organisation
    from samspill.participants.models import Participant

    big = Organisation.objects.annotate(n=Count("participants")).order_by("-n").first()
    assert big is not None, "seed the bench database first (bench.seed)"
    memberships = Membership.objects.filter(
        organisation=big, role=Membership.Role.COUNSELOR, is_active=True
    ).select_related("user")[:count]
    found = []
    for membership in memberships:
        user = membership.user
        _token, key = api_token_create(user=user, name="bench.load")
        client = Client()
        client.force_login(user)
        ids = list(Participant.objects.filter(counselor=user).values_list("pk", flat=True)[:50])
        if ids:
            found.append(Caller(key, client.cookies["sessionid"].value, ids))
    return found


def request(base: str, kind: str, caller: Caller) -> urllib.request.Request:
    participant = random.choice(caller.participants)
    if kind == "caseload":
        url, auth = f"{base}/participants/", "session"
    elif kind == "participant":
        url, auth = f"{base}/participants/{participant}/", "session"
    elif kind == "api list":
        url, auth = f"{base}/api/v1/participants?limit=25", "token"
    else:
        url, auth = f"{base}/api/v1/participants/{participant}", "token"
    headers = (
        {"Cookie": f"sessionid={caller.session}"}
        if auth == "session"
        else {"Authorization": f"Bearer {caller.token}"}
    )
    return urllib.request.Request(url, headers=headers)


KINDS = ["caseload", "participant", "api list", "api participant"]
WEIGHTS = [30, 25, 30, 15]


def run(base: str, people: list[Caller], threads: int, seconds: float, warmup: float) -> Tally:
    tally = Tally()
    start = time.monotonic()
    stop_at = start + warmup + seconds

    def client(number: int) -> None:
        caller = people[number % len(people)]
        while time.monotonic() < stop_at:
            kind = random.choices(KINDS, WEIGHTS)[0]
            began = time.monotonic()
            try:
                with urllib.request.urlopen(request(base, kind, caller), timeout=30) as answer:
                    answer.read()
                    status = answer.status
            except urllib.error.HTTPError as error:
                status = error.code
            except (OSError, http.client.HTTPException) as error:
                status = 0
                kind = f"{kind} ({type(error).__name__})"
            took = time.monotonic() - began
            if began < start + warmup:
                continue
            with tally.lock:
                if status == 200:
                    tally.times[kind].append(took)
                else:
                    tally.errors[f"{kind}: {status}"] += 1

    workers = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return tally


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=12)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--port", type=int, default=8199)
    args = parser.parse_args()
    from bench import env

    url = env.setup()
    from django.conf import settings

    people = callers(args.users)
    server_env = {**os.environ, "DATABASE_URL": url, "DEBUG": "0", "LOG_LEVEL": "WARNING"}
    server_env.pop("PYTEST_VERSION", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "samspill.cli", "serve", "--bind", f"127.0.0.1:{args.port}"],
        cwd=REPO,
        env=server_env,
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _attempt in range(300):
            try:
                with urllib.request.urlopen(f"{base}/readyz", timeout=5):
                    break
            except OSError:  # not listening yet, or too busy starting to answer
                time.sleep(0.2)
        tally = run(base, people, args.threads, args.seconds, args.warmup)
    finally:
        server.terminate()
        server.wait(60)
    every = [t for times in tally.times.values() for t in times]
    done = len(every)
    errors = sum(tally.errors.values())
    workers = os.environ.get("WEB_CONCURRENCY") or f"{2 * (os.cpu_count() or 1) + 1}"
    lines = [
        f"## {time.strftime('%Y-%m-%d %H:%M')} — {args.threads} client threads, "
        f"{args.seconds:g} s, {workers} gunicorn workers, {os.cpu_count()} CPUs, "
        f"load average before {os.getloadavg()[0]:.1f}",
        "",
        f"- {done / args.seconds:.1f} requests/s; p50 {statistics.median(every) * 1000:.0f} ms, "
        f"p95 {percentile(every, 0.95):.0f} ms, p99 {percentile(every, 0.99):.0f} ms; "
        f"errors: {errors} {dict(tally.errors) or ''}",
        "",
        "| kind | requests | p50 | p95 |",
        "|---|---:|---:|---:|",
        *(
            f"| {kind} | {len(times)} | {statistics.median(times) * 1000:.0f} ms | "
            f"{percentile(times, 0.95):.0f} ms |"
            for kind, times in sorted(tally.times.items())
        ),
        "",
        f"Database: {settings.DATABASES['default']['NAME']}.",
        "",
    ]
    print("\n".join(lines))
    RESULTS.mkdir(exist_ok=True)
    with (RESULTS / "load.md").open("a") as results:
        results.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
