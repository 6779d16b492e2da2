"""The statistics: referrals by source x outcome with totals for a period (one aggregate query),
and the same table as CSV for Excel."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from samspill.core.testing import client_for
from samspill.organisations.queries import membership_for_user
from samspill.referrals import queries
from samspill.referrals.models import Referral, Source
from samspill.referrals.tests.conftest import make_referral

PAGE = reverse("referrals:statistics")
CSV = reverse("referrals:statistics_csv")
YEAR = {"start": "2026-01-01", "end": "2026-10-31"}

# The KREM report (seed 004): 53 referrals in ten months; 6 to ordinary work, 8 to practice
# places, 10 summer jobs. In the one outcome vocabulary a summer job is ordinary work and a
# practice place another measure; "in process" is no outcome yet. (source, outcome, how many)
KREM = [
    ("youth_department", "ordinary_work", 2),
    ("youth_department", "ordinary_work", 6),  # summer jobs
    ("youth_department", "", 4),
    ("qualification_programme", "ordinary_work", 3),
    ("qualification_programme", "other_measure", 5),  # practice places
    ("introduction_programme", "other_measure", 3),  # practice places
    ("introduction_programme", "education", 2),
    ("street_team", "ordinary_work", 4),  # summer jobs
    ("child_welfare", "not_ready", 3),
    ("contact_24h", "", 2),  # in process
    ("reception", "other_measure", 2),  # referred elsewhere
    ("self", "ordinary_work", 1),
    ("self", "", 6),
    ("other", "apprenticeship", 1),
    ("other", "", 9),
]


@pytest.fixture
def krem(org, leader, counselor) -> None:
    """The KREM year, bulk-inserted (the services are tested elsewhere), plus referrals that
    must not count: outside the period and in another organisation."""
    rows = [
        Referral(
            organisation=org,
            source=source,
            source_other="Helsestasjon" if source == "other" else "",
            received_on=datetime.date(2026, 1 + n % 10, 1 + n % 28),
            given_name=f"P{source}{n}",
            family_name="Krem",
            asked_for="Work",
            outcome=outcome,
            outcome_on=datetime.date(2026, 11, 1) if outcome else None,
            taken_by=counselor,
        )
        for source, outcome, count in KREM
        for n in range(count)
    ]
    Referral.objects.bulk_create(rows)
    make_referral(org, leader, received_on=datetime.date(2025, 12, 31))
    make_referral(org, leader, received_on=datetime.date(2026, 11, 1))


@pytest.fixture
def elsewhere(other_org, outsider) -> None:
    make_referral(other_org, outsider, received_on=datetime.date(2026, 3, 3))


def test_the_table_counts_referrals_by_source_and_outcome(leader, krem, elsewhere):
    stats = queries.referral_statistics(
        leader, start=datetime.date(2026, 1, 1), end=datetime.date(2026, 10, 31)
    )

    columns = [value for value, _label in stats.columns]
    totals = dict(zip(columns, stats.totals, strict=True))
    assert stats.total == 53
    # 6 to ordinary work and 10 summer jobs; 8 practice places and 2 referred elsewhere.
    assert (totals["ordinary_work"], totals["other_measure"]) == (16, 10)
    assert totals[""] == 21
    assert [row.source for row in stats.rows] == Source.values
    youth = stats.rows[0]
    assert youth.total == 12
    # Its 8 to ordinary work are hidden: else 12 - 8 would give the 4 with none.
    assert dict(zip(columns, youth.counts, strict=True))["ordinary_work"] is None
    assert totals["education"] is None  # 2


def test_the_table_is_one_query(leader, krem, django_assert_num_queries):
    membership_for_user(leader)  # looked up once per request, and cached on the user

    with django_assert_num_queries(1):
        queries.referral_statistics(
            leader, start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31)
        )


def test_the_page_shows_the_period_this_calendar_year_by_default(org, leader, counselor):
    today = timezone.localdate()
    for _n in range(5):  # five: fewer would be hidden
        make_referral(org, leader, received_on=today)
    make_referral(org, leader, received_on=datetime.date(today.year - 1, 12, 31))

    response = client_for(leader).get(PAGE)

    stats = response.context["stats"]
    assert response.status_code == 200
    assert (stats.start, stats.end) == (
        datetime.date(today.year, 1, 1),
        datetime.date(today.year, 12, 31),
    )
    assert stats.total == 5


@pytest.mark.parametrize("who", ["leader", "coordinator"])
def test_leaders_and_coordinators_see_the_table(request, who, krem):
    response = client_for(request.getfixturevalue(who)).get(PAGE, YEAR)

    assert response.status_code == 200
    assert response.context["stats"].total == 53


def test_a_period_that_ends_before_it_starts_is_refused_clearly(leader):
    client = client_for(leader)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    response = client.get(PAGE, {"start": "2026-06-01", "end": "2026-01-01"})
    csv_response = client.get(CSV, {"start": "2026-06-01", "end": "2026-01-01"})

    assert response.status_code == 400
    assert b"The end must be on or after the start." in response.content
    assert csv_response.status_code == 400
    assert csv_response.content.decode() == "The end must be on or after the start."


def number(value: str) -> int | None:
    return None if value == "suppressed" else int(value)


def parse(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


class TestCsv:
    def test_it_is_utf8_csv_with_a_byte_order_mark_for_excel(self, leader, krem):
        response = client_for(leader).get(CSV, YEAR)

        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response.content.startswith("\ufeff".encode())
        assert 'filename="referrals-2026-01-01-2026-10-31.csv"' in response["Content-Disposition"]

    def test_it_holds_the_same_numbers_as_the_table(self, leader, krem, elsewhere):
        client = client_for(leader)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

        rows = parse(client.get(CSV, YEAR))

        header, *body, totals = rows
        assert header[0] == "Source"
        assert header[-1] == "Total"
        assert header[1:5] == ["Ordinary work", "Education", "Apprenticeship", "Other measure"]
        assert len(body) == len(Source.values)
        by_source = {
            row[0]: dict(zip(header[1:], map(number, row[1:]), strict=True)) for row in body
        }
        assert by_source["Youth department"]["Ordinary work"] is None  # hidden, as on the page
        assert by_source["Youth department"]["Total"] == 12
        assert by_source["The person themself"]["No outcome yet"] is None
        assert by_source["The person themself"]["Total"] == 7
        assert totals[0] == "Total"
        total_of = dict(zip(header[1:], map(number, totals[1:]), strict=True))
        assert total_of["Total"] == 53
        assert (total_of["Ordinary work"], total_of["Other measure"]) == (16, 10)
        assert total_of["Education"] is None
