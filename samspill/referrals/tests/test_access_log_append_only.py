"""The referral access log is append-only like the audit app's: no update, no delete, no
cascade, except inside `append_only_lifted` (the privacy operations); on PostgreSQL the
database itself refuses too (migration 0006)."""

import pytest
from django.db import DatabaseError, connection, transaction

from samspill.audit.append_only import AppendOnlyError, append_only_lifted
from samspill.referrals.models import Referral, ReferralAccessLog
from samspill.referrals.services import referral_access_log_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(referral, counselor) -> ReferralAccessLog:
    referral_access_log_record(actor=counselor, referral=referral, what="detail", why="taker")
    return ReferralAccessLog.objects.get(referral=referral)


def test_it_refuses_to_change_or_delete_a_row(entry):
    with pytest.raises(AppendOnlyError):
        ReferralAccessLog.objects.filter(pk=entry.pk).update(what="changed")
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        ReferralAccessLog.objects.all().delete()

    assert ReferralAccessLog.objects.get(pk=entry.pk).what == "detail"


def test_deleting_a_referral_does_not_cascade_through_its_log(referral, entry):
    with pytest.raises(AppendOnlyError), transaction.atomic():
        Referral.objects.filter(pk=referral.pk).delete()

    assert Referral.objects.filter(pk=referral.pk).exists()
    assert ReferralAccessLog.objects.filter(pk=entry.pk).exists()


def test_the_privacy_operations_may_remove_a_row(entry):
    with append_only_lifted():
        ReferralAccessLog.objects.filter(pk=entry.pk).delete()

    assert not ReferralAccessLog.objects.filter(pk=entry.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL trigger")
def test_postgresql_refuses_what_bypasses_the_models(entry):
    for sql in (
        "UPDATE referrals_referralaccesslog SET what = 'x' WHERE id = %s",
        "DELETE FROM referrals_referralaccesslog WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [entry.pk])

    with append_only_lifted(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE referrals_referralaccesslog SET what = 'y' WHERE id = %s", [entry.pk]
        )
    assert ReferralAccessLog.objects.get(pk=entry.pk).what == "y"
