"""The outcomes and the creaming comparison hide counts of 1-4 people on the page, in the CSV and in the management
command's JSON, and hide a second cell wherever a group's total or the organisation's row
would give a hidden one away (core/smallcells.py)."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import translation

from samspill.core.testing import client_for, make_participant
from samspill.insights import creaming, fidelity, outcomes
from samspill.insights.models import Analysis
from samspill.insights.tasks import run_analysis
from samspill.insights.tests.test_fidelity_and_creaming import ON as FIDELITY_ON
from samspill.insights.tests.test_fidelity_and_creaming import _hand_computed_case
from samspill.participants import services
from samspill.referrals.tests.conftest import make_referral

TODAY = datetime.date(2026, 11, 23)
ENDED = datetime.date(2025, 6, 30)  # more than six months before TODAY
# (need group, outcome at the end, how many): the permanently adapted work group's 3 to work
# and 2 unknown are the small cells.
ENDINGS = [
    ("good_prospects", "ordinary_work", 6),
    ("little_prospect", "ordinary_work", 3),
    ("little_prospect", "unknown", 2),
    ("needs_guidance", "ordinary_work", 7),
]


@pytest.fixture
def ended(org, counselor) -> None:
    end_periods(org, counselor)


def end_periods(org, counselor) -> None:
    """The ENDINGS: follow-up periods that ended on ENDED, each with its outcome."""
    for need_group, outcome, count in ENDINGS:
        for n in range(count):
            participant = make_participant(
                org,
                counselor,
                given_name=f"{need_group}{n}",
                need_group=need_group,
                start_date=datetime.date(2025, 1, 6),
            )
            services.period_end(
                participant=participant, by=counselor, end_date=ENDED, outcome=outcome
            )


def assert_no_line_reveals_a_hidden_cell(result) -> None:
    """Within each group (outcomes add up to those counted at each point), and down each partitioning
    dimension (its groups add up to the organisation), never exactly one hidden count."""
    groups = result["groups"]

    def cells(group):
        lines = []
        for name, point in group["points"].items():
            shown = point["outcomes"]
            lines.append([point["counted"], *(c["n"] for c in shown.values())])
            lines.append(
                [point["work_or_education"]["n"]]
                + [shown[o]["n"] for o in ("ordinary_work", "education", "apprenticeship")]
            )
            if name != "at_end":
                lines.append([group["ended"], point["not_yet_due"], point["counted"]])
        return lines

    (whole,) = groups["organisation"].values()
    for dimension, named in groups.items():
        for group in named.values():
            for line in cells(group):
                assert sum(n is None for n in line) != 1, (dimension, line)
        if dimension in outcomes.PARTITIONS:
            for columns in zip(cells(whole), *(cells(g) for g in named.values()), strict=True):
                for column in zip(*columns, strict=True):
                    assert sum(n is None for n in column) != 1, (dimension, column)


def test_small_counts_and_their_complements_are_hidden(org, ended):
    result = outcomes.compute(org, datetime.date(2025, 1, 1), TODAY, TODAY)

    need = result["groups"]["need_group"]
    assert need["little_prospect"]["points"]["at_end"]["outcomes"]["ordinary_work"] == {
        "n": None,
        "share": None,
    }
    assert need["little_prospect"]["points"]["at_end"]["outcomes"]["unknown"]["n"] is None
    assert need["little_prospect"]["suppressed"] is True
    # else 16 to work in the organisation, less 6 and 7, would give the 3 away
    whole = result["groups"]["organisation"][org.name]
    assert None in (
        need["good_prospects"]["points"]["at_end"]["outcomes"]["ordinary_work"]["n"],
        whole["points"]["at_end"]["outcomes"]["ordinary_work"]["n"],
    )
    assert need["needs_guidance"]["points"]["at_end"]["outcomes"]["ordinary_work"] == {
        "n": 7,
        "share": 1.0,
    }
    assert need["needs_guidance"]["ended"] == 7
    assert need["needs_guidance"]["suppressed"] is False
    assert whole["ended"] == 18
    assert result["followed"] == 18
    assert_no_line_reveals_a_hidden_cell(result)


def test_fewer_than_five_followed_in_all_is_hidden(org, counselor):
    make_participant(org, counselor)

    result = outcomes.compute(org, datetime.date(2025, 1, 1), TODAY, TODAY)

    assert result["followed"] is None


def test_the_page_says_hidden_and_draws_no_bar_for_a_hidden_count(leader, ended, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 23, 12, tzinfo=datetime.UTC))
    client = client_for(leader)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    page = client.get(reverse("insights:outcomes"), {"start": "2025-01-01", "end": "2026-11-23"})

    html = page.content.decode()
    assert page.status_code == 200
    assert ">hidden<" in html
    assert "Hidden: counts of 1 to 4 people are not shown" in html
    assert "<title>Needs situational guidance, At the end: 100 %</title>" in html
    assert "<title>Permanently adapted work, At the end" not in html  # 3 of 5: hidden
    assert "Permanently adapted work" in html
    assert "None" not in html


def test_the_csv_writes_suppressed_for_a_hidden_count(leader, ended, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 23, 12, tzinfo=datetime.UTC))
    url = reverse("insights:outcomes") + "?start=2025-01-01&end=2026-11-23&format=csv"

    rows = list(csv.DictReader(io.StringIO(client_for(leader).get(url).content.decode())))

    need = {row["group"]: row for row in rows if row["dimension"] == "need_group"}
    assert need["little_prospect"]["at_end_ordinary_work"] == "suppressed"
    assert need["little_prospect"]["at_end_unknown"] == "suppressed"
    assert need["needs_guidance"]["at_end_ordinary_work"] == "7"
    assert need["needs_guidance"]["after_6_not_recorded"] == "7"
    values = {value for row in rows for value in list(row.values())[2:]}
    assert values <= {"suppressed", "0"} | {str(n) for n in range(5, 100)}


# Creaming: the need groups of those referred and those placed.


def _refer(org, leader, need_group: str, count: int) -> None:
    for n in range(count):
        make_referral(org, leader, given_name=f"R{n}", need_group=need_group)


def test_creaming_hides_a_small_need_group_and_the_means_that_would_give_it_away(org, leader):
    _refer(org, leader, "good_prospects", 6)
    _refer(org, leader, "needs_guidance", 7)
    _refer(org, leader, "little_prospect", 2)

    result = creaming.compute(org, datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))

    referred = result["referred"]
    assert referred["distribution"]["little_prospect"] == {"n": None, "share": None}
    # 15 referred in all, less 7, would give the 2 away: the smallest other is hidden too
    assert referred["distribution"]["good_prospects"]["n"] is None
    assert referred["distribution"]["needs_guidance"] == {"n": 7, "share": 0.467}
    assert referred["n"] == 15
    assert referred["mean_level"] is None  # with the total it would give the hidden ones away
    assert result["standardised_difference"] is None
    assert referred["suppressed"] is True


def test_the_creaming_page_says_hidden_and_draws_no_bar_for_it(org, leader):
    _refer(org, leader, "good_prospects", 6)
    _refer(org, leader, "little_prospect", 2)
    client = client_for(leader)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    html = client.get(
        reverse("insights:creaming"), {"start": "2026-01-01", "end": "2026-03-31"}
    ).content.decode()

    assert html.count(">hidden<") == 2
    assert "--share: 0.25" not in html
    assert "Hidden: counts of 1 to 4 people are not shown" in html
    assert "Some need groups have fewer than 5 people" in html


# Fidelity: per counselor, team and organisation (the hand-computed case of
# test_fidelity_and_creaming: the counselor follows 3, the colleague 1).


@pytest.fixture
def small_case(org, counselor, colleague, employer) -> None:
    _hand_computed_case(org, counselor, colleague, employer)


@pytest.fixture
def case(org, counselor, colleague, employer) -> None:
    """Five times over: the counselor follows 15, the colleague 5."""
    for n in range(5):
        _hand_computed_case(org, counselor, colleague, employer, n)


def test_fidelity_hides_small_caseloads_and_the_figures_resting_on_few_people(
    org, counselor, colleague, small_case
):
    result = fidelity.compute(org, FIDELITY_ON)

    mine = result["counselors"][f"user:{counselor.pk}"]
    theirs = result["counselors"][f"user:{colleague.pk}"]
    assert (mine["active_caseload"], theirs["active_caseload"]) == (None, None)  # 3 and 1
    assert mine["within_ips_caseload"] is True
    assert mine["median_days_to_first_employer_contact"] is None  # two periods
    assert theirs["share_first_contact_within_30_days"] is None  # one person
    assert theirs["share_jobs_followed_weekly"] is None
    whole = result["organisation"]
    assert whole["mean_caseload"] is None  # 4 in all
    assert whole["ordinary_jobs"] is None
    assert whole["suppressed"] is True
    assert result["teams"]["Team A"]["mean_caseload"] is None


def test_fidelity_shows_counts_of_five_and_more(org, counselor, colleague, case):
    result = fidelity.compute(org, FIDELITY_ON)

    assert result["counselors"][f"user:{colleague.pk}"]["active_caseload"] == 5
    assert result["organisation"]["ordinary_jobs"] == 10


def test_a_small_team_cannot_be_worked_out_from_the_organisation_and_the_other_team(
    org, counselor, colleague, other_team_counselor, case
):
    """Team B has two: the organisation's 22 less team A's 20 would give them away, so team A
    is hidden too, and then one of its counselors (else 20 less 15 gives the other 5)."""
    for name in ("F", "G"):
        make_participant(org, other_team_counselor, given_name=name)

    result = fidelity.compute(org, FIDELITY_ON)

    assert result["teams"]["Team B"]["mean_caseload"] is None
    assert result["teams"]["Team A"]["mean_caseload"] is None
    mine = result["counselors"][f"user:{counselor.pk}"]
    theirs = result["counselors"][f"user:{colleague.pk}"]
    assert (mine["active_caseload"], theirs["active_caseload"]) == (15, None)
    assert result["organisation"]["mean_caseload"] == 7.3


def test_the_fidelity_page_says_hidden(leader, small_case):
    client = client_for(leader)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    html = client.get(reverse("insights:fidelity"), {"date": "2026-03-01"}).content.decode()

    assert ">hidden<" in html
    assert "Hidden: counts of 1 to 4 people are not shown" in html
    assert "None" not in html


# Effects: the Cox model refuses too little data; its reason does not count a few people.


def test_the_effects_refusal_does_not_count_fewer_than_five(
    org, leader, counselor, django_capture_on_commit_callbacks
):
    for name in ("A", "B"):
        make_participant(org, counselor, given_name=name, birth_date=datetime.date(2000, 1, 1))
    client = client_for(leader)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("insights:effects_run"))
    with translation.override("en"):
        run_analysis.call(Analysis.objects.get().pk)  # the background task, here and now

    page = client.get(reverse("insights:effects")).content.decode()
    reason = client.get("/api/v1/insights/effects").json()["reason"]

    assert reason.startswith("Too few to estimate: fewer than 5 participants and 0 who reached")
    assert "Too few to estimate: fewer than 5 participants" in page
    assert " 1 participants" not in reason
