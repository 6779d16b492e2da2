"""A participant on a phone downloads everything Samspill holds about them."""

import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from samspill.accounts.models import User
from samspill.core.testing import PASSWORD
from samspill.participants.services import participant_update
from samspill.portal.services import participant_invite
from tests.browser.axe import assert_accessible
from tests.browser.sessions import log_in_on


@pytest.fixture
def phone(browser: Browser, live_server: Any, transactional_db: None) -> Iterator[Page]:
    context = browser.new_context(
        base_url=live_server.url,
        locale="nb-NO",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        accept_downloads=True,
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def own_login(participant, counselor) -> User:
    participant_update(participant=participant, by=counselor, email="kari@example.org")
    user = participant_invite(participant=participant, by=counselor)
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


@pytest.mark.browser
def test_a_participant_on_a_phone_downloads_their_data(phone, own_login, participant):
    log_in_on(phone, own_login)
    phone.goto("/privacy/my-data/")

    expect(phone.get_by_role("heading", level=1)).to_have_text("Mine opplysninger")
    assert_accessible(phone)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    with phone.expect_download() as pdf:
        phone.get_by_role("button", name="Last ned som PDF").click()
    with phone.expect_download() as document:
        phone.get_by_role("button", name="Last ned som JSON (maskinlesbar)").click()

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(_read(pdf.value))).pages)
    assert participant.full_name in text
    assert json.loads(_read(document.value))["subject"]["id"] == participant.pk


def _read(download: Any) -> bytes:
    with open(download.path(), "rb") as handle:
        return handle.read()
