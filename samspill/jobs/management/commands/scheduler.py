"""`samspill scheduler`: enqueue the daily jobs at their time, resume tasks of dead workers and
deliver e-mail, in a loop (every 15 seconds), or once with --once (from cron, say).

Every worker does the same in a thread, so an installation with a worker needs no scheduler;
run one when the workers are started with --no-maintenance, or to keep daily jobs apart. Safe
to run twice: each daily job is enqueued once per day (a unique row), and the other steps take
each task and each e-mail with a row lock that skips what another process holds.
"""

import signal
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from samspill.jobs import services


class Command(BaseCommand):
    help = "Enqueue the daily jobs at their time, resume tasks of dead workers, send e-mail."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="One round, then exit.")
        parser.add_argument(
            "--interval",
            type=float,
            default=services.TICK.total_seconds(),
            help="Seconds between rounds (default: %(default)s).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.running = True

        def stop(signum: int, frame: FrameType | None) -> None:
            self.running = False

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        for job in services.daily_jobs():
            self.stdout.write(f"daily job {job['name']} at {job['at']:%H:%M}: {job['task']}")
        while True:
            done = services.maintenance_tick()
            if any(done.values()) or options["verbosity"] > 1:
                self.stdout.write(
                    f"resumed {done['resumed']} task(s), enqueued {done['scheduled']} daily "
                    f"job(s), sent {done['emailed']} e-mail(s)"
                )
            if options["once"]:
                return
            deadline = time.monotonic() + options["interval"]
            while self.running and time.monotonic() < deadline:
                time.sleep(0.5)
            if not self.running:
                return
            close_old_connections()  # as Django does between requests
