"""Fidelity and creaming checked against a small case computed by hand."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from samspill.core.testing import client_for, make_participant
from samspill.insights import creaming, fidelity
from samspill.placements.models import Placement
from samspill.plans.models import Activity
from samspill.referrals.tests.conftest import make_referral

ON = datetime.date(2026, 3, 1)


def _activity(participant, kind: str, day: datetime.date) -> None:
    participant.refresh_from_db()  # the counselor and period are set after creation
    Activity.objects.create(
        participant=participant,
        period=participant.active_period,
        kind=kind,
        title="Kontakt",
        due_date=day,
        status=Activity.Status.DONE,
        created_by=participant.counselor,
    )


def _job(participant, employer, start: datetime.date) -> Placement:
    participant.refresh_from_db()
    return Placement.objects.create(
        participant=participant,
        organisation_id=participant.organisation_id,
        employer=employer,
        kind=Placement.Kind.ORDINARY_JOB,
        title="Jobb",
        start_date=start,
        created_by=participant.counselor,
    )


def _hand_computed_case(org, counselor, colleague, employer, n: int = 0) -> None:
    a = make_participant(org, counselor, given_name=f"A{n}", start_date=datetime.date(2026, 1, 5))
    b = make_participant(org, counselor, given_name=f"B{n}", start_date=datetime.date(2026, 2, 20))
    make_participant(org, counselor, given_name=f"C{n}", start_date=datetime.date(2026, 2, 25))
    d = make_participant(org, colleague, given_name=f"D{n}", start_date=datetime.date(2026, 1, 10))
    _activity(a, "employer_contact", datetime.date(2026, 1, 15))  # 10 days
    _activity(b, "employer_contact", datetime.date(2026, 2, 28))  # 8 days
    _activity(d, "employer_contact", datetime.date(2026, 2, 20))  # 41 days
    _job(a, employer, datetime.date(2026, 1, 26))
    for day in (27, 34, 41, 48):  # one contact in each of the first four weeks
        _activity(a, "follow_up", datetime.date(2026, 1, 1) + datetime.timedelta(days=day - 1))
    _job(d, employer, datetime.date(2026, 1, 30))
    for day in (31, 38):  # weeks 1 and 2 only
        _activity(d, "follow_up", datetime.date(2026, 1, 1) + datetime.timedelta(days=day - 1))


@pytest.fixture
def case(org, counselor, colleague, employer) -> None:
    """The case five times over, so that no count is hidden (test_small_cells)."""
    for n in range(5):
        _hand_computed_case(org, counselor, colleague, employer, n)


def test_fidelity_matches_the_hand_computed_case(org, counselor, colleague, case):
    result = fidelity.compute(org, ON)
    mine = result["counselors"][f"user:{counselor.pk}"]
    assert mine["active_caseload"] == 15
    assert mine["within_ips_caseload"] is True
    assert mine["median_days_to_first_employer_contact"] == 9
    assert mine["share_first_contact_within_30_days"] == 1.0  # only the As are 30 days in
    assert (mine["ordinary_jobs"], mine["share_jobs_followed_weekly"]) == (5, 1.0)
    theirs = result["counselors"][f"user:{colleague.pk}"]
    assert theirs["active_caseload"] == 5
    assert theirs["median_days_to_first_employer_contact"] == 41
    assert theirs["share_first_contact_within_30_days"] == 0.0
    assert theirs["share_jobs_followed_weekly"] == 0.0
    whole = result["organisation"]
    assert whole["mean_caseload"] == 10.0
    assert whole["median_days_to_first_employer_contact"] == 10
    assert whole["share_first_contact_within_30_days"] == 0.5
    assert whole["share_jobs_followed_weekly"] == 0.5
    assert result["teams"]["Team A"]["mean_caseload"] == 10.0
    assert not whole["suppressed"]


def test_fidelity_on_the_command_line_is_keyed_by_external_keys(org, counselor, case, capsys):
    org.external_key = "ORG1"
    org.save(update_fields=["external_key"])
    membership = counselor.memberships.get()
    membership.external_key = "S-7"
    membership.save(update_fields=["external_key"])
    call_command(
        "insights", "fidelity", "--date", "2026-03-01", "--org", "ORG1", "--format", "json"
    )
    printed = json.loads(capsys.readouterr().out)
    assert printed["organisation"]["key"] == "ORG1"
    assert printed["counselors"]["S-7"]["active_caseload"] == 15


def test_creaming_compares_those_referred_with_those_placed(org, leader, counselor, employer):
    # Five times the hand-computed case (fewer than five in a need group would be hidden).
    for need, count in (
        ("good_prospects", 10),
        ("needs_guidance", 5),
        ("reduced_capacity", 5),
        ("little_prospect", 5),
    ):
        for n in range(count):
            make_referral(org, leader, given_name=f"R{n}", need_group=need)
    for n in range(5):
        placed = make_participant(org, counselor, given_name=f"P{n}", need_group="good_prospects")
        _job(placed, employer, datetime.date(2026, 2, 10))
    with translation.override("en"):
        result = creaming.compute(org, datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    assert result["referred"]["mean_level"] == 2.4
    assert result["placed"]["mean_level"] == 1.0
    assert result["placed"]["distribution"]["good_prospects"] == {"n": 5, "share": 1.0}
    # (1 - 2.4) / sqrt((56 / 24 + 0) / 2)
    assert result["standardised_difference"] == pytest.approx(-1.296, abs=0.001)
    assert "creaming" in result["reading"]


def test_the_pages_are_for_leaders_and_admins(org, leader, admin, counselor, case):
    for user, status in ((leader, 200), (admin, 200), (counselor, 403)):
        client = client_for(user)
        assert client.get(reverse("insights:fidelity") + "?date=2026-03-01").status_code == status
        assert client.get(reverse("insights:creaming")).status_code == status
    bad = client_for(leader).get(reverse("insights:fidelity") + "?date=someday")
    assert bad.status_code == 400
