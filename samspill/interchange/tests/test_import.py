"""Importing an interchange folder: everything written, consistent, and only once."""

from pathlib import Path

import pytest
from django.utils import timezone

from samspill.audit.models import AuditEvent
from samspill.employers.models import Employer
from samspill.followup.models import BeliefCheckIn
from samspill.interchange.services import interchange_import
from samspill.interchange.tests.conftest import GOOD, write_folder
from samspill.organisations.models import Membership, Organisation
from samspill.participants.models import (
    CounselorAssignment,
    FollowUpPeriod,
    FollowUpStatus,
    Participant,
    PeriodOutcome,
)
from samspill.placements.models import Placement, Status
from samspill.plans.models import Activity
from samspill.referrals.models import Referral

pytestmark = pytest.mark.django_db

MODELS = [
    Organisation,
    Membership,
    Participant,
    Employer,
    FollowUpPeriod,
    CounselorAssignment,
    BeliefCheckIn,
    Activity,
    Placement,
    PeriodOutcome,
    FollowUpStatus,
    Referral,
]


def counts() -> dict[str, int]:
    return {model.__name__: model._default_manager.count() for model in MODELS}


def test_it_imports_every_file(good_folder: Path):
    report = interchange_import(folder=good_folder, by=None)

    assert report.ok
    assert counts() == {
        "Organisation": 1,
        "Membership": 3,
        "Participant": 2,
        "Employer": 2,
        "FollowUpPeriod": 3,
        "CounselorAssignment": 4,
        "BeliefCheckIn": 2,
        "Activity": 4,
        "Placement": 2,
        "PeriodOutcome": 1,
        "FollowUpStatus": 2,
        "Referral": 2,
    }
    assert report.created["participants"] == 2


def test_it_keeps_the_denormalised_fields_as_the_services_do(good_folder: Path):
    interchange_import(folder=good_folder, by=None)

    ola = Participant.objects.get(external_key="P1")
    per = Membership.objects.get(external_key="S2")
    assert ola.active_period == FollowUpPeriod.objects.get(external_key="PER1")
    assert ola.counselor == per.user
    assert ola.team == per.team
    assert ola.national_id_kind == "fnr"
    kari = Participant.objects.get(external_key="P2")
    assert (kari.active_period, kari.counselor, kari.team) == (None, None, None)


def test_placements_are_agreed_and_created_by_the_counselor_of_the_day(good_folder: Path):
    interchange_import(folder=good_folder, by=None)

    pl1 = Placement.objects.get(external_key="PL1")
    assert pl1.locked_at is not None
    assert pl1.status == Status.ENDED
    # PL1 starts 2025-03-10, after the change from S1 to S2 on 2025-03-01.
    assert pl1.created_by == Membership.objects.get(external_key="S2").user
    assert pl1.title == "Arbeidstrening"


def test_it_writes_one_audit_event_for_the_import(good_folder: Path):
    interchange_import(folder=good_folder, by=None)

    event = AuditEvent.objects.get(action="interchange.imported")
    assert event.data["created"]["activities"] == 4


def test_reimporting_the_same_folder_changes_nothing(good_folder: Path):
    interchange_import(folder=good_folder, by=None)
    before = counts()
    participants = list(Participant.objects.values().order_by("id"))

    report = interchange_import(folder=good_folder, by=None)

    assert counts() == before
    assert sum(report.created.values()) == 0
    assert list(Participant.objects.values().order_by("id")) == participants


def test_a_later_folder_adds_to_participants_already_imported(good_folder: Path, tmp_path: Path):
    """The second export of the source system: P1's period has ended and a new one started
    with S1, a third employer contact on the same day, a new participant. Only what is new is
    written, and P1's open period, counselor and team follow the new period."""
    interchange_import(folder=good_folder, by=None)
    files = {name: [list(row) for row in rows] for name, rows in GOOD.items()}
    files["followup_periods"][1] = ["PER1", "P1", "2025-01-06", "2025-08-01", "moved_other"]
    files["followup_periods"].append(["PER3", "P1", "2025-09-01", "", ""])
    files["followup_periods"].append(["PER4", "P3", "2025-09-01", "", ""])
    files["participants"].append(["P3", "ORG1", "Nils", "Berg", "1999-09-09", "", "good_prospects"])
    files["assignments"][2] = ["PER1", "S2", "2025-03-01", "2025-08-01", "caseload_balancing"]
    files["assignments"] += [
        ["PER3", "S1", "2025-09-01", "", ""],
        ["PER4", "S2", "2025-09-01", "", ""],
    ]
    files["activities"].append(["PER1", "S1", "2025-01-10", "employer_contact", "E1"])
    files["belief_checkins"].append(["PER3", "S1", "2025-09-15", "3", ""])
    before = counts()

    report = interchange_import(folder=write_folder(tmp_path / "second", files), by=None)

    assert report.created["participants"] == 1
    assert report.created["followup_periods"] == 2
    assert report.created["assignments"] == 2
    assert report.created["activities"] == 1  # the third copy of the employer contact
    assert report.created["belief_checkins"] == 1
    assert report.updated == {"followup_periods": 1, "assignments": 1}
    assert counts()["Activity"] == before["Activity"] + 1
    ola = Participant.objects.get(external_key="P1")
    kari, per = (Membership.objects.get(external_key=key) for key in ("S1", "S2"))
    assert ola.active_period == FollowUpPeriod.objects.get(external_key="PER3")
    assert (ola.counselor, ola.team) == (kari.user, kari.team)
    assert CounselorAssignment.objects.get(period__external_key="PER3").reason == "initial"
    nils = Participant.objects.get(external_key="P3")
    assert nils.active_period == FollowUpPeriod.objects.get(external_key="PER4")
    assert nils.counselor == per.user
    # The ids handed out are the tables' own: the next participant made in Samspill follows on.
    assert (
        Participant.objects.create(
            organisation=nils.organisation, given_name="Ny", family_name="Person"
        ).pk
        > nils.pk
    )


def test_a_new_placement_in_a_period_already_in_samspill_names_the_counselor_of_the_day(
    good_folder: Path, tmp_path: Path, admin
):
    interchange_import(folder=good_folder, by=None)
    files = {name: [list(row) for row in rows] for name, rows in GOOD.items()}
    del files["assignments"]  # they are in Samspill already
    files["placements"].append(["PL3", "PER1", "E2", "work_training", "2025-04-01", "", ""])

    interchange_import(folder=write_folder(tmp_path / "second", files), by=admin)

    # S1 followed PER1 from 2025-01-06, S2 from 2025-03-01.
    per = Membership.objects.get(external_key="S2").user
    assert Placement.objects.get(external_key="PL3").created_by == per


def test_ending_a_period_ends_a_handover_made_in_samspill_since(good_folder: Path, tmp_path: Path):
    interchange_import(folder=good_folder, by=None)
    period = FollowUpPeriod.objects.get(external_key="PER1")
    kari = Membership.objects.get(external_key="S1").user
    # A handover in Samspill after the first import: S2's assignment ends, Kari's starts.
    period.assignments.filter(ended_at__isnull=True).update(ended_at=timezone.now())
    CounselorAssignment.objects.create(
        period=period,
        participant=period.participant,
        counselor=kari,
        assigned_by=kari,
        started_at=timezone.now(),
    )
    files = {name: [list(row) for row in rows] for name, rows in GOOD.items()}
    files["followup_periods"][1] = ["PER1", "P1", "2025-01-06", "2025-08-01", "moved_other"]
    files["assignments"][2] = ["PER1", "S2", "2025-03-01", "2025-08-01", "caseload_balancing"]

    interchange_import(folder=write_folder(tmp_path / "second", files), by=None)

    assert not period.assignments.filter(ended_at__isnull=True).exists()
    ola = Participant.objects.get(external_key="P1")
    assert (ola.active_period, ola.counselor, ola.team) == (None, None, None)
