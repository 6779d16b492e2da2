"""Structured logs: one line per request with its id, the user's id, status and duration; JSON
lines with LOG_FORMAT=json; never a query string, a name or a national id."""

import datetime
import json
import logging
import random
from typing import Any

import pytest
from django.test import Client

from samspill.core.logs import JsonFormatter, RequestIdFilter, request_id_var
from samspill.core.synthetic import fodselsnummer_for
from samspill.core.testing import client_for, make_participant

pytestmark = pytest.mark.django_db


def request_lines(caplog) -> list[Any]:
    # Any: the request fields are attributes the middleware adds with `extra=`.
    return [record for record in caplog.records if record.name == "samspill.request"]


def test_each_request_gets_an_id_in_its_log_line_and_its_answer(counselor, caplog) -> None:
    with caplog.at_level(logging.INFO, logger="samspill.request"):
        response = client_for(counselor).get("/participants/")

    [line] = request_lines(caplog)
    assert response["X-Request-ID"] == line.request_id
    assert line.status == 200
    assert line.method == "GET"
    assert line.path == "/participants/"
    assert line.user_id == counselor.pk
    assert line.duration_ms >= 0


def test_a_proxys_request_id_is_kept_and_a_strange_one_replaced(caplog) -> None:
    assert Client().get("/login/", headers={"X-Request-ID": "lb-42"})["X-Request-ID"] == "lb-42"
    replaced = Client().get("/login/", headers={"X-Request-ID": "<script>"})["X-Request-ID"]
    assert replaced != "<script>" and len(replaced) == 32


def test_an_api_token_users_id_is_logged(counselor, caplog) -> None:
    from samspill.accounts.auth import api_token_create

    _, key = api_token_create(user=counselor, name="Integration")
    with caplog.at_level(logging.INFO, logger="samspill.request"):
        Client().get("/api/v1/participants", headers={"Authorization": f"Bearer {key}"})
    [line] = request_lines(caplog)
    assert line.user_id == counselor.pk


def test_the_query_string_and_a_participants_name_never_reach_the_log(
    org, counselor, caplog
) -> None:
    national_id = fodselsnummer_for(datetime.date(1990, 4, 12), random.Random(1))
    person = make_participant(
        org, counselor, given_name="Synnøve", family_name="Fjellstad", national_id=national_id
    )
    with caplog.at_level(logging.DEBUG):
        client_for(counselor).get("/participants/", {"q": "Fjellstad"})
        client_for(counselor).get("/participants/", {"q": national_id})
        client_for(counselor).get(f"/participants/{person.pk}/")
    assert len(request_lines(caplog)) == 3
    for private in ("Synnøve", "Fjellstad", national_id):
        assert private not in caplog.text


def test_the_json_formatter_writes_one_object_a_line() -> None:
    record = logging.LogRecord(
        "samspill.request", logging.INFO, __file__, 1, "GET %s", ("/",), None
    )
    record.status, record.duration_ms, record.user_id = 200, 3.2, 7
    token = request_id_var.set("abc")
    try:
        RequestIdFilter().filter(record)
        line = JsonFormatter().format(record)
    finally:
        request_id_var.reset(token)

    assert "\n" not in line
    data = json.loads(line)
    assert data["message"] == "GET /"
    assert data["request_id"] == "abc"
    assert (data["status"], data["duration_ms"], data["user_id"]) == (200, 3.2, 7)
    assert data["level"] == "INFO" and data["time"].endswith("+00:00")


def test_the_json_formatter_carries_an_exception() -> None:
    try:
        raise ValueError("broken")
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    data = json.loads(JsonFormatter().format(record))
    assert "ValueError: broken" in data["exc"]
