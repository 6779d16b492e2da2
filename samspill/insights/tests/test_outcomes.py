"""Outcomes at the end of follow-up and six months after, by group; the CSV read back."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from samspill.core.testing import client_for, make_participant
from samspill.insights import outcomes
from samspill.participants.models import FollowUpPeriod, PeriodOutcome

TODAY = datetime.date(2026, 11, 23)


def _ended(participant, start, end, *results):
    period = FollowUpPeriod.objects.get(participant=participant)
    FollowUpPeriod.objects.filter(pk=period.pk).update(start_date=start, end_date=end)
    for day, outcome in results:
        PeriodOutcome.objects.create(period=period, date=day, outcome=outcome)


@pytest.fixture
def case(org, counselor):
    """Five like A and five like B (fewer would be hidden, see test_outcomes_small_cells)."""
    for n in range(5):
        a = make_participant(
            org,
            counselor,
            given_name=f"A{n}",
            need_group="good_prospects",
            birth_date=datetime.date(2003, 5, 1),
        )
        b = make_participant(
            org,
            counselor,
            given_name=f"B{n}",
            need_group="little_prospect",
            birth_date=datetime.date(1970, 1, 1),
        )
        _ended(
            a,
            datetime.date(2025, 1, 5),
            datetime.date(2025, 6, 30),
            (datetime.date(2025, 6, 20), "ordinary_work"),
            (datetime.date(2025, 9, 1), "education"),  # within six months after the end
        )
        _ended(b, datetime.date(2025, 3, 1), datetime.date(2026, 10, 1))  # no outcome, too recent
    make_participant(org, counselor, given_name="C")  # still followed


def test_outcomes_at_the_end_and_six_months_after(org, case):
    result = outcomes.compute(org, datetime.date(2025, 1, 1), TODAY, TODAY)
    assert result["followed"] == 11
    whole = result["groups"]["organisation"][org.name]
    assert whole["ended"] == 10
    assert whole["at_end"]["ordinary_work"]["n"] == 5
    assert whole["at_end"]["none"]["n"] == 5
    assert whole["six_months_after_known"] == 5  # the Bs ended less than six months ago
    assert whole["six_months_after"]["education"] == {"n": 5, "share": 1.0}
    assert result["groups"]["need_group"]["good_prospects"]["at_end"]["ordinary_work"]["n"] == 5
    assert set(result["groups"]["age_band"]) == {"under 25", "45 and over"}
    assert result["groups"]["team"]["Team A"]["ended"] == 10


def test_the_page_draws_and_downloads_them(org, leader, counselor, case, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 23, 12, tzinfo=datetime.UTC))
    client = client_for(leader)
    url = reverse("insights:outcomes") + "?start=2025-01-01&end=2026-11-23"
    page = client.get(url)
    assert page.status_code == 200
    assert 'class="stack"' in page.content.decode()
    download = client.get(url + "&format=csv")
    assert download["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(download.content.decode())))
    need = {row["group"]: row for row in rows if row["dimension"] == "need_group"}
    assert need["little_prospect"]["at_end_none"] == "5"
    assert need["good_prospects"]["six_months_after_education"] == "5"
    assert client_for(counselor).get(url).status_code == 403
    assert (
        client.get(reverse("insights:outcomes") + "?start=2026-01-01&end=2025-01-01").status_code
        == 400
    )
