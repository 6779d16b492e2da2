"""An organisation's administrator at work in Samspill's own pages: invites a staff member,
changes a colleague's role, creates an API token and sees its secret once. On a laptop and on a
phone, with axe-core on every page."""

import re

import pytest
from playwright.sync_api import expect

from samspill.accounts.models import ApiToken
from samspill.organisations.models import Membership
from tests.browser.axe import assert_accessible
from tests.browser.test_small_screens import assert_no_horizontal_scroll

SIZES = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def check(page, name: str, size: str) -> None:
    assert_accessible(page)
    if size == "phone":
        assert_no_horizontal_scroll(page)
    page.screenshot(path=f"/tmp/organisation-{name}-{size}.png", full_page=True)


@pytest.mark.browser
@pytest.mark.parametrize("size", list(SIZES))
def test_an_administrator_invites_changes_a_role_and_creates_a_token(
    page, log_in, admin, colleague, team_a, team_b, mailoutbox, size
):
    page.set_viewport_size(SIZES[size])
    log_in(admin)

    page.locator("header nav a[href='/organisation/']").click()
    page.wait_for_url("**/organisation/")
    expect(page.locator("main table")).to_contain_text(colleague.email)
    check(page, "staff", size)

    # Invite a new staff member.
    page.locator("main a[href='/organisation/staff/invite/']").click()
    page.wait_for_url("**/organisation/staff/invite/")
    check(page, "invite", size)
    page.fill("#id_full_name", "Nora Ny")
    page.fill("#id_email", "nora@example.org")
    page.select_option("#id_role", "coordinator")
    page.select_option("#id_team", label="Team B")
    page.locator("main form button[type=submit]").click()
    nora = Membership.objects.get(user__email="nora@example.org")
    page.wait_for_url(f"**/organisation/staff/{nora.pk}/")
    expect(page.locator(".messages")).to_contain_text("nora@example.org")
    assert (nora.role, nora.team, nora.is_active) == ("coordinator", team_b, True)
    assert [m.to for m in mailoutbox] == [["nora@example.org"]]
    check(page, "member", size)

    # Change a colleague's role.
    member = Membership.objects.get(user=colleague)
    page.goto("/organisation/")
    page.locator(f"main a[href='/organisation/staff/{member.pk}/']").click()
    page.wait_for_url(f"**/organisation/staff/{member.pk}/")
    page.select_option("#id_role", "leader")
    page.locator("main form.card button[type=submit]").click()
    expect(page.locator(".messages")).to_be_visible()
    member.refresh_from_db()
    assert member.role == Membership.Role.LEADER

    # Create a token for the colleague: the secret is shown once.
    page.locator("header nav a[href='/organisation/']").click()
    page.locator("main nav a[href='/organisation/tokens/']").click()
    page.wait_for_url("**/organisation/tokens/")
    page.select_option("#id_member", str(member.pk))
    page.fill("#id_name", "Lønnssystem")
    page.locator("main form.card button[type=submit]").click()
    secret = page.locator("#new-token")
    expect(secret).to_be_visible()
    key = secret.input_value()
    assert re.fullmatch(r"ssp_[A-Za-z0-9_-]{43}", key)
    token = ApiToken.objects.get(user=colleague)
    assert token.key_hash == ApiToken.hash_key(key)
    expect(page.locator("main table")).to_contain_text(token.prefix)
    check(page, "token-created", size)

    page.goto("/organisation/tokens/")
    expect(page.locator("main table")).to_contain_text(token.prefix)
    expect(page.locator("#new-token")).to_have_count(0)
    assert key not in page.content()

    # The remaining pages pass the same checks.
    for name, url in (("teams", "/organisation/teams/"), ("settings", "/organisation/settings/")):
        page.goto(url)
        expect(page.locator("h1")).to_be_visible()
        check(page, name, size)


@pytest.mark.browser
def test_the_organisation_pages_work_by_keyboard(page, log_in, admin, colleague):
    log_in(admin)
    # The administrator's home page leads to the organisation's pages.
    page.goto("/")
    assert_accessible(page)
    page.locator("main a.button[href='/organisation/']").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/organisation/")
    page.locator("main nav a[href='/organisation/teams/']").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/organisation/teams/")

    page.locator("#id_name").focus()
    page.keyboard.type("Team Vest")
    page.keyboard.press("Enter")

    page.wait_for_url("**/organisation/teams/")
    expect(page.locator("main table")).to_contain_text("Team Vest")
