"""Samspill scaled out on a real PostgreSQL cluster (conftest.py): a streaming replica, several
web processes and workers, PgBouncer, a crashed database and a killed worker.

Run with `make test-cluster` (part of `make test`); the marker keeps them out of the plain
`pytest` run, which has a database of its own.
"""

import json
import signal
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import psycopg
import pytest

from bench.pg_restart import employer_body, missing, write_load
from tests.cluster.conftest import samspill_env, scenario, serve, start, stop
from tests.cluster.pgcluster import Cluster, pgbouncer_available

pytestmark = pytest.mark.cluster


def accepted(mail_dir: Path) -> Counter[str]:
    """How many e-mails the stand-in relay accepted for each address."""
    return Counter(
        line.removeprefix("To: ").strip()
        for path in mail_dir.glob("*")
        for line in path.read_text(errors="replace").splitlines()
        if line.startswith("To: ")
    )


def wait_until(check, seconds: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds} s: {what}")
        time.sleep(0.2)


def one_value(url: str, sql: str) -> object:
    with psycopg.connect(url) as conn:
        row = conn.execute(sql).fetchone()
    assert row is not None
    return row[0]


def worker(name: str, env: dict[str, str], log: Path):  # type: ignore[no-untyped-def]
    command = ["db_worker", "--no-startup-delay", "--no-reload", "--interval", "0.2"]
    return start([*command, "--worker-id", name], env, log)


def test_the_replica_serves_the_marked_reads_and_never_a_write(cluster: Cluster, database: str):
    assert cluster.replica is not None
    env = samspill_env(
        cluster.primary.url(database), DATABASE_REPLICA_URL=cluster.replica.url(database)
    )

    result = scenario("replica_route", env=env)

    assert result == {
        "replica_configured": True,
        # Replay paused: the participant written since is on the primary only.
        "replica_count_paused": 3,
        "primary_count": 4,
        "caseload_status": 200,
        "caseload_counts_paused": 3,
        # Replayed: the counts have it.
        "caseload_counts_replayed": 4,
    }


def test_two_web_processes_and_two_workers_do_each_thing_once(
    cluster: Cluster, database: str, seeded: dict, tmp_path: Path
):
    url = cluster.primary.url(database)
    mail = tmp_path / "mail"
    mail.mkdir()
    # The daily reminder run is due at once; both workers' schedulers try to enqueue it.
    env = samspill_env(url, REMINDERS_AT="00:00", EMAIL_FILE_PATH=str(mail))
    log = tmp_path / "processes.log"
    workers = [worker(f"w{n}", env, log) for n in (1, 2)]
    servers = [serve(env, log) for _n in (1, 2)]
    try:
        # The same API write with one Idempotency-Key at both web processes at once.
        body = employer_body("Dobbel AS", seeded["counselor"])
        statuses: list[int] = []

        def post(base: str) -> None:
            request = urllib.request.Request(
                f"{base}/api/v1/employers",
                data=body,
                method="POST",
                headers={
                    "Authorization": f"Bearer {seeded['token']}",
                    "Content-Type": "application/json",
                    "Idempotency-Key": "dobbel-1",
                },
            )
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    statuses.append(response.status)
            except urllib.error.HTTPError as error:
                statuses.append(error.code)

        posts = [threading.Thread(target=post, args=(servers[n % 2][1],)) for n in range(6)]
        for thread in posts:
            thread.start()
        for thread in posts:
            thread.join()

        def all_sent() -> bool:
            return sum(accepted(mail).values()) >= len(seeded["emails"])

        wait_until(all_sent, 90, "every reminder digest sent")
        time.sleep(1)  # a second digest, were one sent, would arrive now
    finally:
        stop(*workers, *(process for process, _base in servers))

    assert set(statuses) <= {201, 409}, statuses  # 409: the first is still running
    assert one_value(url, "SELECT count(*) FROM employers_employer WHERE name = 'Dobbel AS'") == 1
    # The reminders' run, once; after 22:30 local time the night's retention run is there too.
    reminder_runs = "SELECT count(*) FROM jobs_dailyrun WHERE name = 'reminders'"
    assert one_value(url, reminder_runs) == 1
    reminder_tasks = (
        "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE task_path LIKE '%reminders'"
    )
    assert one_value(url, reminder_tasks) == 1
    assert accepted(mail) == Counter(dict.fromkeys(seeded["emails"], 1))


def test_a_database_crashed_twice_under_writes_loses_nothing_and_fails_nothing_once_back(
    cluster: Cluster, database: str, seeded: dict, tmp_path: Path
):
    url = cluster.primary.url(database)
    env = samspill_env(url)
    server, base = serve(env, tmp_path / "serve.log")
    try:
        # Two crashes in a row: requests waiting in gunicorn's queue when the second began
        # were once counted against the first's recovery (bench/README.md).
        load = write_load(
            bases=[base],
            token=seeded["token"],
            contact_person=seeded["counselor"],
            restart=cluster.crash_restart,
            threads=3,
            before=1.5,
            after=2.5,
            restarts=2,
            at_least=5,
        )
    finally:
        stop(server)

    assert len(load.acknowledged) >= 15
    assert missing(url, load.acknowledged) == []
    assert load.errors_after_back() == []
    # Writing went on after each crash.
    for _began, ended in load.down:
        assert sum(1 for t in load.success_times if t > ended) >= 5
    # While it was down: 503s (Retry-After), never a 500.
    assert {what.split()[0] for _s, _f, what in load.errors} <= {"503"}


def test_a_worker_killed_mid_run_is_resumed_and_sends_each_email_once(
    cluster: Cluster, database: str, seeded: dict, tmp_path: Path
):
    url = cluster.primary.url(database)
    mail = tmp_path / "mail"
    mail.mkdir()
    env = samspill_env(
        url,
        REMINDERS_AT="00:00",
        EMAIL_FILE_PATH=str(mail),
        SLOW_RELAY_SECONDS="0.1",
        WORKER_LEASE_SECONDS="2",
    )
    log = tmp_path / "workers.log"
    first = worker("first", env, log)
    try:
        wait_until(lambda: sum(accepted(mail).values()) >= 5, 60, "the first digests sent")
        first.send_signal(signal.SIGKILL)
        first.wait()
        killed = time.monotonic()
        second = worker("second", env, log)
        try:
            task_done = (
                "SELECT count(*) FROM django_tasks_database_dbtaskresult "
                "WHERE task_path LIKE '%reminders' AND status = 'SUCCESSFUL'"
            )
            wait_until(lambda: one_value(url, task_done) == 1, 60, "the task finished again")
            resumed = time.monotonic() - killed
            pending = "SELECT count(*) FROM outbox_message WHERE status = 'pending'"
            wait_until(lambda: one_value(url, pending) == 0, 30, "the outbox emptied")
        finally:
            stop(second)
    finally:
        stop(first)

    assert resumed < 60  # the lease is 2 s; the rest is a loaded machine
    with psycopg.connect(url) as conn:
        in_doubt = [
            json.loads(row[0]) if isinstance(row[0], str) else row[0]
            for row in conn.execute("SELECT \"to\" FROM outbox_message WHERE status = 'sending'")
        ]
    # The message the first worker was handing to the relay when it died is left in doubt
    # (docs/operations.md: never sent twice by itself); every other user got exactly one.
    assert len(in_doubt) <= 1
    doubtful = {address for to in in_doubt for address in to}
    counts = accepted(mail)
    assert all(counts[email] == 1 for email in seeded["emails"] if email not in doubtful), counts
    assert all(counts[email] <= 1 for email in doubtful)


@pytest.mark.skipif(not pgbouncer_available(), reason="pgbouncer is not installed")
def test_pages_api_and_workers_run_through_pgbouncer_in_transaction_mode(
    cluster: Cluster, database: str, seeded: dict, tmp_path: Path
):
    mail = tmp_path / "mail"
    mail.mkdir()
    env = samspill_env(
        cluster.bouncer_url(database),
        DATABASE_POOLED="1",
        REMINDERS_AT="00:00",
        EMAIL_FILE_PATH=str(mail),
    )
    log = tmp_path / "processes.log"
    server, base = serve(env, log)
    runner = worker("pooled", env, log)
    try:
        request = urllib.request.Request(
            f"{base}/api/v1/employers?limit=100",
            headers={"Authorization": f"Bearer {seeded['token']}"},
        )
        for _round in range(20):  # more than psycopg's threshold for preparing a statement
            with urllib.request.urlopen(request, timeout=30) as response:
                assert response.status == 200
        wait_until(
            lambda: sum(accepted(mail).values()) >= 30, 90, "the digests sent through PgBouncer"
        )
    finally:
        stop(server, runner)

    assert accepted(mail) == Counter(dict.fromkeys(seeded["emails"], 1))
    assert "Traceback" not in log.read_text()
