"""A learning programme shared within the network, in the browser: the platform mentor shares it,
the second organisation's platform mentor reads the outline and adopts a copy. On a laptop and
on a phone, with axe-core on every page."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from samspill.core.testing import make_staff
from samspill.learning import programme_services, services
from samspill.learning.models import Programme
from samspill.organisations.models import Membership
from tests.browser.test_learning import SIZES, check


@pytest.mark.browser
@pytest.mark.parametrize("size", list(SIZES))
def test_a_mentor_shares_a_programme_and_another_organisation_adopts_it(
    page, log_in, admin, leader, colleague, other_org, size
):
    page.set_viewport_size(SIZES[size])
    other_admin = make_staff(other_org, "oa@example.org", Membership.Role.ADMIN)
    other_mentor = make_staff(other_org, "om@example.org", Membership.Role.COUNSELOR)
    network = services.network_create(name="Kopano-nettverket", by=admin)
    services.network_join(join_code=network.join_code, by=other_admin)
    services.platform_mentor_appoint(user=colleague, by=leader)
    services.platform_mentor_appoint(user=other_mentor, by=other_admin)
    programme = programme_services.programme_create(by=colleague, title="Felles plattform")
    module = programme_services.module_add(programme=programme, by=colleague, title="Troen")
    starts = timezone.now() + datetime.timedelta(days=7)
    programme_services.session_add(
        module=module,
        by=colleague,
        title="Når troen faller",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        place="Møterom Fjord",
        facilitator=colleague,
    )

    # The platform mentor shares the programme with the network.
    log_in(colleague)
    page.goto(f"/learning/programmes/{programme.pk}/")
    page.select_option("#id_network", label="Kopano-nettverket")
    page.locator("main button", has_text="Lagre deling").click()
    expect(page.locator(".messages")).to_contain_text("Delingen er lagret")
    check(page, "programme-share", size)

    # The other organisation's platform mentor finds it, reads it and adopts a copy.
    page.context.clear_cookies()
    log_in(other_mentor)
    page.goto("/learning/programmes/")
    page.locator("main a", has_text="Program delt i nettverkene dine").click()
    check(page, "shared-programmes", size)
    page.locator("main a", has_text="Felles plattform").click()
    expect(page.locator("main")).to_contain_text("Når troen faller")
    expect(page.locator("main")).not_to_contain_text(colleague.full_name)
    check(page, "shared-programme", size)
    page.locator("main button", has_text="Ta i bruk en kopi").click()
    expect(page.locator(".messages")).to_contain_text("En kopi ligger nå blant programmene dine")
    check(page, "adopted-programme", size)
    copy = Programme.objects.get(adopted_from=programme)
    assert copy.organisation_id == other_org.pk
