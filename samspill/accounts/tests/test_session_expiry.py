"""Sessions expire after SESSION_IDLE_MINUTES without a request (60 by default), not at a
fixed time after signing in: requests move the expiry on (at most one write a minute)."""

import datetime

import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samspill.core.testing import client_for


def test_a_session_lasts_an_hour_of_inactivity_by_default():
    assert settings.SESSION_COOKIE_AGE == 60 * 60


def test_each_request_moves_the_expiry_on_and_inactivity_signs_out(counselor):
    start = timezone.now()
    page = reverse("account_settings")
    with time_machine.travel(start, tick=False) as clock:
        client = client_for(counselor)
        assert client.get(page).status_code == 200
        clock.shift(datetime.timedelta(minutes=50))
        assert client.get(page).status_code == 200  # active: the hour starts again
        clock.shift(datetime.timedelta(minutes=50))
        assert client.get(page).status_code == 200
        clock.shift(datetime.timedelta(minutes=61))
        response = client.get(page)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_requests_within_a_minute_do_not_write_the_session(counselor):
    client = client_for(counselor)
    page = reverse("account_settings")
    client.get(page)  # the first request notes the time

    with CaptureQueriesContext(connection) as captured:
        client.get(page)

    writes = [q["sql"] for q in captured.captured_queries if "django_session" in q["sql"]]
    assert writes and all(sql.startswith("SELECT") for sql in writes)
