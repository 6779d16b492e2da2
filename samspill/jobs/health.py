"""Is background work healthy? `task_problems()` answers in plain sentences for an operator:
an empty list when all is well. `samspill tasks_health` prints them (exit status 1 when there
are any), and a readiness check or a metric can call the function: it makes a handful of
cheap queries and needs no worker to be running. It raises if the database is unreachable
(the caller's database check reports that)."""

import datetime

from django.db.models import Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from samspill.jobs import services
from samspill.jobs.models import DailyRun
from samspill.outbox.queries import outbox_problems

# Failed tasks are reported for this long.
FAILED_SHOWN_FOR = datetime.timedelta(hours=24)
# A task ready to run for this long means no worker is taking tasks.
WAITING_TOO_LONG = datetime.timedelta(minutes=5)
# A task running this long is stuck (the longest, an analysis, takes about a minute).
STUCK_AFTER = datetime.timedelta(minutes=30)
# A daily job not enqueued this long after its time means no scheduler or worker is running.
DAILY_GRACE = datetime.timedelta(hours=1)


def _names(paths: list[str]) -> str:
    names = sorted({path.rsplit(".", 1)[-1] for path in paths})
    return ", ".join(names[:5])


def task_problems(*, now: datetime.datetime | None = None) -> list[str]:
    now = now or timezone.now()
    problems = []
    failed = list(
        DBTaskResult.objects.failed()
        .filter(finished_at__gte=now - FAILED_SHOWN_FOR)
        .values_list("task_path", flat=True)[:100]
    )
    if failed:
        problems.append(f"tasks: {len(failed)} failed in the last 24 hours ({_names(failed)})")
    cut = now - WAITING_TOO_LONG
    waiting = list(
        DBTaskResult.objects.ready()
        .filter(enqueued_at__lt=cut)
        .filter(Q(run_after=get_date_max()) | Q(run_after__lt=cut))
        .values_list("task_path", flat=True)[:100]
    )
    if waiting:
        problems.append(
            f"tasks: {len(waiting)} waiting for more than 5 minutes ({_names(waiting)}); "
            "is a worker (`samspill db_worker`) running?"
        )
    stuck = list(
        DBTaskResult.objects.running()
        .filter(started_at__lt=now - STUCK_AFTER)
        .values_list("task_path", flat=True)[:100]
    )
    if stuck:
        problems.append(f"tasks: {len(stuck)} running for more than 30 minutes ({_names(stuck)})")
    local = timezone.localtime(now)
    done = set(DailyRun.objects.filter(day=local.date()).values_list("name", flat=True))
    for job in services.daily_jobs():
        due = datetime.datetime.combine(local.date(), job["at"], tzinfo=local.tzinfo)
        if job["name"] not in done and local >= due + DAILY_GRACE:
            problems.append(
                f"daily job {job['name']!r} not enqueued today (due at {job['at']:%H:%M}); "
                "is a worker or `samspill scheduler` running?"
            )
    return problems + outbox_problems()
