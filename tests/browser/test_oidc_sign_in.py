"""A counselor signs in with their organisation's account, on a phone, through the local
OpenID Connect provider (samspill/accounts/tests/oidc_provider.py)."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from samspill.accounts.models import User
from samspill.accounts.tests.oidc_provider import Provider, running_provider
from tests.browser.axe import assert_accessible


@pytest.fixture
def provider(transactional_db: None) -> Iterator[Provider]:
    with running_provider() as provider:
        yield provider


@pytest.mark.browser
def test_a_counselor_signs_in_with_their_organisation_on_a_phone(
    page: Page, provider: Provider, counselor: User
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    provider.next_claims = {"sub": "entra-42", "email": counselor.email, "email_verified": True}

    page.goto("/login/")
    button = page.get_by_role("link", name="Logg inn med organisasjonen din")
    expect(button).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)

    button.click()  # to the provider and straight back, signed in
    page.wait_for_url(lambda url: "/login/" not in url and "/oidc/" not in url)
    expect(page.locator(".who")).to_contain_text(counselor.full_name)

    counselor.refresh_from_db()
    assert counselor.oidc_subject == "entra-42"


@pytest.mark.browser
def test_someone_unknown_is_told_on_the_login_page(page: Page, provider: Provider, org) -> None:
    provider.next_claims = {"sub": "x", "email": "stranger@example.org", "email_verified": True}

    page.goto("/login/")
    page.get_by_role("link", name="Logg inn med organisasjonen din").click()

    page.wait_for_url("**/login/")
    expect(page.get_by_role("status")).to_contain_text("ikke knyttet til noen i Samspill")
    assert_accessible(page)
