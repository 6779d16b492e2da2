"""The same analysis asked for five times at once runs once: while a run of a kind is queued
or running for an organisation, asking again joins it."""

import datetime
import threading

import pytest
import time_machine
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from samspill.insights import services
from samspill.insights.models import Analysis
from samspill.insights.tasks import run_analysis

TASK = "samspill.insights.tasks.run_analysis"


def request(org, leader) -> Analysis:
    return services.analysis_request(organisation_id=org.pk, kind=Analysis.Kind.EFFECTS, by=leader)


def test_asking_again_while_it_is_pending_joins_the_run_and_after_it_starts_a_new_one(
    org, leader, participant
):
    runs = [request(org, leader) for _ in range(5)]
    assert len({run.pk for run in runs}) == 1
    assert DBTaskResult.objects.filter(task_path=TASK).count() == 1
    run_analysis.call(runs[0].pk)
    again = request(org, leader)
    assert again.pk != runs[0].pk
    assert DBTaskResult.objects.filter(task_path=TASK).count() == 2


def test_a_run_lost_for_an_hour_is_replaced(org, leader):
    lost = request(org, leader)
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=2)):
        fresh = request(org, leader)
    lost.refresh_from_db()
    assert fresh.pk != lost.pk
    assert lost.status == Analysis.Status.FAILED


def test_a_run_that_raises_is_marked_failed_and_blocks_nothing(org, leader, monkeypatch):
    analysis = request(org, leader)

    def broken(organisation_id: int) -> dict:
        raise ZeroDivisionError

    monkeypatch.setattr(services.effects, "estimate", broken)
    with pytest.raises(ZeroDivisionError):
        run_analysis.call(analysis.pk)
    analysis.refresh_from_db()
    assert analysis.status == Analysis.Status.FAILED
    assert request(org, leader).pk != analysis.pk


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs real database sessions at once"
)
@pytest.mark.django_db(transaction=True)
def test_five_requests_at_once_make_one_run(org, leader):
    start = threading.Barrier(5, timeout=10)
    ids: list[int] = []
    errors: list[Exception] = []

    def ask() -> None:
        try:
            start.wait()
            ids.append(request(org, leader).pk)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=ask) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert len(ids) == 5 and len(set(ids)) == 1
    assert Analysis.objects.count() == 1
    assert DBTaskResult.objects.filter(task_path=TASK).count() == 1
