"""`samspill serve`: the production server, gunicorn with Samspill's WSGI application.

    samspill serve [--bind 0.0.0.0:8000] [--workers N] [--timeout 60]

The bind address is $PORT's (0.0.0.0:$PORT) when set, the workers WEB_CONCURRENCY's (2 x CPUs
+ 1 otherwise). Static files come from the same process (WhiteNoise); when STATIC_ROOT holds
no manifest yet, they are collected first. Gunicorn replaces this process (exec), so a
container's stop signal reaches it directly: SIGTERM finishes the requests in flight.
"""

import os
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser


def default_workers() -> int:
    return int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1) + 1)


def default_bind() -> str:
    return f"0.0.0.0:{os.environ.get('PORT') or 8000}"


class Command(BaseCommand):
    help = "Run the production web server (gunicorn) with static files (WhiteNoise)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind", default=default_bind(), help="host:port (default %(default)s)"
        )
        parser.add_argument("--workers", type=int, default=default_workers())
        parser.add_argument(
            "--timeout",
            type=int,
            default=int(os.environ.get("WEB_TIMEOUT", "60")),
            help="seconds before a silent worker is restarted (a PDF takes a few)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.DEBUG:
            self.stderr.write(
                "DEBUG is on: debug pages show settings and code. Set DEBUG=0 in production."
            )
        if options["workers"] < 1:
            raise CommandError("--workers (WEB_CONCURRENCY) must be at least 1.")
        manifest = getattr(staticfiles_storage, "manifest_name", None)
        if manifest and not (Path(settings.STATIC_ROOT) / manifest).exists():
            self.stdout.write(f"Collecting static files into {settings.STATIC_ROOT}")
            call_command("collectstatic", interactive=False, verbosity=0)
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "samspill.wsgi:application",
            "--bind",
            options["bind"],
            "--workers",
            str(options["workers"]),
            "--timeout",
            str(options["timeout"]),
            "--graceful-timeout",
            "30",
            # Logs go to stderr; Samspill writes one line per request itself (request id,
            # user id, status, duration), so gunicorn's access log stays off.
            "--error-logfile",
            "-",
            "--log-level",
            os.environ.get("LOG_LEVEL", "info").lower(),
            # Two servers on one machine would share its path; Samspill does not use it.
            "--no-control-socket",
            # Worker heartbeats in memory, not on a disk that may be slow or read-only.
            "--worker-tmp-dir",
            "/dev/shm" if os.path.isdir("/dev/shm") else "/tmp",
        ]
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(sys.executable, argv)
