"""Effects from work done in the app: a synthetic year recorded through the services
(participants and their periods, counselor changes, belief check-ins, periods ended with their
outcome) gives the same estimates as the same year imported through the interchange format.
The thresholds are the real ones (100 participants, 50 events): 300 participants reach them."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from samspill.core.testing import client_for
from samspill.followup.models import BeliefCheckIn
from samspill.insights import effects, synthetic
from samspill.insights.models import Analysis
from samspill.insights.tasks import run_analysis
from samspill.organisations.models import Organisation, Team
from samspill.participants.models import CounselorAssignment, PeriodOutcome

TODAY = datetime.date(2026, 11, 23)


@pytest.fixture
def cohort():
    return synthetic.simulate(300, seed=11, today=TODAY, staff=8)


def test_a_year_recorded_in_the_app_gives_the_estimates_of_the_same_year_imported(
    db, tmp_path, cohort
):
    call_command("import", str(synthetic.write_interchange(cohort, tmp_path / "c")), verbosity=0)
    imported = Organisation.objects.get(external_key="SYN")
    in_app = Organisation.objects.create(name="I appen AS", country="NO")
    team = Team.objects.create(organisation=in_app, name="Team")
    synthetic.record(cohort, organisation=in_app, team=team, email_domain="iappen.example")

    by_import = effects.estimate(imported.pk, today=TODAY)
    by_services = effects.estimate(in_app.pk, today=TODAY)

    assert by_services["n_participants"] == by_import["n_participants"] == 300
    assert by_services["n_events"] == by_import["n_events"] >= effects.MIN_EVENTS
    assert by_services["n_intervals"] == by_import["n_intervals"]
    assert by_services["belief"] == by_import["belief"]
    assert by_services["counselor_change"] == by_import["counselor_change"]
    # Everything in the app's copy came through the services: every row has its audit trail.
    assert PeriodOutcome.objects.filter(
        period__participant__organisation=in_app
    ).count() == 300 - sum(1 for p in cohort.periods if not p[3])
    assert BeliefCheckIn.objects.filter(participant__organisation=in_app).count() == len(
        cohort.checkins
    )
    assert CounselorAssignment.objects.filter(participant__organisation=in_app).count() == len(
        cohort.assignments
    )


def test_the_effects_page_says_why_there_is_no_estimate(
    org, leader, counselor, django_capture_on_commit_callbacks
):
    """Participants but no outcome recorded yet: the page says what is missing and how it
    comes (ending follow-up periods with their outcome)."""
    from samspill.core.testing import make_participant

    for n in range(6):
        make_participant(org, counselor, given_name=f"P{n}", birth_date=datetime.date(2000, 1, 1))
    client = client_for(leader)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("insights:effects_run"))
    with translation.override("en"):
        run_analysis.call(Analysis.objects.get().pk)

    html = client.get(reverse("insights:effects")).content.decode()

    assert "Too few to estimate: 6 participants and 0 who reached work" in html
    assert "At least 100 participants and 50 such outcomes are needed" in html
    assert "recorded when a follow-up period ends" in html
