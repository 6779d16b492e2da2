"""`samspill serve` as an operator runs it: DEBUG off, a migrated database, gunicorn on a free
port, static files from WhiteNoise. One server for the module (it takes a few seconds), on a copy of the suite's test database.
"""

import gzip
import json
import os
import re
import secrets
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

REPO = Path(settings.REPO_DIR)
# The suite's test database is set up only for a session with a test that asks for one.
pytestmark = pytest.mark.django_db
BOOT_WAIT = 20  # seconds; a broken server fails the test instead of hanging it


def production_env(tmp: Path, **extra: str) -> dict[str, str]:
    """The environment of a production process: no pytest marker (it would give the process a
    throwaway key and plain static storage), DEBUG off, its own database and static root."""
    env = {key: value for key, value in os.environ.items() if key != "PYTEST_VERSION"}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
        STATIC_ROOT=str(tmp / "static"),
        MEDIA_ROOT=str(tmp / "media"),
        PYTHONPATH=str(REPO),
        LOG_FORMAT="json",
    )
    env.pop("EMAIL_BACKEND", None)
    env.update(extra)
    return env


def samspill(
    *args: str, env: dict[str, str], timeout: int = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def wait_until_up(url: str, process: subprocess.Popen[Any]) -> None:
    deadline = time.monotonic() + BOOT_WAIT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"samspill serve exited with {process.returncode}")
        try:
            if fetch(url)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"samspill serve did not answer {url} within {BOOT_WAIT} s")


def copy_of_test_database(tmp: Path) -> str:
    """A migrated database for the server, without the seconds `migrate` takes: on SQLite a copy
    of the suite's test database in a file of its own; on PostgreSQL the test database itself
    (the server only reads)."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        path = tmp / "db.sqlite3"
        with sqlite3.connect(path) as copy:
            connection.connection.backup(copy)
        return f"sqlite:///{path}"
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return (
        f"postgres://{quote(db['USER'])}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    )


class Server:
    def __init__(self, base: str, tmp: Path, log: Path) -> None:
        self.base, self.tmp, self.log = base, tmp, log


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, django_db_setup: None, django_db_blocker: Any
) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("serve")
    with django_db_blocker.unblock():
        database_url = copy_of_test_database(tmp)
    env = production_env(tmp, DATABASE_URL=database_url)
    port = free_port()
    log = tmp / "serve.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [
                *(sys.executable, str(REPO / "manage.py"), "serve"),
                *("--bind", f"127.0.0.1:{port}", "--workers", "1"),
            ],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", process)
        yield Server(f"http://127.0.0.1:{port}", tmp, log)
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_it_serves_a_page_with_debug_off(server: Server) -> None:
    status, headers, body = fetch(f"{server.base}/login/")
    assert status == 200
    assert headers["Server"].startswith("gunicorn")
    assert b"<form" in body


def test_it_collects_and_serves_hashed_compressed_static_files(server: Server) -> None:
    _, _, page = fetch(f"{server.base}/login/")
    stylesheet = re.search(rb'href="(/static/samspill/samspill\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, "the page links the stylesheet by its hashed name"
    url = server.base + stylesheet.group(1).decode()

    status, headers, body = fetch(url, {"Accept-Encoding": "gzip"})

    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "immutable" in headers["Cache-Control"]
    assert b".wrap" in gzip.decompress(body)
    assert (server.tmp / "static" / "staticfiles.json").exists()


def test_it_answers_the_probes(server: Server) -> None:
    assert fetch(f"{server.base}/healthz")[0] == 200
    status, _, body = fetch(f"{server.base}/readyz")
    assert status == 200, body
    assert json.loads(body)["checks"] == {"database": "ok", "migrations": "ok"}


def test_it_answers_an_unknown_page_with_the_layout_and_the_api_in_json(server: Server) -> None:
    status, _, body = fetch(f"{server.base}/no-such-page/")
    assert status == 404
    assert b"<html" in body and b"samspill" in body.lower()

    status, headers, body = fetch(f"{server.base}/api/v1/no-such-route")
    assert status == 404
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body)["detail"]


def test_it_writes_one_json_line_per_request(server: Server) -> None:
    fetch(f"{server.base}/login/?q=Kari+Nordmann", {"X-Request-ID": "probe-123"})
    time.sleep(0.3)
    lines = [
        json.loads(line) for line in server.log.read_text().splitlines() if line.startswith("{")
    ]
    [line] = [line for line in lines if line.get("request_id") == "probe-123"]
    assert line["status"] == 200
    assert line["path"] == "/login/"
    assert line["duration_ms"] >= 0
    assert "user_id" in line
    assert "Nordmann" not in server.log.read_text()  # the query string is never logged


@pytest.mark.parametrize(
    "secret_key", ["", "dev-only-insecure-key-change-me-in-production-0123456789"]
)
def test_it_refuses_to_start_without_a_secret_key(tmp_path: Path, secret_key: str) -> None:
    result = samspill("serve", env=production_env(tmp_path, SECRET_KEY=secret_key), timeout=30)

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr
