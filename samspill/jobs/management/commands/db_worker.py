"""`samspill db_worker`: django-tasks-db's worker with a lease and the maintenance tick
(samspill/jobs/worker.py). It takes this name so that every existing way of starting a worker
gets it; the options are django-tasks-db's, plus --no-maintenance."""

import os
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from samspill.jobs.worker import LeasedWorker


class Command(db_worker.Command):
    help = (
        "Run a database background worker that holds a lease (its task is resumed elsewhere "
        "if it dies), resumes tasks of dead workers, enqueues the daily jobs and sends e-mail."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--no-maintenance",
            action="store_false",
            dest="maintenance",
            help="Only run tasks: leave resuming, daily jobs and e-mail to `samspill scheduler`.",
        )

    def handle(  # type: ignore[override]
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        maintenance: bool = True,
        **options: Any,
    ) -> None:
        self.configure_logging(verbosity)
        if reload and batch:
            reload = False
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = LeasedWorker(
            maintenance=maintenance,
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
