"""Throttling of guesses: sign-in by account and by address, password-reset requests, and
failed API tokens (issue 16, finding 4). The counts live in the database, so every web process
sees the same ones."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from samspill.accounts.auth import api_token_create
from samspill.accounts.models import AuthThrottle, User
from samspill.core.testing import PASSWORD
from samspill.outbox.services import outbox_deliver_due

LOCKED = "Too many attempts"
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
WINDOW = datetime.timedelta(minutes=15)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def english(address: str = "127.0.0.1") -> Client:
    return Client(headers={"accept-language": "en"}, REMOTE_ADDR=address)


def log_in(client: Client, email: str, password: str):
    return client.post("/login/", {"username": email, "password": password})


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def fail(client: Client, email: str, times: int) -> None:
    for _ in range(times):
        log_in(client, email, "not-the-password")


class TestSignIn:
    def test_thirty_wrong_passwords_lock_the_account_so_the_right_one_is_refused(
        self, counselor, clock
    ):
        client = english()
        fail(client, counselor.email, 30)

        response = log_in(client, counselor.email, PASSWORD)

        assert response.status_code == 200
        assert not logged_in(client)
        text = response.content.decode()
        assert LOCKED in text
        # When to try again: the end of the window, in Oslo time (09:00 UTC is 10:00 there).
        assert "10:15" in text

    def test_the_lock_reads_the_same_whether_the_address_exists_or_not(self, counselor, clock):
        fail(english("10.0.0.1"), counselor.email, 10)
        fail(english("10.0.0.2"), "nobody@example.org", 10)

        known = log_in(english("10.0.0.1"), counselor.email, PASSWORD)
        unknown = log_in(english("10.0.0.2"), "nobody@example.org", PASSWORD)

        assert known.context["form"].locked_message == unknown.context["form"].locked_message
        assert LOCKED in known.context["form"].locked_message

    def test_the_lock_follows_the_account_to_another_address(self, counselor, clock):
        fail(english("10.0.0.1"), counselor.email, 10)

        client = english("10.0.0.9")
        response = log_in(client, counselor.email.upper(), PASSWORD)

        assert not logged_in(client)
        assert LOCKED in response.content.decode()

    def test_nine_wrong_passwords_still_let_the_right_one_in(self, counselor, clock):
        client = english()
        fail(client, counselor.email, 9)

        assert log_in(client, counselor.email, PASSWORD).status_code == 302
        assert logged_in(client)

    def test_the_lock_ends_with_its_window(self, counselor, clock):
        client = english()
        fail(client, counselor.email, 30)
        clock.shift(WINDOW - datetime.timedelta(seconds=1))
        assert log_in(client, counselor.email, PASSWORD).status_code == 200
        assert not logged_in(client)

        clock.shift(datetime.timedelta(seconds=1))
        response = log_in(client, counselor.email, PASSWORD)

        assert response.status_code == 302
        assert logged_in(client)

    def test_a_successful_login_starts_the_account_count_again(self, counselor, clock):
        client = english()
        fail(client, counselor.email, 9)
        assert log_in(client, counselor.email, PASSWORD).status_code == 302
        client.logout()
        fail(client, counselor.email, 9)

        assert log_in(client, counselor.email, PASSWORD).status_code == 302

    def test_many_accounts_tried_from_one_address_lock_that_address(self, counselor, clock):
        attacker = english("10.6.6.6")
        for number in range(10):
            fail(attacker, f"person{number}@example.org", 5)

        refused = log_in(attacker, counselor.email, PASSWORD)
        elsewhere = english("10.0.0.1")
        accepted = log_in(elsewhere, counselor.email, PASSWORD)

        assert LOCKED in refused.content.decode()
        assert not logged_in(attacker)
        assert accepted.status_code == 302

    def test_a_forwarded_for_header_is_not_trusted_by_default(self, counselor, clock):
        for number in range(10):
            client = Client(headers={"x-forwarded-for": f"10.1.1.{number}"}, REMOTE_ADDR="10.6.6.6")
            fail(client, f"person{number}@example.org", 5)

        assert LOCKED in log_in(english("10.6.6.6"), counselor.email, PASSWORD).content.decode()

    def test_a_trusted_proxy_forwards_the_address(self, counselor, clock, settings):
        settings.SAMSPILL_TRUSTED_PROXIES = 1
        proxy = "10.0.0.254"
        for number in range(10):
            client = Client(
                headers={"x-forwarded-for": f"spoofed, 10.1.1.{number}"}, REMOTE_ADDR=proxy
            )
            fail(client, f"person{number}@example.org", 5)

        behind_proxy = Client(headers={"x-forwarded-for": "10.1.1.99"}, REMOTE_ADDR=proxy)
        assert log_in(behind_proxy, counselor.email, PASSWORD).status_code == 302

    def test_the_message_is_translated(self, counselor, clock):
        fail(english(), counselor.email, 10)

        norwegian = log_in(Client(), counselor.email, PASSWORD).context["form"].locked_message
        danish = log_in(Client(headers={"accept-language": "da"}), counselor.email, PASSWORD)

        assert "For mange forsøk" in norwegian
        assert "For mange forsøg" in danish.context["form"].locked_message

    def test_old_counts_are_removed_when_the_next_failure_is_counted(self, counselor, clock):
        fail(english("10.0.0.1"), counselor.email, 3)
        assert AuthThrottle.objects.count() == 2  # the account and the address

        clock.shift(WINDOW)
        fail(english("10.0.0.2"), "someone@example.org", 1)
        fail(english("10.0.0.2"), "someone@example.org", 1)

        assert AuthThrottle.objects.count() == 2
        assert AuthThrottle.objects.filter(window_start__lt=timezone.now()).count() == 0


class TestAdminSignIn:
    def test_the_admin_login_counts_and_refuses_the_same_way(self, db, clock):
        operator = User.objects.create_superuser(
            email="operator@example.org", password=PASSWORD, full_name="Operator"
        )
        client = english()
        fail(client, operator.email, 5)
        for _ in range(5):
            client.post("/admin/login/", {"username": operator.email, "password": "wrong"})

        response = client.post("/admin/login/", {"username": operator.email, "password": PASSWORD})

        assert response.status_code == 200
        assert not logged_in(client)
        assert LOCKED in response.content.decode()

    def test_the_admin_login_still_lets_an_operator_in(self, db, clock):
        operator = User.objects.create_superuser(
            email="operator@example.org", password=PASSWORD, full_name="Operator"
        )
        client = english()

        response = client.post("/admin/login/", {"username": operator.email, "password": PASSWORD})

        assert response.status_code == 302
        assert logged_in(client)


def sent_mail() -> list:
    """The e-mail sent once the outbox is delivered (the test's transaction never commits)."""
    outbox_deliver_due()
    return mail.outbox


class TestPasswordReset:
    def request_reset(self, client: Client, email: str):
        return client.post("/password-reset/", {"email": email})

    def test_the_sixth_request_for_one_address_sends_nothing(self, counselor, clock):
        client = english()
        responses = [self.request_reset(client, counselor.email) for _ in range(6)]

        assert [response.status_code for response in responses] == [302] * 5 + [200]
        assert LOCKED in responses[-1].content.decode()
        assert len(sent_mail()) == 5

    def test_one_address_cannot_ask_for_many_accounts(self, counselor, clock):
        client = english("10.6.6.6")
        for number in range(20):
            self.request_reset(client, f"person{number}@example.org")

        response = self.request_reset(client, counselor.email)

        assert response.status_code == 200
        assert LOCKED in response.content.decode()
        assert sent_mail() == []

    def test_requests_are_allowed_again_after_the_window(self, counselor, clock):
        client = english()
        for _ in range(6):
            self.request_reset(client, counselor.email)
        clock.shift(WINDOW)

        assert self.request_reset(client, counselor.email).status_code == 302
        assert len(sent_mail()) == 6


class TestApiTokens:
    def call(self, key: str, address: str = "10.6.6.6"):
        return Client(REMOTE_ADDR=address).get(
            "/api/v1/participants", headers={"authorization": f"Bearer {key}"}
        )

    def test_thirty_random_tokens_meet_a_429_with_retry_after(self, participant, clock):
        responses = [self.call(f"ssp_random{number}") for number in range(30)]

        statuses = [response.status_code for response in responses]
        assert statuses == [401] * 20 + [429] * 10
        last = responses[-1]
        assert last.json()["errors"] == []
        assert last.json()["detail"]
        assert 0 < int(last["Retry-After"]) <= WINDOW.total_seconds()

    def test_retry_after_counts_down_to_the_end_of_the_window(self, participant, clock):
        for number in range(20):
            self.call(f"ssp_random{number}")
        clock.shift(datetime.timedelta(minutes=5))

        assert self.call("ssp_more")["Retry-After"] == "600"

    def test_a_locked_address_may_still_use_a_real_token(self, counselor, participant, clock):
        # The lock is on guessing; a token of 256 random bits is not guessed, and an
        # integration behind the same address as someone guessing keeps working.
        _token, key = api_token_create(user=counselor, name="HR system")
        for number in range(25):
            self.call(f"ssp_random{number}")

        assert self.call(key).status_code == 200

    def test_the_lock_is_per_address(self, participant, clock):
        for number in range(25):
            self.call(f"ssp_random{number}")

        assert self.call("ssp_other", address="10.0.0.1").status_code == 401

    def test_random_tokens_get_401_again_after_the_window(self, participant, clock):
        for number in range(25):
            self.call(f"ssp_random{number}")
        clock.shift(WINDOW)

        assert self.call("ssp_later").status_code == 401
