"""`samspill serve` as an operator runs it: DEBUG off, a migrated database, gunicorn on a free
port, static files from WhiteNoise. One server for the module (it takes a few seconds), on a
copy of the suite's test database."""

import gzip
import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from samspill.core.tests.serving import (
    REPO,
    copy_of_test_database,
    fetch,
    free_port,
    production_env,
    samspill,
    wait_until_up,
)

# The suite's test database is set up only for a session with a test that asks for one.
pytestmark = pytest.mark.django_db


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
    # A platform's probe names the instance's address, which ALLOWED_HOSTS does not list.
    pod = {"Host": "10.1.2.3:8000"}
    assert fetch(f"{server.base}/readyz", pod)[0] == 200
    assert fetch(f"{server.base}/login/", pod)[0] == 400


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
