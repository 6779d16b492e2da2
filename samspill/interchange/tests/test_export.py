"""Export: the same format back, byte-identical after a round trip; the research export."""

import csv
import datetime
from pathlib import Path

import pytest
from django.db import transaction

from samspill.audit.models import AuditEvent
from samspill.core.testing import make_participant
from samspill.interchange.services import (
    interchange_export,
    interchange_import,
    interchange_research_export,
)
from samspill.organisations.models import Membership, Organisation
from samspill.participants.models import Participant
from samspill.referrals.models import Source
from samspill.referrals.services import referral_create

pytestmark = pytest.mark.django_db


def read(folder: Path, name: str) -> list[dict[str, str]]:
    with open(folder / f"{name}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_export_import_export_is_byte_identical(good_folder: Path, tmp_path: Path):
    first, second = tmp_path / "first", tmp_path / "second"
    with transaction.atomic():
        interchange_import(folder=good_folder, by=None)
        # One participant made in Samspill, without a source key of its own.
        org = Organisation.objects.get(external_key="ORG1")
        counselor = Membership.objects.get(external_key="S1").user
        make_participant(
            org, counselor, birth_date=datetime.date(1991, 1, 1), need_group="good_prospects"
        )
        # Another registered before the need was assessed, with no birth date known yet, and a
        # referral whose need group is not known either: Samspill allows both to wait.
        make_participant(org, counselor, given_name="Uten", family_name="Vurdering")
        referral_create(
            organisation=org,
            by=counselor,
            source=Source.SELF,
            received_on=datetime.date(2026, 1, 12),
            given_name="Siri",
            family_name="Henvist",
            asked_for="Hjelp til å finne en praksisplass.",
        )
        interchange_export(folder=first, organisations=Organisation.objects.all())
        transaction.set_rollback(True)
    assert not Participant.objects.exists()

    interchange_import(folder=first, by=None)
    interchange_export(folder=second, organisations=Organisation.objects.all())

    names = sorted(path.name for path in first.iterdir())
    assert names == sorted(path.name for path in second.iterdir())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert len(read(first, "participants")) == 4
    waiting = Participant.objects.get(family_name="Vurdering")
    assert (waiting.birth_date, waiting.need_group) == (None, "")
    assert [
        r["need_group"]
        for r in read(second, "referrals")
        if r["referral_key"].startswith("samspill-")
    ] == [""]


def test_export_of_one_organisation_leaves_the_others_out(good_folder: Path, tmp_path: Path, org):
    interchange_import(folder=good_folder, by=None)

    interchange_export(
        folder=tmp_path / "out", organisations=Organisation.objects.filter(external_key="ORG1")
    )

    assert [row["org_key"] for row in read(tmp_path / "out", "organisations")] == ["ORG1"]


def research_consent(participant: Participant, by) -> None:
    from samspill.participants.services import consent_give

    consent_give(participant=participant, by=by, recipient="research", information="progress")


def test_the_research_export_keeps_dates_and_categories_and_hides_who(
    good_folder: Path, tmp_path: Path
):
    interchange_import(folder=good_folder, by=None)
    org = Organisation.objects.get(external_key="ORG1")
    admin = Membership.objects.get(external_key="S1")
    admin.role = Membership.Role.ADMIN
    admin.save(update_fields=["role"])
    for participant in Participant.objects.filter(organisation=org):
        research_consent(participant, admin.user)

    interchange_research_export(folder=tmp_path / "r", organisation=org, by=admin.user)

    participants = read(tmp_path / "r", "participants")
    assert {p["given_name"] + p["family_name"] + p["national_id"] for p in participants} == {""}
    # Two participants: each need group and age band would single one out.
    assert {p["need_group"] for p in participants} == {"suppressed"}
    assert {p["age_band"] for p in participants} == {"suppressed"}
    assert "birth_date" not in participants[0]
    assert "P1" not in {p["participant_key"] for p in participants}
    periods = read(tmp_path / "r", "followup_periods")
    # The keys still link the files.
    assert {p["participant_key"] for p in periods} == {p["participant_key"] for p in participants}
    assert "2025-01-06" in {p["start_date"] for p in periods}
    assert {s["email"] for s in read(tmp_path / "r", "staff")} == {""}
    assert AuditEvent.objects.filter(
        action="interchange.research_exported", actor=admin.user
    ).exists()


def test_the_research_export_holds_only_who_consents_now(good_folder: Path, tmp_path: Path):
    interchange_import(folder=good_folder, by=None)
    org = Organisation.objects.get(external_key="ORG1")
    admin = Membership.objects.get(external_key="S1")
    admin.role = Membership.Role.ADMIN
    admin.save(update_fields=["role"])
    research_consent(Participant.objects.get(external_key="P2"), admin.user)

    interchange_research_export(folder=tmp_path / "r", organisation=org, by=admin.user)

    assert len(read(tmp_path / "r", "participants")) == 1
    # P2's one period, and only what hangs off it.
    assert [p["start_date"] for p in read(tmp_path / "r", "followup_periods")] == ["2025-02-01"]
    periods = {p["period_key"] for p in read(tmp_path / "r", "followup_periods")}
    assert {o["period_key"] for o in read(tmp_path / "r", "assignments")} <= periods


def test_an_age_band_replaces_the_birth_date():
    from samspill.interchange.exporting import age_band

    on = datetime.date(2026, 12, 6)
    assert [
        age_band(born, on) for born in ("2010-01-01", "2002-12-07", "2002-12-06", "1970-01-01", "")
    ] == [
        "under 18",
        "18-24",
        "18-24",
        "50 and over",
        "",
    ]


def test_only_an_administrator_may_make_a_research_export(
    good_folder: Path, tmp_path: Path, org, leader
):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        interchange_research_export(folder=tmp_path / "r", organisation=org, by=leader)
