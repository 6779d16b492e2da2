"""Helpers for tests that start Samspill's processes as an operator does (samspill serve,
deploy/entrypoint.sh): a production environment, a free port, a copy of the test database."""

import os
import secrets
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.db import connection

REPO = Path(settings.REPO_DIR)
BOOT_WAIT = 90  # seconds (collectstatic first, on a loaded machine); a crash fails at once


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
        copy = sqlite3.connect(path)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
        return f"sqlite:///{path}"
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return (
        f"postgres://{quote(db['USER'])}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    )
