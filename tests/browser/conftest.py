"""Browser fixtures: one Chromium per session, a fresh context (cookies, storage) per test.

Playwright's sync API runs an asyncio event loop in the test thread, so Django's guard against
ORM calls from async code would trip on every fixture that touches the database. The tests
themselves are synchronous, so the guard is switched off for this package only.
"""

import datetime
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connections
from playwright.sync_api import Browser, Page, sync_playwright

from samspill.accounts.models import User
from samspill.participants import services as participant_services
from samspill.participants.models import ConsentRecord, Participant
from samspill.plans import services as plan_services
from samspill.plans.models import Activity, Note
from tests.browser.sessions import log_in_on

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
        # While Playwright's event loop runs in this thread, asgiref keeps Django's connections
        # per context instead of per thread: the browser tests' connection is not the one the
        # test database's teardown closes, and left open it blocks DROP DATABASE. Closed here,
        # while the loop still runs, so the same storage is reached.
        connections.close_all()


@pytest.fixture
def page(browser: Browser, live_server: Any, transactional_db: None) -> Iterator[Page]:
    # The browser asks for Norwegian, like most of our users; the app's default is nb too.
    context = browser.new_context(base_url=live_server.url, locale="nb-NO")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser: Browser, live_server: Any, transactional_db: None) -> Iterator[Page]:
    """A 390 px phone, touch and all, in Norwegian."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="nb-NO",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def log_in(page: Page) -> Callable[[User], None]:
    """Log in through the real form, as a person would."""

    def log_in(user: User) -> None:
        log_in_on(page, user)

    return log_in


@pytest.fixture
def full_record(participant: Participant, counselor: User) -> Participant:
    """The standard participant with something on every tab: a note, a goal, an activity
    and a consent, so the axe checks see tables and lists, not only empty states."""
    today = datetime.date(2026, 2, 2)
    plan_services.note_add(
        participant=participant,
        by=counselor,
        kind=Note.Kind.CONVERSATION,
        text="Talked about the interview at the bakery.",
        occurred_on=today,
    )
    goal = plan_services.goal_add(
        participant=participant, by=counselor, title="Get a job in a bakery"
    )
    plan_services.activity_add(
        participant=participant,
        by=counselor,
        kind=Activity.Kind.WORK_TRAINING,
        title="Work training at Bakeriet",
        due_date=today,
        goal=goal,
    )
    participant_services.consent_give(
        participant=participant,
        by=counselor,
        recipient=ConsentRecord.Recipient.WORKPLACE,
        information=ConsentRecord.Information.STRENGTHS,
    )
    participant.refresh_from_db()
    return participant
