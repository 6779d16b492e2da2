"""One throwaway PostgreSQL cluster for the cluster tests (tests/cluster/pgcluster.py): a
primary, a streaming replica and PgBouncer, migrated once; each test gets a database of its
own, copied from the migrated one (CREATE DATABASE ... TEMPLATE: a file copy, replicated too).

Samspill runs in processes of its own (`samspill serve`, `samspill db_worker`, the steps of
tests/cluster/scenarios.py), configured by their environment as an operator's would be.
"""

import itertools
import json
import os
import secrets
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cluster.pgcluster import Cluster, free_port, pg_bindir, pgbouncer_available

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = "samspill_template"
_names = itertools.count()


def samspill_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a production process (DEBUG off), without pytest's marks: Samspill's
    settings treat a process with PYTEST_VERSION as the test suite."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("PYTEST_") and key not in {"DATABASE_REPLICA_URL", "DATABASE_POOLED"}
    }
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=database_url,
        LOG_LEVEL="WARNING",
        SECURE_COOKIES="0",
        # The stand-in relay of the benchmarks: writes each accepted e-mail to EMAIL_FILE_PATH.
        PYTHONPATH=f"{REPO}{os.pathsep}{REPO / 'bench'}",
        EMAIL_BACKEND="slow_relay.SlowRelay",
        SLOW_RELAY_SECONDS="0.01",
    )
    env.update(extra)
    return env


def scenario(step: str, *args: str, env: dict[str, str]) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "tests.cluster.scenarios", step, *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "samspill.cli", *command],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def serve(env: dict[str, str], log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """`samspill serve` with one gunicorn worker on a free port, once /readyz answers 200."""
    port = free_port()
    process = start(["serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"], env, log)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(f"{base}/readyz", timeout=5) as response:
                if response.status == 200:
                    return process, base
        except OSError:  # not listening yet, or too busy starting to answer
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"samspill serve did not get ready: {log.read_text()[-3000:]}")
        time.sleep(0.2)


def stop(*processes: subprocess.Popen[bytes]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    if pg_bindir() is None:
        pytest.skip("no PostgreSQL binaries under /usr/lib/postgresql/*/bin")
    with Cluster.started(replica=True, bouncer=pgbouncer_available()) as started:
        started.createdb(TEMPLATE)
        subprocess.run(
            [sys.executable, "-m", "samspill.cli", "migrate", "--verbosity", "0"],
            cwd=REPO,
            env=samspill_env(started.primary.url(TEMPLATE)),
            check=True,
        )
        yield started


@pytest.fixture(scope="session")
def seeded(cluster: Cluster) -> dict:
    """30 counselors with a reminder due and an API token, in the template: in every test's
    database (scenarios.seed)."""
    return scenario("seed", "--users", "30", env=samspill_env(cluster.primary.url(TEMPLATE)))


@pytest.fixture
def database(cluster: Cluster, seeded: dict) -> str:
    """A migrated database of the test's own on the cluster; its name."""
    name = f"samspill_{next(_names)}"
    with cluster.primary.connect() as conn:
        # FILE_COPY, not PostgreSQL 15's default WAL_LOG. A WAL_LOG copy carries the
        # template's sequences with their pre-logged count ("log_cnt") and a fresh page LSN, so
        # nextval() hands out the next values without writing WAL (checked: log_cnt 28 -> 27
        # after one call, where FILE_COPY logs, 28 -> 32). A crash then replays a sequence
        # back to the template's value, and the next inserts meet "duplicate key" (the crash
        # test met 6: audit ids 122-127). FILE_COPY checkpoints, so the first nextval() logs.
        # Only a database copied from a template has this, never the bench's or an operator's.
        strategy = " STRATEGY FILE_COPY" if conn.info.server_version >= 150000 else ""
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE}"{strategy}')
    if cluster.replica is not None:
        # The replica must have replayed the copy before a test connects to it there (a
        # loaded machine met "database samspill_0 does not exist" on the replica).
        cluster.wait_replayed()
    return name
