"""The learning organisation in the browser: a platform mentor publishes a method and shares it
with the network; a counselor sets a learning goal; the leader holds the follow-up conversation.
On a laptop and on a phone, with axe-core on every page."""

import pytest
from playwright.sync_api import expect

from samspill.core.testing import make_staff
from samspill.learning import services
from samspill.learning.models import LearningGoal, Method
from samspill.organisations.models import Membership
from tests.browser.axe import assert_accessible
from tests.browser.test_small_screens import assert_no_horizontal_scroll

SIZES = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def check(page, name: str, size: str) -> None:
    assert_accessible(page)
    if size == "phone":
        assert_no_horizontal_scroll(page)
    page.screenshot(path=f"/tmp/learning-{name}-{size}.png", full_page=True)


@pytest.mark.browser
@pytest.mark.parametrize("size", list(SIZES))
def test_a_method_is_published_and_shared_and_a_goal_is_followed_up(
    page, log_in, admin, leader, colleague, counselor, other_org, size
):
    page.set_viewport_size(SIZES[size])
    other_admin = make_staff(other_org, "oa@example.org", Membership.Role.ADMIN)
    network = services.network_create(name="Kopano-nettverket", by=admin)
    services.network_join(join_code=network.join_code, by=other_admin)
    services.platform_mentor_appoint(user=colleague, by=leader)

    # The platform mentor writes a method, publishes it and shares it with the network.
    log_in(colleague)
    page.locator("header nav a[href='/learning/']").click()
    expect(page.locator("main")).to_contain_text("Biblioteket har ingen metoder ennå")
    page.locator("main a[href='/learning/methods/new/']").click()
    page.fill("#id_title", "Trepartsmøtet")
    page.fill("#id_purpose", "Avklare forventninger før oppstart.")
    page.fill("#id_effect_size", "+32 %")
    page.check("text=Forventningsmøtet på arbeidsplassen")
    check(page, "method-form", size)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("Utkastet er lagret")
    page.locator("main button", has_text="Publiser versjon 1").click()
    expect(page.locator(".messages")).to_contain_text("Versjon 1 er publisert")
    page.select_option("#id_network", label="Kopano-nettverket")
    page.locator("main button", has_text="Lagre deling").click()
    expect(page.locator("main")).to_contain_text("delt med Kopano-nettverket")
    check(page, "method", size)
    assert Method.objects.get().shared_with == network

    # A counselor finds it, and sets a learning goal that uses it.
    page.context.clear_cookies()
    log_in(counselor)
    page.goto("/learning/?q=forventninger")
    expect(page.locator("main")).to_contain_text("Trepartsmøtet")
    check(page, "library", size)
    page.goto("/learning/goals/")
    page.fill("#id_goal", "Bli tryggere i trepartsmøter")
    page.fill("#id_target_date", "2020-01-01")
    page.check("text=Trepartsmøtet")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Måldatoen er passert")
    assert not LearningGoal.objects.exists()
    page.fill("#id_target_date", "2099-01-01")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("Læringsmålet ditt er lagret")
    check(page, "goal", size)

    # The leader sees it and records the follow-up conversation.
    page.context.clear_cookies()
    log_in(leader)
    page.goto("/learning/team/")
    check(page, "team", size)
    page.locator("main a", has_text="Bli tryggere i trepartsmøter").click()
    page.fill("#id_held_on", "2026-12-01")
    page.fill("#id_next_steps", "Lede neste møte alene")
    page.locator("main form button", has_text="Lagre samtalen").click()
    expect(page.locator(".messages")).to_contain_text("Oppfølgingssamtalen er registrert")
    expect(page.locator("main")).to_contain_text("Lede neste møte alene")
    check(page, "review", size)


@pytest.mark.browser
@pytest.mark.parametrize("size", list(SIZES))
def test_a_counselor_attends_a_session_and_writes_a_reflection(
    page, log_in, leader, colleague, counselor, other_team_counselor, team_a, size
):
    import datetime

    from django.utils import timezone

    from samspill.learning import programme_services
    from samspill.learning.models import Reflection

    page.set_viewport_size(SIZES[size])
    services.platform_mentor_appoint(user=colleague, by=leader)
    programme = programme_services.programme_create(by=colleague, title="Felles plattform")
    programme_services.enrolment_add(programme=programme, by=colleague, teams=[team_a])
    module = programme_services.module_add(programme=programme, by=colleague, title="Troen")
    now = timezone.now()
    for title, start in [
        ("Når troen faller", now - datetime.timedelta(hours=3)),
        ("Trepartsmøtet i praksis", now + datetime.timedelta(days=7)),
    ]:
        programme_services.session_add(
            module=module,
            by=colleague,
            title=title,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            place="Møterom Fjord",
            facilitator=other_team_counselor,
        )

    # The counselor sees the coming and the past session.
    log_in(counselor)
    page.goto("/learning/")
    page.locator("main nav a", has_text="Program").click()
    expect(page.locator("main")).to_contain_text("Trepartsmøtet i praksis")
    check(page, "programme-sessions", size)
    page.locator("main a", has_text="Når troen faller").click()
    expect(page.locator("main")).to_contain_text("når kursholderen har registrert deg")
    check(page, "session-before", size)

    # The facilitator records who was there.
    page.context.clear_cookies()
    log_in(other_team_counselor)
    page.goto("/learning/programmes/")
    page.locator("main a", has_text="Når troen faller").first.click()
    page.check(f"#present-{counselor.pk}")
    check(page, "attendance", size)
    page.locator("main button", has_text="Lagre oppmøtet").click()
    expect(page.locator(".messages")).to_contain_text("Oppmøtet er lagret")

    # The counselor writes a reflection, shared with the leader.
    page.context.clear_cookies()
    log_in(counselor)
    page.goto("/learning/programmes/")
    expect(page.locator("main")).to_contain_text("Skriv refleksjonen din")
    page.locator("main a", has_text="Når troen faller").click()
    page.fill("#id_learned", "At troen smitter over på deltakeren.")
    page.fill("#id_will_try", "Spørre om troen i neste samtale.")
    page.fill("#id_look_back_on", "2020-01-01")
    page.locator("main button", has_text="Lagre refleksjonen").click()
    expect(page.locator("main")).to_contain_text("Velg en dag å se tilbake fra og med i dag")
    assert not Reflection.objects.exists()
    look_back = timezone.localdate() + datetime.timedelta(days=30)
    page.fill("#id_look_back_on", look_back.isoformat())
    page.check("#id_shared_with_leader")
    page.locator("main button", has_text="Lagre refleksjonen").click()
    expect(page.locator(".messages")).to_contain_text("Refleksjonen din er lagret")
    expect(page.locator("main")).to_contain_text("lederen min")
    check(page, "reflection", size)

    # The leader reads it among the reflections shared with them.
    page.context.clear_cookies()
    log_in(leader)
    page.goto("/learning/reflections/")
    expect(page.locator("main")).to_contain_text("At troen smitter over på deltakeren.")
    check(page, "shared-reflections", size)
