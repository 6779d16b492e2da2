"""What an operator and a caller see when something fails: JSON under /api/ for every error, the
layout's error pages for HTML, 503 with Retry-After while the database is away, and the error
reporting hook."""

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client, RequestFactory, override_settings

from samspill.core import errors
from samspill.core.testing import client_for

pytestmark = pytest.mark.django_db

reported: list[tuple[BaseException, object]] = []


def remember(exception: BaseException, request: object) -> None:
    """An error reporter, as an operator would name one in ERROR_REPORTER."""
    reported.append((exception, request))


@pytest.fixture
def reporter():
    reported.clear()
    errors._reporter.cache_clear()
    with override_settings(SAMSPILL_ERROR_REPORTER=f"{__name__}.remember"):
        yield reported
    errors._reporter.cache_clear()


def failing(exception: Exception):
    def fail(*args, **kwargs):
        raise exception

    return fail


def quiet_client(user) -> Client:
    """A client that gets the 500 page as a browser would, instead of the exception."""
    client = client_for(user)
    client.raise_request_exception = False
    return client


def test_the_api_answers_an_unknown_route_in_json() -> None:
    response = Client().get("/api/v1/no-such-route")
    assert response.status_code == 404
    assert response.json()["detail"]
    assert response.json()["errors"] == []
    assert response["Content-Type"] == "application/json"


def test_the_api_answers_a_server_error_in_json_and_reports_it(
    leader, monkeypatch, reporter
) -> None:
    monkeypatch.setattr("samspill.followup.dashboard.belief_by_team", failing(KeyError("boom")))

    response = quiet_client(leader).get("/api/v1/follow-up/belief-by-team")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail", "errors"}
    [(exception, request)] = reporter
    assert isinstance(exception, KeyError)
    assert request.path == "/api/v1/follow-up/belief-by-team"


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_the_api_answers_503_with_retry_after_when_the_database_is_unreachable(
    leader, monkeypatch, reporter, error
) -> None:
    monkeypatch.setattr("samspill.followup.dashboard.belief_by_team", failing(error("gone")))

    response = client_for(leader).get("/api/v1/follow-up/belief-by-team")

    assert response.status_code == 503
    assert response["Retry-After"] == str(errors.RETRY_AFTER)
    assert response.json()["detail"]
    assert len(reporter) == 1


def test_a_page_answers_503_with_retry_after_when_the_database_is_unreachable(
    counselor, monkeypatch, reporter
) -> None:
    monkeypatch.setattr(
        "samspill.participants.views.queries.scopes_for", failing(OperationalError("gone"))
    )

    response = client_for(counselor).get("/participants/")

    assert response.status_code == 503
    assert response["Retry-After"] == str(errors.RETRY_AFTER)
    assert "503.html" in [t.name for t in response.templates]
    assert len(reporter) == 1


def test_a_page_that_fails_gets_the_plain_500_page_and_is_reported(
    counselor, monkeypatch, reporter
) -> None:
    monkeypatch.setattr("samspill.participants.views.queries.scopes_for", failing(KeyError("x")))

    response = quiet_client(counselor).get("/participants/")

    assert response.status_code == 500
    assert b"samspill.css" in response.content
    [(exception, _)] = reporter
    assert isinstance(exception, KeyError)


def test_the_500_page_needs_no_database(django_assert_num_queries) -> None:
    request = RequestFactory().get("/participants/")
    with django_assert_num_queries(0):
        response = errors.server_error(request)
    assert response.status_code == 500
    assert b"<h1>" in response.content


def test_an_unknown_page_gets_the_layout_404(counselor) -> None:
    response = client_for(counselor).get("/participants/999999999/")
    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
    assert "base.html" in [t.name for t in response.templates]


def test_a_forbidden_page_gets_the_layout_403(admin) -> None:
    # The caseload is for staff who follow participants; an administrator follows none.
    response = client_for(admin).get("/participants/")
    assert response.status_code == 403
    assert "403.html" in [t.name for t in response.templates]
    assert "base.html" in [t.name for t in response.templates]


@override_settings(DEBUG=True)
@pytest.mark.parametrize("path", ["/no-such-page/", "/participants/999999999/"])
def test_under_debug_a_missing_page_gets_the_layout_404_too(counselor, path) -> None:
    """`make run` runs with DEBUG on: no route, and a record that is not there (Http404)."""
    response = client_for(counselor).get(path)

    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
    assert "base.html" in [t.name for t in response.templates]
    assert b"Siden ble ikke funnet" in response.content


def test_an_error_page_offers_the_way_back_to_the_page_one_came_from(counselor) -> None:
    client = client_for(counselor)
    back = "http://testserver/participants/"

    came_from_here = client.get("/participants/999999999/", headers={"Referer": back})
    came_from_elsewhere = client.get(
        "/participants/999999999/", headers={"Referer": "https://evil.example/"}
    )

    assert f'href="{back}"'.encode() in came_from_here.content
    assert b"evil.example" not in came_from_elsewhere.content
    assert b'href="/"' in came_from_elsewhere.content


def test_a_refused_form_gets_a_page_in_the_layout_that_says_what_to_do(counselor) -> None:
    client = client_for(counselor)
    client.handler.enforce_csrf_checks = True

    response = client.post("/logout/")

    assert response.status_code == 403
    assert "403_csrf.html" in [t.name for t in response.templates]
    assert "base.html" in [t.name for t in response.templates]
    assert b"Ingenting ble lagret" in response.content


def test_a_reporter_that_fails_never_changes_the_answer(counselor, monkeypatch) -> None:
    errors._reporter.cache_clear()
    monkeypatch.setattr("samspill.participants.views.queries.scopes_for", failing(KeyError("x")))
    with override_settings(SAMSPILL_ERROR_REPORTER="samspill.core.tests.test_errors.no_such"):
        response = quiet_client(counselor).get("/participants/")
    errors._reporter.cache_clear()
    assert response.status_code == 500


def test_the_api_answers_a_refusal_outside_its_handlers_in_json(leader, monkeypatch) -> None:
    from django.core.exceptions import PermissionDenied

    monkeypatch.setattr("samspill.followup.dashboard.belief_by_team", failing(PermissionDenied()))

    response = client_for(leader).get("/api/v1/follow-up/belief-by-team")

    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]


def test_a_database_outage_met_in_a_middleware_is_a_503_too(counselor, monkeypatch) -> None:
    # The Idempotency-Key middleware claims its key before the view runs.
    monkeypatch.setattr(
        "samspill.accounts.idempotency._claim", failing(OperationalError("connection refused"))
    )
    client = quiet_client(counselor)

    response = client.post(
        "/api/v1/employers", {}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1"
    )

    assert response.status_code == 503
    assert response["Retry-After"]
    assert response["Content-Type"] == "application/json"
