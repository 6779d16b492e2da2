"""Logging in through the real form, as a person would, on any page (each browser context is
its own session, so several people can be logged in at once)."""

from playwright.sync_api import Page

from samspill.accounts.models import User
from samspill.core.testing import PASSWORD


def log_in_on(page: Page, user: User) -> None:
    page.goto("/login/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/login/" not in url)
