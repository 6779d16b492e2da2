"""/healthz and /readyz: for a load balancer or a container platform, without a login."""

import logging

import pytest
from django.db import OperationalError, connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client, override_settings

from samspill.audit.models import AccessLog

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_a_login_or_the_database(django_assert_num_queries) -> None:
    with django_assert_num_queries(0):
        response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_readyz_answers_ready_when_the_database_is_migrated(django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(12):  # its own 2, and the background work's report
        response = Client().get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["checks"]) == ("ok", {"database": "ok", "migrations": "ok"})
    # What background work reports (e.g. a daily job not run today) leaves it ready.
    assert isinstance(body["problems"], list)


def report_a_stuck_task() -> list[str]:
    return ["A task has been running for 40 minutes: run_analysis."]


@override_settings(READY_REPORTS=["samspill.core.tests.test_health.report_a_stuck_task"])
def test_readyz_shows_what_background_work_reports_without_going_unavailable() -> None:
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json()["problems"] == report_a_stuck_task()


def test_readyz_is_unavailable_while_a_migration_is_not_applied() -> None:
    # As on a new version's first start: the code brings a migration the database lacks.
    MigrationRecorder(connection).record_unapplied("accounts", "0001_initial")

    response = Client().get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "1 not applied"
    assert response["Retry-After"]


def test_readyz_is_unavailable_when_the_database_is_unreachable(monkeypatch) -> None:
    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", unreachable)

    response = Client().get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "unreachable"}


def test_probes_write_no_access_log_and_no_request_line_at_info(caplog) -> None:
    with caplog.at_level(logging.INFO, logger="samspill.request"):
        Client().get("/healthz")
        Client().get("/readyz")
    assert not [r for r in caplog.records if r.name == "samspill.request"]
    assert not AccessLog.objects.exists()


def test_probes_are_not_redirected_to_https_when_pages_are() -> None:
    with override_settings(SECURE_SSL_REDIRECT=True):
        client = Client()
        assert client.get("/login/").status_code == 301
        assert client.get("/healthz").status_code == 200
        assert client.get("/readyz").status_code == 200


def test_probes_answer_only_reads() -> None:
    assert Client().post("/healthz").status_code == 405


@override_settings(ALLOWED_HOSTS=["samspill.example.org"], SECURE_SSL_REDIRECT=True)
def test_probes_answer_a_platform_that_calls_the_instance_by_its_address() -> None:
    # Kubernetes' httpGet probe sends the pod's address as Host; pages still refuse it.
    client = Client(headers={"host": "10.1.2.3:8000"})
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/login/").status_code == 400
