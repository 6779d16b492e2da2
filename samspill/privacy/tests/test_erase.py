"""`samspill privacy erase`: the person is anonymised everywhere, a tombstone is kept, and an
open follow-up period or a legal hold stops it unless forced."""

import json

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from samspill.audit.models import AuditEvent
from samspill.demo.placements import PARTICIPANT_EMAIL
from samspill.participants.models import FollowUpPeriod, Participant
from samspill.plans.models import Note
from samspill.privacy import services
from samspill.privacy.models import Erasure
from samspill.privacy.tests.conftest import NOTE_TEXT, end_follow_up, make_referral
from samspill.referrals.models import ReferralAccessLog
from samspill.referrals.services import referral_access_log_record, referral_make_participant

pytestmark = pytest.mark.django_db


def database_dump(leave_out: frozenset[tuple[str, int]] = frozenset()) -> str:
    """Every row of every table, as text (JSON documents decoded), but those left out."""
    parts = []
    for model in apps.get_models():
        label = model._meta.label_lower
        for row in model._base_manager.values_list():
            if (label, row[0]) not in leave_out:
                parts.append(json.dumps(row, default=str, ensure_ascii=False))
    return "\n".join(parts).lower()


def test_it_refuses_while_the_follow_up_period_is_open(person):
    with pytest.raises(CommandError, match="open follow-up period"):
        call_command("privacy", "erase", "--participant", str(person.pk), "--reason", "asked")

    assert Participant.objects.get(pk=person.pk).family_name == "Solbakken"
    assert not Erasure.objects.exists()


def test_it_refuses_under_a_legal_hold_until_it_is_lifted(person, counselor, admin):
    end_follow_up(person, counselor)
    hold = services.legal_hold_place(
        participant=person, reason="Klagesak hos Statsforvalteren", by=admin
    )

    with pytest.raises(ValidationError, match="legal hold: Klagesak"):
        services.participant_erase(participant=person, reason="asked", by=admin)
    services.legal_hold_lift(hold=hold, by=admin)
    services.participant_erase(participant=person, reason="asked", by=admin)

    assert Participant.objects.get(pk=person.pk).given_name == ""


def test_it_needs_a_reason_and_erases_once(person, counselor, admin):
    end_follow_up(person, counselor)
    with pytest.raises(ValidationError, match="Say why"):
        services.participant_erase(participant=person, reason="  ", by=admin)
    services.participant_erase(participant=person, reason="asked", by=admin)
    with pytest.raises(ValidationError, match="already erased"):
        services.participant_erase(participant=person, reason="asked", by=admin)


def test_it_keeps_a_tombstone_and_the_counts_and_audits_itself(person, counselor, admin):
    end_follow_up(person, counselor)

    erasure = services.participant_erase(
        participant=person, reason="Asked to be forgotten", by=admin
    )

    assert (erasure.participant_id, erasure.reason, erasure.erased_by, erasure.forced) == (
        person.pk,
        "Asked to be forgotten",
        admin,
        False,
    )
    assert str(erasure.first_period_start) == "2026-01-05"
    assert str(erasure.last_period_end) == "2026-03-01"
    assert erasure.counts["plans.note"] == 1
    # What statistics count stays: the period with its outcome, the note's date and kind.
    period = FollowUpPeriod.objects.get(participant=person)
    assert (str(period.end_date), period.end_reason) == ("2026-03-01", "education")
    note = Note.objects.get(participant=person)
    assert (note.text, str(note.occurred_on)) == ("", "2026-02-01")
    event = AuditEvent.objects.get(action="privacy.erased")
    assert (event.actor, event.participant_id) == (admin, person.pk)
    dump = database_dump()
    for value in ("solbakken", "17059006819", "912 34 567", "sigrid.solbakken@example.net"):
        assert value not in dump
    assert NOTE_TEXT.lower() not in dump


def test_it_erases_a_demo_participant_everywhere_after_an_export(tmp_path):
    call_command("demo_data")
    person = Participant.objects.get(portal_user__email=PARTICIPANT_EMAIL)
    call_command(
        "privacy", "export", "--participant", str(person.pk), "--output", str(tmp_path / "d.json")
    )
    document = json.loads((tmp_path / "d.json").read_text())
    theirs = frozenset(
        (table["table"], row["id"]) for table in document["tables"] for row in table["rows"]
    )
    # Their notes' texts, those that no one else's rows hold too (the demo repeats some).
    others = database_dump(leave_out=theirs)
    texts = [
        row[column]
        for table in document["tables"]
        for row in table["rows"]
        for column in ("text", "notes", "summary", "handover_note", "what_worked", "tasks")
        if len(row.get(column) or "") >= 12 and row[column].lower() not in others
    ]
    assert texts, "the demo participant has notes to look for"
    needles = [person.full_name, person.phone, person.email, *texts]
    if person.national_id:
        needles.append(person.national_id)

    call_command(
        "privacy", "erase", "--participant", str(person.pk), "--reason", "Asked", "--force"
    )

    dump = database_dump()
    left = [needle for needle in needles if needle and needle.lower() in dump]
    assert left == []
    assert Erasure.objects.get(participant_id=person.pk).forced


def test_a_participant_taken_in_from_a_referral_is_erased_and_the_reads_are_kept(
    org, counselor, admin
):
    referral = make_referral(
        org,
        counselor,
        given_name="Rakel",
        family_name="Henvisningsen",
        phone="+47 911 22 333",
        asked_for="Hjelp til Rakel Henvisningsen med praksisplass.",
    )
    person = referral_make_participant(referral=referral, by=counselor)
    referral.refresh_from_db()
    referral_access_log_record(actor=counselor, referral=referral, what="detail", why="taker")

    # Forced: the follow-up period the referral opened is still open.
    services.participant_erase(participant=person, reason="asked", by=admin, force=True)

    assert ReferralAccessLog.objects.filter(referral=referral).count() == 1
    assert "henvisningsen" not in database_dump()
