"""`samspill privacy retention`: a dry run lists what the rules say is due, --apply does it,
a legal hold stops it, a second run finds nothing; the daily run reports to administrators."""

import datetime
import io

import pytest
from django.core.management import call_command

from samspill.audit.models import AccessLog
from samspill.audit.services import access_log_record
from samspill.outbox.models import Message
from samspill.participants.models import Participant
from samspill.privacy import retention, services
from samspill.privacy.models import Erasure, RetentionRule
from samspill.privacy.tasks import apply_retention_rules
from samspill.privacy.tests.conftest import end_follow_up, make_referral
from samspill.referrals.models import Referral, ReferralAccessLog, Source
from samspill.referrals.services import referral_access_log_record, referral_make_participant

pytestmark = pytest.mark.django_db
LATER = datetime.datetime(2028, 6, 1, 12, tzinfo=datetime.UTC)
Category = RetentionRule.Category


@pytest.fixture
def ended(person, counselor):
    end_follow_up(person, counselor)  # ended 2026-03-01
    return person


def rule(org, admin, category, months):
    return retention.retention_rule_set(
        organisation=org, category=category, months=months, by=admin
    )


def test_a_dry_run_lists_what_is_due_and_changes_nothing(org, admin, ended, participant):
    rule(org, admin, Category.CASE_RECORDS, 24)

    report = retention.retention_run(apply=False, now=LATER)

    assert [(d.category, d.count) for d in report.due] == [(Category.CASE_RECORDS, 1)]
    assert Participant.objects.get(pk=ended.pk).family_name == "Solbakken"


def test_apply_erases_the_ended_records_once(org, admin, ended, participant):
    rule(org, admin, Category.CASE_RECORDS, 24)

    retention.retention_run(apply=True, now=LATER)
    again = retention.retention_run(apply=True, now=LATER)

    erasure = Erasure.objects.get()
    assert (erasure.participant_id, erasure.trigger, erasure.erased_by) == (
        ended.pk,
        Erasure.Trigger.RETENTION,
        None,
    )
    assert again.due == []
    # The participant still followed is kept.
    assert Participant.objects.get(pk=participant.pk).family_name == "Nordmann"


def test_a_rule_not_yet_reached_erases_nothing(org, admin, ended):
    rule(org, admin, Category.CASE_RECORDS, 120)

    assert retention.retention_run(apply=True, now=LATER).due == []


def test_a_legal_hold_stops_it(org, admin, ended, leader):
    rule(org, admin, Category.CASE_RECORDS, 24)
    rule(org, admin, Category.ACCESS_LOG, 12)
    access_log_record(actor=leader, participant=ended, what="detail", why="leader")
    services.legal_hold_place(participant=ended, reason="Tilsyn", by=admin)

    assert retention.retention_run(apply=True, now=LATER).due == []
    assert AccessLog.objects.filter(participant=ended).exists()


def test_old_access_log_entries_are_deleted(org, admin, participant, leader):
    rule(org, admin, Category.ACCESS_LOG, 12)
    access_log_record(actor=leader, participant=participant, what="detail", why="leader")

    assert retention.retention_run(apply=True, now=datetime.datetime.now(datetime.UTC)).due == []
    report = retention.retention_run(apply=True, now=LATER)

    assert [(d.category, d.count) for d in report.due] == [(Category.ACCESS_LOG, 1)]
    assert not AccessLog.objects.exists()


def test_old_reads_of_referrals_are_deleted_with_the_access_log(org, admin, counselor):
    rule(org, admin, Category.ACCESS_LOG, 12)
    referral = make_referral(org, counselor)
    referral_access_log_record(actor=counselor, referral=referral, what="detail", why="taker")

    report = retention.retention_run(apply=True, now=LATER)

    assert [(d.category, d.count) for d in report.due] == [(Category.ACCESS_LOG, 1)]
    assert not ReferralAccessLog.objects.exists()


def test_a_legal_hold_keeps_the_reads_of_the_persons_referral(org, admin, counselor):
    rule(org, admin, Category.ACCESS_LOG, 12)
    referral = make_referral(org, counselor)
    participant = referral_make_participant(referral=referral, by=counselor)
    referral.refresh_from_db()
    referral_access_log_record(actor=counselor, referral=referral, what="detail", why="taker")
    services.legal_hold_place(participant=participant, reason="Tilsyn", by=admin)

    assert retention.retention_run(apply=False, now=LATER).due == []
    retention.retention_run(apply=True, now=LATER)

    assert ReferralAccessLog.objects.filter(referral=referral).count() == 1
    assert AccessLog.objects.filter(participant=participant).exists()


def test_referrals_not_taken_on_are_anonymised(org, admin, counselor):
    rule(org, admin, Category.REFERRALS_NOT_TAKEN_ON, 6)
    referral = make_referral(org, counselor)

    retention.retention_run(apply=True, now=LATER)

    kept = Referral.objects.get(pk=referral.pk)
    assert (kept.given_name, kept.family_name, kept.phone, kept.asked_for) == ("", "", "", "")
    assert (kept.source, str(kept.received_on)) == (Source.YOUTH_DEPARTMENT, "2026-01-12")


def test_the_command_says_what_is_due(org, admin, ended):
    rule(org, admin, Category.CASE_RECORDS, 1)
    out = io.StringIO()

    call_command("privacy", "retention", stdout=out)

    assert "1 due (dry run" in out.getvalue()
    assert not Erasure.objects.exists()


def test_the_daily_run_reports_to_the_administrators(org, admin, ended):
    rule(org, admin, Category.CASE_RECORDS, 1)

    result = apply_retention_rules.call()

    assert result == {"done": 1, "reported": 1}
    [message] = Message.objects.all()
    assert message.to == [admin.email]
    assert "Solbakken" not in message.body


def test_a_rule_keeps_data_at_least_a_month(org, admin):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        rule(org, admin, Category.ACCESS_LOG, 0)
    assert not RetentionRule.objects.exists()


def test_rules_and_holds_are_set_from_the_command_line(org, ended):
    out = io.StringIO()
    call_command(
        "privacy",
        "rule",
        "--organisation",
        str(org.pk),
        "--category",
        "case_records",
        "--months",
        "1",
        stdout=out,
    )
    call_command(
        "privacy", "hold", "--participant", str(ended.pk), "--reason", "Tilsyn", stdout=out
    )

    assert retention.retention_run(apply=True, now=LATER).due == []
    hold = services.open_holds(ended).get()
    call_command("privacy", "lift", "--hold", str(hold.pk), stdout=out)
    assert [d.count for d in retention.retention_run(apply=True, now=LATER).due] == [1]
    assert "legal hold" in out.getvalue()


def test_a_hold_needs_a_reason(ended):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="Say why"):
        call_command("privacy", "hold", "--participant", str(ended.pk), "--reason", " ")
    assert not services.open_holds(ended).exists()
