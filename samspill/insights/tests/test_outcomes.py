"""The outcome report at the end of follow-up and 6 and 12 months after, by group, from a year
recorded through the services; its page draws a chart, its CSV reads back, its API answers."""

import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from samspill.core.testing import client_for, make_employer, make_participant
from samspill.insights import outcomes, synthetic
from samspill.insights.tests import outcome_data
from samspill.insights.tests.outcome_data import TODAY
from samspill.loops import queries as loop_queries
from samspill.loops import services as loop_services
from samspill.loops.models import Loop
from samspill.organisations.models import Organisation
from samspill.participants import services
from samspill.participants.models import WORK_OR_EDUCATION

URL_QUERY = "?start=2025-01-01&end=2026-03-02"


@pytest.fixture
def year(time_machine, org, counselor, other_team_counselor, leader):
    return outcome_data.build(time_machine, org, counselor, other_team_counselor, leader)


def test_the_report_counts_at_the_end_and_six_months_after(org, year):
    result = outcomes.compute(org, datetime.date(2025, 1, 1), TODAY, TODAY)

    whole = result["groups"]["organisation"][org.name]
    assert whole["ended"] == 30
    at_end, after_6, after_12 = (whole["points"][p] for p in ("at_end", "after_6", "after_12"))
    assert at_end["outcomes"]["ordinary_work"] == {"n": 15, "share": 0.5}
    assert at_end["outcomes"]["none"]["n"] == 0
    assert at_end["work_or_education"] == {"n": 20, "share": 0.667}
    assert (after_6["counted"], after_6["not_yet_due"]) == (30, 0)
    assert after_6["outcomes"]["ordinary_work"]["n"] == 15
    assert after_6["outcomes"]["not_recorded"] == {"n": 10, "share": 0.333}
    assert after_6["work_or_education"]["n"] == 20
    # Twelve months after the end lies after the report date: not yet due, not "not recorded".
    assert (after_12["counted"], after_12["not_yet_due"]) == (0, 30)
    assert after_12["outcomes"]["not_recorded"]["n"] == 0


def test_it_counts_by_the_team_of_the_periods_last_counselor(
    org, year, counselor, other_team_counselor
):
    groups = outcomes.compute(org, datetime.date(2025, 1, 1), TODAY, TODAY)["groups"]

    assert {name: g["ended"] for name, g in groups["team"].items()} == {
        "Team A": 20,
        "Team B": 10,
    }  # not "no team", though ending the periods cleared the participants' teams
    assert {name: g["ended"] for name, g in groups["counselor"].items()} == {
        counselor.full_name: 20,
        other_team_counselor.full_name: 10,
    }
    referral = groups["referral_source"]
    assert (referral["youth_department"]["ended"], referral["none"]["ended"]) == (10, 20)
    kinds = groups["placement_kind"]
    assert (kinds["work_training"]["ended"], kinds["none"]["ended"]) == (10, 20)
    assert (
        groups["placement_kind"]["work_training"]["points"]["at_end"]["outcomes"]["not_ready"]["n"]
        == 5
    )
    assert {name: g["ended"] for name, g in groups["age_band"].items()} == {
        "under 25": 20,
        "45 and over": 10,
    }
    assert set(groups["need_group"]) == {"good_prospects", "needs_guidance"}


def test_a_period_from_before_statuses_counts_its_latest_outcome_up_to_then(db, tmp_path):
    """An imported period has no scheduled statuses: six months after, its latest outcome on
    or before that day stands in (here education, two months after the end)."""
    cohort = synthetic.Cohort(organisation_key="SYN", staff=["S0"])
    for i in range(5):
        cohort.participants.append((f"P{i}", "2000-01-01", "good_prospects"))
        cohort.periods.append((f"F{i}", f"P{i}", "2024-09-02", "2025-03-31", "ordinary_work"))
        cohort.assignments.append((f"F{i}", "S0", "2024-09-02", "2025-03-31", "initial"))
        cohort.outcomes.append((f"F{i}", "2025-03-31", "ordinary_work"))
        cohort.outcomes.append((f"F{i}", "2025-05-30", "education"))
    folder = synthetic.write_interchange(cohort, tmp_path / "x", version=1)
    call_command("import", str(folder), verbosity=0)
    org = Organisation.objects.get(external_key="SYN")

    whole = outcomes.compute(org, datetime.date(2025, 1, 1), TODAY, TODAY)["groups"][
        "organisation"
    ][org.name]

    assert whole["points"]["at_end"]["outcomes"]["ordinary_work"]["n"] == 5
    assert whole["points"]["after_6"]["outcomes"]["education"]["n"] == 5
    assert whole["points"]["after_12"]["not_yet_due"] == 5
    assert whole["points"]["after_6"]["outcomes"]["not_recorded"]["n"] == 0


def test_the_page_draws_a_chart_and_the_table_beside_it(leader, year):
    client = client_for(leader)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    html = client.get(reverse("insights:outcomes") + URL_QUERY).content.decode()

    assert html.count('<svg class="chart"') == 7  # the organisation, 6 dimensions (no loop)
    assert 'role="img" aria-labelledby="chart-overview-t chart-overview-d"' in html
    assert '<rect class="ordinary_work"' in html
    assert "<title>Ordinary work: 15 (50 %)</title>" in html
    assert "<caption>Where participants went, at the end and after</caption>" in html
    assert "Team B" in html and "No team" not in html
    assert "Due, not recorded" in html
    assert "Not yet due" in html


def test_the_page_reads_a_fixed_number_of_queries(
    leader, year, django_assert_num_queries, time_machine
):
    client = client_for(leader)
    url = reverse("insights:outcomes") + URL_QUERY
    client.get(url)  # the session, the language
    # The session, the user, the membership; the count of periods followed; then the periods,
    # outcomes, statuses, assignments, referrals, placements and loop seats.
    with django_assert_num_queries(11):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(11):
        assert client.get(url + "&format=csv").status_code == 200


def test_the_csv_reads_back(leader, year):
    download = client_for(leader).get(reverse("insights:outcomes") + URL_QUERY + "&format=csv")

    assert download["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(download.content.decode())))
    assert list(rows[0]) == outcomes.csv_header()
    by = {(row["dimension"], row["group"]): row for row in rows}
    assert by[("team", "Team B")]["ended"] == "10"
    whole = next(row for row in rows if row["dimension"] == "organisation")
    assert whole["at_end_work_or_education"] == "20"
    assert whole["after_6_not_recorded"] == "10"
    assert whole["after_12_not_yet_due"] == "30"
    assert by[("referral_source", "youth_department")]["at_end_ordinary_work"] == "10"


def test_the_api_gives_the_same_report(leader, counselor, year):
    body = client_for(leader).get("/api/v1/insights/outcomes" + URL_QUERY).json()

    assert body["groups"]["team"]["Team B"]["ended"] == 10
    assert body["groups"]["organisation"]
    assert client_for(counselor).get("/api/v1/insights/outcomes").status_code == 403
    bad = client_for(leader).get("/api/v1/insights/outcomes?start=2026-01-01&end=2025-01-01")
    assert bad.status_code == 400


def test_a_bad_window_is_a_clear_400(leader):
    client = client_for(leader)
    url = reverse("insights:outcomes")
    assert client.get(url + "?start=2026-01-01&end=2025-01-01").status_code == 400
    assert client.get(url + "?start=yesterday").status_code == 400


def test_the_drivers_page_and_the_report_count_the_same_people_and_number(
    time_machine, org, counselor, coordinator, leader
):
    """Two loops of six, started in February 2025; the periods end in June. Loop Øst: four to
    work and two to education; loop Vest: three to work, three not ready (hidden on both
    pages, so the people are compared)."""
    outcome_data._at(time_machine, outcome_data.STARTED)
    employers = [make_employer(org, counselor, name=f"Arbeidsgiver {n}") for n in range(6)]
    stories = {
        "Loop Øst": ["ordinary_work"] * 4 + ["education"] * 2,
        "Loop Vest": ["ordinary_work"] * 3 + ["not_ready"] * 3,
    }
    people: dict[str, list] = {}
    for name, endings in stories.items():
        loop = loop_services.loop_create(
            organisation=org,
            by=coordinator,
            name=name,
            driver=coordinator,
            counselor=counselor,
            start_date=datetime.date(2025, 2, 3),
            employers=employers,
        )
        people[name] = []
        for row in range(len(endings)):
            person = make_participant(
                org,
                counselor,
                given_name=f"{name}{row}",
                start_date=outcome_data.STARTED,
                birth_date=datetime.date(2004, 1, 1),
            )
            loop_services.loop_seat_fill(loop=loop, row=row, participant=person, by=counselor)
            people[name].append(person)
    outcome_data._at(time_machine, outcome_data.ENDED)
    for name, endings in stories.items():
        for person, outcome in zip(people[name], endings, strict=True):
            services.period_end(
                participant=person, by=counselor, end_date=outcome_data.ENDED, outcome=outcome
            )
    outcome_data._at(time_machine, TODAY)

    loops = list(Loop.objects.filter(organisation=org).order_by("name"))
    driver = {row.loop.name: row for row in loop_queries.outcomes_across(loops)}
    report = outcomes.compute(org, datetime.date(2025, 1, 1), TODAY, TODAY)["groups"]["loop"]
    at_end = report["Loop Øst"]["points"]["at_end"]
    assert (driver["Loop Øst"].ended, driver["Loop Øst"].work_or_education) == (6, 6)
    assert (at_end["counted"], at_end["work_or_education"]["n"]) == (6, 6)
    assert driver["Loop Vest"].work_or_education is None
    assert report["Loop Vest"]["points"]["at_end"]["work_or_education"]["n"] is None
    rows = outcomes.period_rows(org, datetime.date(2025, 1, 1), TODAY, TODAY)
    for loop in loops:
        seated = [p.pk for p in people[loop.name]]
        by_driver = {
            pid
            for pid, outcome in loop_queries.participant_outcomes(loop, seated).items()
            if outcome in WORK_OR_EDUCATION
        }
        by_report = {
            row.participant_id
            for row in rows
            if loop.name in row.groups["loop"] and row.points["at_end"] in WORK_OR_EDUCATION
        }
        assert by_driver == by_report
        assert len(by_driver) == len(seated) - (3 if loop.name == "Loop Vest" else 0)
    html = client_for(coordinator).get(reverse("loops:driver")).content.decode()
    assert "6 (100 %)" in html


def test_a_point_nothing_is_due_at_yet_shows_a_dash_not_zeros(org, counselor, leader):
    """A period that ended ten days ago: the end is counted, 6 and 12 months after are not due
    yet, so their cells say "–" rather than a column of zeros."""
    from django.utils import timezone

    today = timezone.localdate()
    people = [
        make_participant(
            org, counselor, given_name=f"P{n}", start_date=today - datetime.timedelta(days=40)
        )
        for n in range(6)
    ]
    for person in people:
        services.period_end(
            participant=person,
            by=counselor,
            end_date=today - datetime.timedelta(days=10),
            outcome="ordinary_work",
        )
    query = f"?start={(today - datetime.timedelta(days=60)).isoformat()}&end={today.isoformat()}"
    response = client_for(leader).get(reverse("insights:outcomes") + query)
    overview = response.context["overview"]
    assert overview["counted"][0] == 6 and overview["counted"][1:] == [0, 0]
    assert overview["woe"][0]["n"] == 6 and overview["woe"][1:] == [None, None]
    assert all(cells[1:] == [None, None] for _label, cells in overview["rows"])
