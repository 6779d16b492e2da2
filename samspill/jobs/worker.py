"""The database worker of django-tasks-db with a lease and the maintenance tick (services.py).

Two daemon threads run beside the worker's loop, each on its own database connection: one
renews the lease every HEARTBEAT, one runs `maintenance_tick` every TICK (slow SMTP in the
outbox never delays the lease). They die with the process, which is the point: a worker killed
with SIGKILL stops renewing, and its task is resumed elsewhere once the lease expires.
"""

import logging
import threading
from collections.abc import Callable

from django.db import close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Worker

from samspill.jobs import services

logger = logging.getLogger(__name__)


def _every(seconds: float, step: Callable[[], object], stop: threading.Event) -> None:
    try:
        while not stop.is_set():
            close_old_connections()
            try:
                step()
            except Exception:
                logger.exception("worker thread: %s failed", getattr(step, "__name__", step))
            stop.wait(seconds)
    finally:
        connection.close()


class LeasedWorker(Worker):
    """django-tasks-db's Worker, holding a lease while it runs."""

    def __init__(self, *, maintenance: bool = True, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.maintenance = maintenance
        self.stop_threads = threading.Event()

    def run(self) -> None:
        services.lease_renew(worker_id=self.worker_id)
        threads = [
            threading.Thread(
                target=_every,
                args=(
                    services.HEARTBEAT.total_seconds(),
                    lambda: services.lease_renew(worker_id=self.worker_id),
                    self.stop_threads,
                ),
                name="samspill-lease",
                daemon=True,
            )
        ]
        if self.maintenance:
            threads.append(
                threading.Thread(
                    target=_every,
                    args=(
                        services.TICK.total_seconds(),
                        services.maintenance_tick,
                        self.stop_threads,
                    ),
                    name="samspill-maintenance",
                    daemon=True,
                )
            )
        for thread in threads:
            thread.start()
        try:
            super().run()
        finally:
            self.stop_threads.set()
            for thread in threads:
                thread.join(timeout=5)
            services.lease_release(worker_id=self.worker_id)
