"""Time-dependent rules under a frozen clock: the pages and the scheduler read "today" from the
clock, so the clock is moved (time-machine), not the arguments."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from samspill.core.testing import client_for
from samspill.followup import dashboard
from samspill.followup.models import Reminder
from samspill.followup.reminders import reminders_schedule
from samspill.participants import services as participant_services
from samspill.plans import services as plan_services

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")
START = datetime.date(2026, 1, 5)  # the cast's participant starts here


def clock(day: datetime.date, hour: int = 9):
    """Freeze the clock at `hour` o'clock in Oslo on `day`."""
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(hour), tzinfo=OSLO), tick=False
    )


def today_counts(user) -> dict[str, int]:
    """Each list's count as the page shows it: in the menu of lists, or 0 for a list named
    under "Nothing waiting"."""
    page = client_for(user).get(reverse("followup:today")).content.decode()
    empty = page[page.index('id="h-nothing-waiting"') :] if "h-nothing-waiting" in page else ""
    return {
        **dict.fromkeys(re.findall(r'<li id="([a-z-]+)">', empty), 0),
        **{
            section: int(n)
            for section, n in re.findall(
                r'<a href="#([a-z-]+)">[^<]*<span class="count">(\d+)', page
            )
        },
    }


def test_the_first_checkin_becomes_due_on_the_today_page_four_weeks_after_the_start(
    participant, counselor
):
    with clock(START + datetime.timedelta(days=27)):
        assert today_counts(counselor)["checkins"] == 0
    with clock(START + datetime.timedelta(weeks=4), hour=0):
        assert today_counts(counselor)["checkins"] == 1


def test_a_checkin_is_due_again_after_the_interval_and_reminded_once(participant, counselor):
    with clock(datetime.date(2026, 2, 2)):
        response = client_for(counselor).post(
            reverse("followup:belief", kwargs={"pk": participant.pk}),
            {"belief": "4", "asked_on": "2026-02-02"},
        )
        assert response.status_code == 302
        assert today_counts(counselor)["checkins"] == 0
    with clock(datetime.date(2026, 4, 26)):  # twelve weeks less a day
        assert today_counts(counselor)["checkins"] == 0
        assert reminders_schedule() == 0
    with clock(datetime.date(2026, 4, 27)):
        assert today_counts(counselor)["checkins"] == 1
        created = reminders_schedule()
        assert created >= 1
        assert reminders_schedule() == 0  # the same day again: nothing new
    assert Reminder.objects.filter(user=counselor, kind=Reminder.Kind.BELIEF_CHECKIN).count() == 1


def test_follow_up_dates_and_activities_fall_due_with_the_clock(participant, counselor):
    plan_services.activity_add(
        participant=participant,
        by=counselor,
        kind="meeting",
        title="Møte med arbeidsgiver",
        due_date=datetime.date(2026, 3, 10),
    )
    with clock(datetime.date(2026, 3, 10)):
        assert today_counts(counselor)["activities"] == 0  # due today is not overdue
    with clock(datetime.date(2026, 3, 11)):
        assert today_counts(counselor)["activities"] == 1


def test_new_to_you_lasts_until_opened_whatever_the_date(participant, counselor, colleague, leader):
    with clock(datetime.date(2026, 3, 1)):
        participant_services.counselor_assign(
            participant=participant, counselor=colleague, by=leader, reason="long_leave"
        )
    with clock(datetime.date(2026, 6, 1)):  # three months on, still unopened
        assert today_counts(colleague)["handovers"] == 1
        client_for(colleague).get(reverse("participants:detail", kwargs={"pk": participant.pk}))
        assert today_counts(colleague)["handovers"] == 0


@pytest.mark.parametrize(
    ("day", "first_quarter_start", "last_quarter_end"),
    [
        (datetime.date(2026, 11, 23), datetime.date(2026, 1, 1), datetime.date(2026, 11, 23)),
        (datetime.date(2027, 1, 1), datetime.date(2026, 4, 1), datetime.date(2027, 1, 1)),
    ],
)
def test_the_dashboard_quarters_follow_the_clock(
    leader, day, first_quarter_start, last_quarter_end
):
    with clock(day):
        response = client_for(leader).get(reverse("followup:dashboard"))
        windows = [window for window, _ in response.context["over_time"]]
    assert windows[0].start == first_quarter_start
    assert windows[-1].end == last_quarter_end
    assert windows == [
        dashboard.Window(w.start, w.end) for w in dashboard.quarters_back(last_quarter_end)
    ]
