"""The statistics hide counts of 1-4 referrals on the page, in the CSV and in the API, and hide a
second cell wherever a total would let one work a hidden cell out (core/smallcells.py)."""

import csv
import datetime
import io
from collections.abc import Sequence

import pytest
from django.urls import reverse

from samspill.core.testing import client_for
from samspill.referrals import services
from samspill.referrals.models import Source
from samspill.referrals.tests.conftest import make_referral

PERIOD = {"start": "2026-01-01", "end": "2026-12-31"}
YOUTH, QUALIFICATION, STREET = (
    Source.YOUTH_DEPARTMENT,
    Source.QUALIFICATION_PROGRAMME,
    Source.STREET_TEAM,
)
# (source, outcome, how many): three to another measure (a practice place) from the youth
# department is the small cell; the street team's eight to education share no row or column
# with it.
REFERRALS = [
    (YOUTH, "ordinary_work", 6),
    (YOUTH, "other_measure", 3),
    (QUALIFICATION, "ordinary_work", 5),
    (QUALIFICATION, "other_measure", 7),
    (STREET, "education", 8),
]


@pytest.fixture
def referred(org, leader, counselor) -> None:
    for source, outcome, count in REFERRALS:
        for n in range(count):
            referral = make_referral(
                org,
                leader,
                source=source,
                given_name=f"P{n}",
                received_on=datetime.date(2026, 3, 2),
            )
            services.referral_set_outcome(
                referral=referral,
                by=counselor,
                outcome=outcome,
                outcome_on=datetime.date(2026, 4, 1),
            )


def assert_no_line_reveals_a_hidden_cell(table: Sequence[Sequence[object]]) -> None:
    """Rows and columns of a table whose last row and column are totals: never exactly one
    hidden cell in a row or a column."""
    for line in [*table, *zip(*table, strict=True)]:
        assert sum(cell is None for cell in line) != 1, line


def test_the_page_hides_the_small_cell_and_its_complements(leader, referred):
    client = client_for(leader)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    response = client.get(reverse("referrals:statistics"), PERIOD)

    stats = response.context["stats"]
    keys = [value for value, _label in stats.columns]
    rows = {row.source: dict(zip(keys, row.counts, strict=True)) for row in stats.rows}
    assert rows[YOUTH]["other_measure"] is None
    assert rows[YOUTH]["ordinary_work"] is None  # else 9 - 6 gives the 3
    assert rows[QUALIFICATION]["other_measure"] is None  # else 10 - 7 gives the 3
    assert rows[STREET]["education"] == 8
    assert stats.total == 29
    table = [[*row.counts, row.total] for row in stats.rows] + [[*stats.totals, stats.total]]
    assert_no_line_reveals_a_hidden_cell(table)
    html = response.content.decode()
    assert ">hidden<" in html
    assert "Hidden: counts of 1 to 4 people are not shown" in html
    assert "<td>3</td>" not in html


def test_the_csv_hides_the_same_cells(leader, referred):
    client = client_for(leader)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    response = client.get(reverse("referrals:statistics_csv"), PERIOD)

    header, *body = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    cells = [[None if v == "suppressed" else int(v) for v in row[1:]] for row in body]
    by_source = {
        row[0]: dict(zip(header[1:], cell, strict=True))
        for row, cell in zip(body, cells, strict=True)
    }
    assert by_source["Youth department"]["Other measure"] is None
    assert by_source["Street team"]["Education"] == 8
    assert by_source["Total"]["Total"] == 29
    assert "3" not in [v for row in body for v in row[1:]]
    assert_no_line_reveals_a_hidden_cell(cells)


def test_the_api_gives_null_for_a_hidden_cell_and_says_so(leader, referred):
    response = client_for(leader).get("/api/v1/referrals/statistics", PERIOD)

    stats = response.json()
    youth, qualification, *_rest = stats["sources"]
    street = next(row for row in stats["sources"] if row["source"] == STREET)
    assert youth["counts"]["other_measure"] is None
    assert youth["suppressed"] is True
    assert street["counts"]["education"] == 8
    assert street["suppressed"] is False
    assert stats["suppressed"] is True
    assert stats["total"] == 29
    keys = list(stats["totals"])
    table = [[*(row["counts"][k] for k in keys), row["total"]] for row in stats["sources"]]
    table.append([*(stats["totals"][k] for k in keys), stats["total"]])
    assert_no_line_reveals_a_hidden_cell(table)


def test_the_openapi_document_says_what_null_means(client):
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]

    assert "fewer than 5" in schema["StatisticsOut"]["properties"]["suppressed"]["description"]
