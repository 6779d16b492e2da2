"""Every main page of every role, on a 390 px phone: nothing scrolls sideways, no label column
squeezes its values into a letter a line, each page has its heading, and axe-core finds nothing
serious or critical; the platform operator's Django admin too. The error pages as each role
sees them: the layout, a sentence and a way back. Then every chart on every insights, dashboard
and outcomes page, in Norwegian, measured by the width its bars are drawn with."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from samspill.core.testing import PASSWORD, make_participant
from samspill.employers import services_coordination as coord
from samspill.insights import charts
from samspill.insights.tests import outcome_data
from samspill.placements.tests import cast
from samspill.selfservice.tests.conftest import own_login
from tests.browser.axe import assert_accessible
from tests.browser.test_daily_journeys import assert_bars_match_their_shares
from tests.browser.test_small_screens import assert_no_horizontal_scroll

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}
PERCENT = re.compile(r"(\d+)\s%")

COUNSELOR = [
    "/today/",
    "/participants/",
    "/participants/new/",
    "/participants/{participant}/",
    "/participants/{participant}/plan/",
    "/participants/{participant}/consent/",
    "/participants/{participant}/follow-up/",
    "/participants/{participant}/belief/",
    "/participants/{participant}/dialog/",
    "/participants/{participant}/edit/",
    "/placements/{placement}/",
    "/employers/",
    "/employers/pipeline/",
    "/employers/new/",
    "/employers/{employer}/",
    "/referrals/",
    "/referrals/new/",
    "/loops/",
    "/loops/driver/",
    "/loops/compare/",
    "/loops/calendar/",
    "/learning/",
    "/learning/goals/",
    "/employers/coordination/actions/",
    "/account/",
]
COORDINATOR = [
    "/employers/pipeline/",
    "/employers/{employer}/",
    "/employers/apprenticeship-offices/",
    "/employers/apprenticeship-offices/new/",
    "/workshops/",
    "/workshops/new/",
    "/placements/measures/",
    "/participants/",
    "/learning/",
    "/employers/coordination/meetings/",
    "/employers/coordination/meetings/new/",
    "/employers/coordination/meetings/{series}/",
    "/employers/coordination/meetings/{series}/occurrences/{meeting}/",
    "/employers/coordination/actions/",
    "/employers/coordination/events/",
    "/employers/coordination/events/new/",
    "/employers/coordination/events/{event}/",
]
LEADER = [
    "/follow-up/dashboard/",
    "/insights/outcomes/",
    "/insights/effects/",
    "/insights/fidelity/",
    "/insights/creaming/",
    "/learning/team/",
    "/organisation/service-feedback/",
    "/referrals/statistics/",
    "/participants/{participant}/access-log/",
]
ADMIN = [
    "/organisation/",
    "/organisation/staff/invite/",
    "/organisation/staff/{member}/",
    "/organisation/teams/",
    "/organisation/teams/{team}/",
    "/organisation/tokens/",
    "/organisation/settings/",
    "/organisation/participant-pages/",
    "/placements/measures/",
    "/placements/measures/wage_subsidy/",
    "/privacy/retention/",
    "/privacy/processing/",
    "/learning/",
    "/learning/mentors/",
    "/learning/networks/",
    "/insights/outcomes/",
    "/account/",
]
MENTOR = ["/portal/", "/portal/placements/{placement}/", "/account/"]
PARTICIPANT = [
    "/portal/",
    "/portal/me/placements/{placement}/",
    "/portal/me/plan/",
    "/portal/me/dialog/",
    "/portal/me/schedule/",
    "/portal/me/profile/",
    "/portal/me/documents/",
    "/portal/me/consents/",
    "/portal/me/access-log/",
    "/portal/me/feedback/",
    "/privacy/my-data/",
    "/loops/calendar/",
    "/account/",
]
OPERATOR = [
    "/admin/",
    "/admin/accounts/",
    "/admin/accounts/user/",
    "/admin/accounts/user/{counselor}/change/",
    "/admin/accounts/apitoken/",
    "/admin/organisations/",
    "/admin/organisations/organisation/",
    "/admin/organisations/organisation/{org}/change/",
    "/admin/organisations/membership/",
    "/admin/audit/",
    "/admin/audit/auditevent/",
    "/admin/django_tasks_database/",
    "/admin/django_tasks_database/dbtaskresult/",
]


def assert_no_squeezed_values(page: Page) -> None:
    """A value beside its label keeps room to be read: an agreement once showed its values a
    letter a line on a phone, with nothing scrolling sideways."""
    widths = page.evaluate(
        "() => [...document.querySelectorAll('main dl.facts dd')]"
        ".filter(dd => dd.innerText.trim().length > 3)"
        ".map(dd => [dd.getBoundingClientRect().width, dd.innerText.slice(0, 40)])"
    )
    for width, text in widths:
        assert width >= 120, f"{page.url}: {text!r} is squeezed into {width:.0f} px"


def walk(page: Page, paths: list[str], ids: dict[str, int]) -> None:
    for template in paths:
        path = template.format(**ids)
        response = page.goto(path)
        assert response is not None and response.status == 200, (path, response and response.status)
        expect(page.locator("h1").first).to_be_visible()
        page.evaluate("document.querySelectorAll('main details').forEach(d => d.open = true)")
        assert_no_horizontal_scroll(page)
        assert_no_squeezed_values(page)
        assert_accessible(page)


# A page each role may not open (the administrator follows no participants).
FORBIDDEN = {
    "counselor": "/organisation/",
    "coordinator": "/organisation/",
    "leader": "/organisation/",
    "admin": "/today/",
    "mentor": "/today/",
    "participant": "/organisation/",
}


def assert_error_pages_lead_back(page: Page, forbidden: str) -> None:
    for path, heading in (
        ("/no-such-page/", "Siden ble ikke funnet"),
        (forbidden, "Du har ikke tilgang til denne siden"),
    ):
        page.goto(path)
        expect(page.locator("main h1")).to_have_text(heading)
        expect(page.locator("main p").first).not_to_be_empty()
        expect(page.get_by_role("link", name="Gå til forsiden")).to_be_visible()
        expect(page.locator("header.site-header")).to_be_visible()
        assert_no_horizontal_scroll(page)
        assert_accessible(page)


@pytest.fixture
def world(
    time_machine,
    org,
    team_a,
    counselor,
    coordinator,
    participant,
    employer,
    mentor_contact,
    mentor,
    employer_user,
    full_record,
):
    """A running placement the mentor approved, one awaiting her, and the participant's own
    login; every page below has something to show."""
    time_machine.move_to(cast.at(cast.TODAY), tick=False)
    running = cast.approve_all(
        cast.draft(participant, employer, counselor, mentor_contact, start=cast.START),
        counselor,
        employer_user,
    )
    other = make_participant(org, counselor, given_name="Per", family_name="Annen")
    cast.sent(cast.draft(other, employer, counselor, mentor_contact, start=cast.START), counselor)
    me = own_login(participant, counselor, "kari@example.org")
    # A coordinator meeting with an action about the employer, and a business breakfast.
    series = coord.series_create(
        organisation=org,
        by=coordinator,
        member_ids=[coordinator.pk, counselor.pk],
        title="Fast koordinatormøte",
        weekday=cast.TODAY.weekday(),
        interval_weeks=1,
        starts_on=cast.TODAY,
        start_time=datetime.time(9, 0),
        duration_minutes=60,
        place="NAV-kontoret",
    )
    meeting = coord.meeting_create(series=series, by=coordinator, held_on=cast.TODAY)
    coord.action_add(
        meeting=meeting,
        by=coordinator,
        what="Ring daglig leder",
        responsible=counselor,
        due_on=cast.START,
        employer=employer,
    )
    event = coord.event_create(
        organisation=org, by=coordinator, title="Næringslivsfrokost", held_on=cast.START
    )
    coord.event_invite(event=event, by=coordinator, employer_ids=[employer.pk])
    return {
        "ids": {
            "participant": participant.pk,
            "placement": running.pk,
            "employer": employer.pk,
            "counselor": counselor.pk,
            # The staff page is the membership's, not the user's.
            "member": counselor.memberships.get().pk,
            "team": team_a.pk,
            "org": org.pk,
            "series": series.pk,
            "meeting": meeting.pk,
            "event": event.pk,
        },
        "me": me,
    }


@pytest.mark.browser
@pytest.mark.parametrize(
    "role", ["counselor", "coordinator", "leader", "admin", "mentor", "participant", "operator"]
)
def test_every_main_page_fits_a_phone_without_serious_violations(
    request, page, log_in, world, role, leader, admin
):
    paths = {
        "counselor": COUNSELOR,
        "coordinator": COORDINATOR,
        "leader": LEADER,
        "admin": ADMIN,
        "mentor": MENTOR,
        "participant": PARTICIPANT,
        "operator": OPERATOR,
    }[role]
    if role == "participant":
        user = world["me"]
    elif role == "operator":
        user = get_user_model().objects.create_superuser(
            email="operator@example.org", password=PASSWORD, full_name="Platform Operator"
        )
    else:
        user = request.getfixturevalue(role)
    page.set_viewport_size(PHONE)
    log_in(user)

    walk(page, paths, world["ids"])
    if role != "operator":
        assert_error_pages_lead_back(page, FORBIDDEN[role])


@pytest.mark.browser
def test_the_operator_reads_the_admin_in_norwegian(page, log_in, transactional_db):
    operator = get_user_model().objects.create_superuser(
        email="operator@example.org", password=PASSWORD, full_name="Platform Operator"
    )
    page.set_viewport_size(LAPTOP)
    log_in(operator)
    page.goto("/admin/")
    expect(page.locator("#content")).to_contain_text("Bakgrunnsjobber")
    expect(page.locator("#content")).not_to_contain_text("Tasks Database Backend")
    page.goto("/admin/django_tasks_database/")
    expect(page.locator("#content h1")).to_contain_text("Bakgrunnsjobber")
    expect(page.locator(".breadcrumbs")).to_contain_text("Bakgrunnsjobber")
    assert_accessible(page)


def assert_svg_segments_match_their_shares(page: Page) -> int:
    """Each segment of an SVG chart is drawn as wide as the share its title gives, measured on
    screen against the chart's own scale; returns how many were measured."""
    rects = page.evaluate(
        """() => [...document.querySelectorAll('main svg.chart')].flatMap(svg => {
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            return [...svg.querySelectorAll('rect')].filter(r => r.querySelector('title'))
              .map(r => ({scale, stacked: r.hasAttribute('class'),
                          width: r.getBoundingClientRect().width,
                          title: r.querySelector('title').textContent}));
        })"""
    )
    for rect in rects:
        share = int(PERCENT.findall(rect["title"])[-1]) / 100
        span = charts.WIDTH - charts.LABEL - (4 if rect["stacked"] else 60)
        expected = share * span * rect["scale"]
        # Percentages are rounded to whole numbers; a share's bar is never a tick.
        assert abs(rect["width"] - expected) <= 0.006 * span * rect["scale"] + 1, rect
        if share >= 0.05:
            assert rect["width"] > 5, rect
    return len(rects)


@pytest.mark.browser
@pytest.mark.parametrize("size", ["laptop", "phone"])
def test_every_chart_draws_its_bars_to_their_share_in_norwegian(
    page, log_in, time_machine, org, counselor, other_team_counselor, leader, size
):
    outcome_data.build(time_machine, org, counselor, other_team_counselor, leader)
    time_machine.move_to(cast.at(outcome_data.TODAY), tick=False)
    page.set_viewport_size(LAPTOP if size == "laptop" else PHONE)
    log_in(leader)
    year = "?start=2025-01-01&end=2025-12-31"
    measured = {}
    for path in (
        "/follow-up/dashboard/",
        f"/insights/outcomes/{year}",
        "/insights/effects/",
        "/insights/fidelity/",
        f"/insights/creaming/{year}",
        "/referrals/statistics/",
    ):
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", "nb")
        measured[path] = assert_bars_match_their_shares(page) + (
            assert_svg_segments_match_their_shares(page)
        )
        assert_no_horizontal_scroll(page)
        assert_accessible(page)
    assert measured["/follow-up/dashboard/"] >= 3
    assert measured[f"/insights/outcomes/{year}"] >= 6
    assert measured[f"/insights/creaming/{year}"] >= 4
