"""Telling an htmx swap from a full page load."""

from playwright.sync_api import Page


def mark_page(page: Page) -> None:
    """Leave a mark on the window; `page_was_not_reloaded` tells whether it survived, i.e.
    whether an htmx swap happened in place rather than a full page load."""
    page.evaluate("window.samspillMark = true")


def page_was_not_reloaded(page: Page) -> bool:
    return bool(page.evaluate("window.samspillMark === true"))
