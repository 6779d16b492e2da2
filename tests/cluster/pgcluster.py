"""A throwaway PostgreSQL cluster: a primary, a streaming replica (`pg_basebackup -R`) and
PgBouncer in transaction mode, on free ports under a temporary directory.

Used by the cluster tests (tests/cluster) and the fault bench (bench/pg_restart.py). Run as
root (a CI container), the servers run as the `postgres` OS user, since initdb and PgBouncer
refuse root; otherwise as the current user.

    with Cluster.started(replica=True) as cluster:
        cluster.primary.url("samspill")   # postgres://postgres@127.0.0.1:PORT/samspill
"""

import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import psycopg

PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"


def pg_bindir() -> Path | None:
    """The newest PostgreSQL's binaries (PG_BINDIR to choose), or None when not installed."""
    candidates = [os.environ["PG_BINDIR"]] if os.environ.get("PG_BINDIR") else []
    candidates += sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda path: int(Path(path).parent.name),
        reverse=True,
    )
    for candidate in candidates:
        if all((Path(candidate) / tool).exists() for tool in ("initdb", "pg_ctl", "pg_basebackup")):
            return Path(candidate)
    return None


def pgbouncer_available() -> bool:
    return Path(PGBOUNCER).exists()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_server_user() -> dict[str, object]:
    """subprocess arguments that run a server as `postgres` when we are root."""
    if os.geteuid() != 0:
        return {}
    return {"user": "postgres", "group": "postgres", "extra_groups": []}


@dataclass
class Server:
    name: str
    datadir: Path
    port: int

    def url(self, dbname: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{dbname}"

    def connect(self, dbname: str = "postgres") -> psycopg.Connection:
        return psycopg.connect(self.url(dbname), autocommit=True, connect_timeout=5)


class Cluster:
    def __init__(self, root: Path, bindir: Path) -> None:
        self.root = root
        self.bindir = bindir
        self.primary = Server("primary", root / "primary", free_port())
        self.replica: Server | None = None
        self.bouncer_port: int | None = None
        self._bouncer: subprocess.Popen[bytes] | None = None

    @classmethod
    @contextmanager
    def started(cls, *, replica: bool = False, bouncer: bool = False) -> Iterator["Cluster"]:
        bindir = pg_bindir()
        if bindir is None:
            raise RuntimeError("No PostgreSQL binaries under /usr/lib/postgresql/*/bin.")
        root = Path(tempfile.mkdtemp(prefix="samspill-pg-"))
        if os.geteuid() == 0:
            shutil.chown(root, "postgres", "postgres")
        cluster = cls(root, bindir)
        try:
            cluster.start_primary()
            if replica:
                cluster.start_replica()
            if bouncer:
                cluster.start_bouncer()
            yield cluster
        finally:
            cluster.stop()
            shutil.rmtree(root, ignore_errors=True)

    def _run(self, tool: str, *args: str) -> None:
        result = subprocess.run(
            [str(self.bindir / tool), *args],
            cwd=self.root,
            capture_output=True,
            text=True,
            **_as_server_user(),  # type: ignore[call-overload]
        )
        if result.returncode != 0:
            raise RuntimeError(f"{tool} failed: {result.stdout}{result.stderr}")

    def _pg_ctl(self, server: Server, *args: str) -> None:
        self._run("pg_ctl", "-D", str(server.datadir), "-l", f"{server.datadir}.log", "-w", *args)

    def start_primary(self) -> None:
        self._run("initdb", "-D", str(self.primary.datadir), "-U", "postgres", "-A", "trust", "-N")
        settings = {
            "port": self.primary.port,
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{self.root}'",
            "max_connections": 200,
            "shared_buffers": "'64MB'",
            # A crash of PostgreSQL (what the tests do) keeps what it wrote to the OS; only a
            # crash of the machine needs fsync, and it would slow the tests on a loaded disk.
            "fsync": "off",
            "wal_level": "replica",
            "max_wal_senders": 5,
        }
        with (self.primary.datadir / "postgresql.conf").open("a") as conf:
            conf.writelines(f"{key} = {value}\n" for key, value in settings.items())
        self._pg_ctl(self.primary, "start")

    def start_replica(self) -> None:
        self.replica = Server("replica", self.root / "replica", free_port())
        self._run(
            "pg_basebackup",
            *("-h", "127.0.0.1", "-p", str(self.primary.port), "-U", "postgres"),
            *("-D", str(self.replica.datadir), "-R", "-X", "stream", "--checkpoint=fast"),
        )
        with (self.replica.datadir / "postgresql.conf").open("a") as conf:
            conf.write(f"port = {self.replica.port}\n")
        self._pg_ctl(self.replica, "start")

    def start_bouncer(self) -> None:
        """PgBouncer in transaction mode in front of the primary, every database."""
        self.bouncer_port = free_port()
        ini = self.root / "pgbouncer.ini"
        ini.write_text(
            "[databases]\n"
            f"* = host=127.0.0.1 port={self.primary.port}\n"
            "[pgbouncer]\n"
            f"listen_addr = 127.0.0.1\nlisten_port = {self.bouncer_port}\n"
            f"unix_socket_dir = {self.root}\n"
            "auth_type = trust\n"
            f"auth_file = {self.root / 'userlist.txt'}\n"
            "pool_mode = transaction\n"
            "default_pool_size = 10\nmax_client_conn = 500\n"
            f"logfile = {self.root / 'pgbouncer.log'}\n"
        )
        (self.root / "userlist.txt").write_text('"postgres" ""\n')
        if os.geteuid() == 0:
            for path in (ini, self.root / "userlist.txt"):
                shutil.chown(path, "postgres", "postgres")
        self._bouncer = subprocess.Popen(  # type: ignore[call-overload]
            [PGBOUNCER, "--quiet", str(ini)],
            cwd=self.root,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            **_as_server_user(),
        )
        self._wait_for(self.bouncer_url("postgres"))

    def bouncer_url(self, dbname: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.bouncer_port}/{dbname}"

    def _wait_for(self, url: str, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while True:
            try:
                psycopg.connect(url, connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def createdb(self, name: str) -> None:
        with self.primary.connect() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')

    def crash_restart(self) -> float:
        """Stop the primary as a crash would (`-m immediate`: no checkpoint, recovery from the
        WAL on start) and start it again; returns the seconds it was down."""
        began = time.monotonic()
        self._pg_ctl(self.primary, "-m", "immediate", "restart")
        return time.monotonic() - began

    def wait_replayed(self, seconds: float = 30) -> None:
        """Wait until the replica has replayed everything the primary has written."""
        assert self.replica is not None
        with self.primary.connect() as primary, self.replica.connect() as replica:
            lsn = primary.execute("SELECT pg_current_wal_lsn()").fetchone()[0]  # type: ignore[index]
            deadline = time.monotonic() + seconds
            while True:
                row = replica.execute(
                    "SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), %s) >= 0", [lsn]
                ).fetchone()
                if row and row[0]:
                    return
                if time.monotonic() > deadline:
                    raise TimeoutError("the replica did not catch up")
                time.sleep(0.05)

    def stop(self) -> None:
        if self._bouncer is not None:
            self._bouncer.send_signal(signal.SIGTERM)
            try:
                self._bouncer.wait(10)
            except subprocess.TimeoutExpired:
                self._bouncer.kill()
        for server in (self.replica, self.primary):
            if server is not None and (server.datadir / "postmaster.pid").exists():
                with suppress(RuntimeError):
                    self._pg_ctl(server, "-m", "immediate", "stop")
