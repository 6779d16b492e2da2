"""Background work that survives crashes: a task whose worker died is resumed, the daily jobs
are enqueued once a day however many schedulers run, and trouble shows in `task_problems`."""

import datetime
import threading

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from samspill.jobs import health, services
from samspill.jobs.models import DailyRun, WorkerLease
from samspill.jobs.tests import tasks
from samspill.jobs.worker import LeasedWorker

pytestmark = pytest.mark.django_db

# 06:30 in Oslo: after the reminders' 06:00.
MORNING = datetime.datetime(2026, 3, 2, 5, 30, tzinfo=datetime.UTC)
MIDNIGHT = datetime.datetime(2026, 3, 1, 23, 0, tzinfo=datetime.UTC)
REMINDERS = "samspill.followup.tasks.schedule_and_send_reminders"


def claim_as(worker_id: str) -> DBTaskResult:
    """What a worker does before it runs a task (django-tasks-db's own calls), with a lease."""
    services.lease_renew(worker_id=worker_id)
    with exclusive_transaction():
        task = DBTaskResult.objects.ready().get_locked()
        assert task is not None
        task.claim(worker_id)
    return task


def run_worker() -> None:
    LeasedWorker(
        maintenance=False,
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="worker-2",
        excluded_queue_names=[],
    ).run()


def status(task: DBTaskResult) -> str:
    task.refresh_from_db()
    return task.status


@pytest.mark.django_db(transaction=True)  # the worker closes connections between tasks
def test_a_task_whose_worker_died_is_resumed_and_runs_again():
    tasks.RAN.clear()
    with time_machine.travel(MORNING, tick=False) as clock:
        tasks.note.enqueue("hello")
        task = claim_as("worker-1")
        clock.shift(services.LEASE - datetime.timedelta(seconds=1))
        assert services.tasks_resume_stale() == 0  # its lease still holds
        clock.shift(datetime.timedelta(seconds=2))
        assert services.tasks_resume_stale() == 1
        assert status(task) == TaskResultStatus.READY
    run_worker()
    assert status(task) == TaskResultStatus.SUCCESSFUL
    assert task.worker_ids == ["worker-1", "worker-2"]
    assert tasks.RAN == ["hello"]
    assert not WorkerLease.objects.filter(worker_id="worker-2").exists()  # released at exit


def test_a_task_on_a_live_worker_is_left_alone_however_long_it_runs():
    with time_machine.travel(MORNING, tick=False) as clock:
        tasks.note.enqueue("long")
        task = claim_as("worker-1")
        for _minute in range(10):
            clock.shift(datetime.timedelta(minutes=1))
            services.lease_renew(worker_id="worker-1")  # the worker's heartbeat
            assert services.tasks_resume_stale() == 0
        assert status(task) == TaskResultStatus.RUNNING


def test_a_task_that_kills_its_worker_each_time_fails_after_three_runs():
    with time_machine.travel(MORNING, tick=False) as clock:
        tasks.note.enqueue("poison")
        for run in range(1, services.MAX_RUNS + 1):
            task = claim_as(f"worker-{run}")
            clock.shift(services.LEASE + datetime.timedelta(seconds=1))
            assert services.tasks_resume_stale() == 1
        assert status(task) == TaskResultStatus.FAILED
        assert task.exception_class_path == services.WORKER_LOST
        [problem] = health.task_problems()
        assert "1 failed" in problem and "note" in problem


def test_the_daily_jobs_are_enqueued_once_a_day_at_their_time():
    # Counted from here: on PostgreSQL a task row another test's worker thread committed may
    # still be in the table.
    before = DBTaskResult.objects.filter(task_path=REMINDERS).count()
    early = MORNING - datetime.timedelta(hours=1)  # 05:30 in Oslo
    with time_machine.travel(early, tick=False):
        assert services.daily_runs_schedule() == []
    with time_machine.travel(MORNING, tick=False):
        assert services.daily_runs_schedule() == ["reminders"]
        assert services.daily_runs_schedule() == []
        call_command("scheduler", "--once")  # a second scheduler: nothing more
    with time_machine.travel(MORNING + datetime.timedelta(days=1), tick=False):
        call_command("scheduler", "--once")
    assert DBTaskResult.objects.filter(task_path=REMINDERS).count() == before + 2
    # The days of this test (another test's worker thread may have run today's on PostgreSQL).
    runs = DailyRun.objects.filter(day__lt=MORNING.date() + datetime.timedelta(days=2))
    runs = runs.order_by("day")
    assert [str(run.day) for run in runs] == ["2026-03-02", "2026-03-03"]
    assert runs[0].task_id == str(DBTaskResult.objects.order_by("enqueued_at")[0].pk)


def test_a_daily_job_not_enqueued_an_hour_after_its_time_is_reported():
    with time_machine.travel(MORNING + datetime.timedelta(hours=1), tick=False):
        [problem] = health.task_problems()
        assert "'reminders' not enqueued today" in problem
        services.daily_runs_schedule()
        assert health.task_problems() == []


@pytest.mark.django_db(transaction=True)
def test_failed_and_waiting_tasks_are_reported_and_the_command_exits_with_1(capsys):
    with time_machine.travel(MORNING, tick=False) as clock:
        services.daily_runs_schedule()
        tasks.fail.enqueue()
        run_worker()
        tasks.note.enqueue("nobody takes me")
        clock.shift(datetime.timedelta(minutes=6))
        problems = health.task_problems()
        assert len(problems) == 2
        assert "1 failed in the last 24 hours (fail)" in problems[0]
        assert "1 waiting for more than 5 minutes (note)" in problems[1]
        with pytest.raises(SystemExit) as exit_status:
            call_command("tasks_health")
        assert exit_status.value.code == 1
        assert "is a worker" in capsys.readouterr().out


def test_a_task_running_for_more_than_half_an_hour_is_reported():
    with time_machine.travel(MIDNIGHT, tick=False) as clock:
        tasks.note.enqueue("slow")
        claim_as("worker-1")
        clock.shift(datetime.timedelta(minutes=31))
        services.lease_renew(worker_id="worker-1")
        assert health.task_problems() == ["tasks: 1 running for more than 30 minutes (note)"]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs real database sessions at once"
)
@pytest.mark.django_db(transaction=True)
def test_schedulers_at_once_enqueue_the_daily_job_once():
    start = threading.Barrier(4, timeout=10)

    def scheduler() -> None:
        try:
            start.wait()
            services.daily_runs_schedule(now=MORNING)
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert DailyRun.objects.count() == 1
    assert DBTaskResult.objects.filter(task_path=REMINDERS).count() == 1
