"""Background work that survives crashes, on top of django-tasks' database backend.

django-tasks-db claims a task by setting it RUNNING, then runs it; if the worker dies, nothing
ever looks at that task again. Here each worker holds a lease (`WorkerLease`), renewed every
HEARTBEAT by a thread of its own (so a long task does not stop it). `tasks_resume_stale` gives
a task RUNNING on a worker whose lease has expired back to the queue (READY), so another worker
(or the same one restarted) runs it again; after MAX_RUNS runs it is marked FAILED instead,
since a task that kills its worker every time must not loop forever. Tasks are therefore run
at least once: every task of ours is safe to run again (reminders and digests are unique per
key and day, e-mail goes through the outbox, an analysis is recomputed).

The daily jobs (settings.SAMSPILL_DAILY_JOBS) are enqueued by `daily_runs_schedule`, once per
job and day through a unique `DailyRun` row written in the same transaction as the task.

`maintenance_tick` does all three plus the outbox; every worker runs it in a thread, and
`samspill scheduler` runs it in a loop for installations that want it apart from the workers.
Each step is safe to run in several processes at once.
"""

import datetime
import logging
import os
import socket
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from samspill.jobs.models import DailyRun, WorkerLease
from samspill.outbox.services import outbox_deliver_due

logger = logging.getLogger(__name__)

# A worker not seen for this long is dead: its running task goes back to the queue
# (WORKER_LEASE_SECONDS, 30 unless set; the cluster tests use a few seconds).
LEASE = datetime.timedelta(seconds=settings.SAMSPILL_WORKER_LEASE_SECONDS)
HEARTBEAT = LEASE / 6
# How often a worker (or the scheduler) resumes, schedules and delivers e-mail.
TICK = min(datetime.timedelta(seconds=15), LEASE / 2)
# A task is run at most this many times (the first run and the resumed ones).
MAX_RUNS = 3
WORKER_LOST = "samspill.jobs.WorkerLost"


# Leases -------------------------------------------------------------------------------------


def lease_renew(*, worker_id: str) -> None:
    WorkerLease.objects.update_or_create(
        worker_id=worker_id,
        defaults={"seen_at": timezone.now(), "hostname": socket.gethostname(), "pid": os.getpid()},
    )


def lease_release(*, worker_id: str) -> None:
    """A worker that stops cleanly gives its lease up (its task, if any, has finished)."""
    WorkerLease.objects.filter(worker_id=worker_id).delete()


def tasks_resume_stale(*, now: datetime.datetime | None = None) -> int:
    """Give tasks whose worker died back to the queue; returns how many were resumed or, after
    MAX_RUNS, failed."""
    now = now or timezone.now()
    expired = now - LEASE
    live = set(WorkerLease.objects.filter(seen_at__gte=expired).values_list("worker_id", flat=True))
    handled = 0
    # started_at: a task claimed a moment ago by a worker whose lease row is not written yet.
    candidates = DBTaskResult.objects.running().filter(started_at__lt=expired)
    for pk, worker_ids in candidates.values_list("pk", "worker_ids"):
        if worker_ids and worker_ids[-1] in live:
            continue
        with transaction.atomic():
            task = (
                DBTaskResult.objects.running()
                .select_for_update(skip_locked=True)
                .filter(pk=pk, started_at__lt=expired)
                .first()
            )
            if task is None:
                continue
            if len(task.worker_ids) >= MAX_RUNS:
                task.status = TaskResultStatus.FAILED
                task.finished_at = now
                task.exception_class_path = WORKER_LOST
                task.traceback = (
                    f"The worker died during each of {len(task.worker_ids)} runs "
                    f"({', '.join(task.worker_ids)}); not resumed again."
                )
                task.save(
                    update_fields=["status", "finished_at", "exception_class_path", "traceback"]
                )
                logger.error("task %s failed: its worker died %s times", pk, len(task.worker_ids))
            else:
                task.status = TaskResultStatus.READY
                task.started_at = None
                task.save(update_fields=["status", "started_at"])
                logger.warning("task %s resumed: worker %s died", pk, task.worker_ids[-1:])
            handled += 1
    return handled


# Enqueueing ---------------------------------------------------------------------------------


def enqueue_in_transaction(task: Any, *args: Any, **kwargs: Any) -> str | None:
    """Enqueue `task` as part of the current transaction when the backend keeps tasks in this
    database (the change and its task commit together, or neither); after commit otherwise
    (e.g. the ImmediateBackend of `make run`). Returns the task's id when it is known."""
    if isinstance(task.get_backend(), DatabaseBackend):
        return str(task.enqueue(*args, **kwargs).id)
    transaction.on_commit(lambda: task.enqueue(*args, **kwargs))
    return None


# Daily jobs ---------------------------------------------------------------------------------


def daily_jobs() -> list[dict[str, Any]]:
    """settings.SAMSPILL_DAILY_JOBS: name, task (dotted path) and local time "HH:MM"."""
    jobs = []
    for job in getattr(settings, "SAMSPILL_DAILY_JOBS", []):
        at = datetime.time.fromisoformat(job["at"])
        jobs.append({**job, "at": at})
    return jobs


def daily_runs_schedule(*, now: datetime.datetime | None = None) -> list[str]:
    """Enqueue each daily job whose time has come today and that is not enqueued for today
    yet; returns the names enqueued. Safe to run in several processes at once: the second
    insert of (job, day) fails and enqueues nothing. A scheduler down at the hour catches up
    when it starts again, the same day; a day missed entirely is not run twice the next day."""
    local = timezone.localtime(now or timezone.now())
    enqueued = []
    for job in daily_jobs():
        if local.time() < job["at"]:
            continue
        if DailyRun.objects.filter(name=job["name"], day=local.date()).exists():
            continue
        try:
            with transaction.atomic():
                run = DailyRun.objects.create(name=job["name"], day=local.date())
                task_id = enqueue_in_transaction(import_string(job["task"]))
                if task_id:
                    run.task_id = task_id
                    run.save(update_fields=["task_id"])
        except IntegrityError:
            continue  # another scheduler enqueued it
        logger.info("daily job %s enqueued for %s", job["name"], local.date())
        enqueued.append(job["name"])
    return enqueued


# The tick -----------------------------------------------------------------------------------


def maintenance_tick() -> dict[str, int]:
    """Resume tasks of dead workers, enqueue the daily jobs due, deliver due e-mail. Each step
    runs even when another fails (its error is logged)."""
    done = {"resumed": 0, "scheduled": 0, "emailed": 0}
    steps = [
        ("resumed", tasks_resume_stale),
        ("scheduled", lambda: len(daily_runs_schedule())),
        ("emailed", outbox_deliver_due),
    ]
    for name, step in steps:
        try:
            done[name] = step()
        except Exception:
            logger.exception("background maintenance: %s failed", name)
    return done
