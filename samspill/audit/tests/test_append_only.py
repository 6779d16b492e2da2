"""The audit trail and the access log are append-only: no update, no delete, no cascade,
except inside `append_only_lifted` (the privacy operations); on PostgreSQL the database itself
refuses too."""

import pytest
from django.db import DatabaseError, connection, transaction

from samspill.audit.append_only import AppendOnlyError, append_only_lifted
from samspill.audit.models import AccessLog, AuditEvent
from samspill.audit.services import access_log_record
from samspill.participants.models import Participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(participant, leader) -> AccessLog:
    return access_log_record(actor=leader, participant=participant, what="detail", why="leader")


def test_it_refuses_to_change_or_delete_a_row(participant, entry):
    event = AuditEvent.objects.filter(participant=participant).earliest("pk")

    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="changed")
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == event.action
    assert AccessLog.objects.filter(pk=entry.pk).exists()


def test_deleting_a_participant_does_not_cascade_through_the_trail(participant, entry):
    with pytest.raises(AppendOnlyError), transaction.atomic():
        Participant.objects.filter(pk=participant.pk).delete()

    assert Participant.objects.filter(pk=participant.pk).exists()
    assert AccessLog.objects.filter(pk=entry.pk).exists()


def test_the_privacy_operations_may_scrub_a_row(participant):
    event = AuditEvent.objects.filter(participant=participant).earliest("pk")

    with append_only_lifted():
        AuditEvent.objects.filter(pk=event.pk).update(data={})

    assert AuditEvent.objects.get(pk=event.pk).data == {}
    # Lifted for that block only.
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(data={"again": 1})


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL trigger")
def test_postgresql_refuses_what_bypasses_the_models(participant):
    event = AuditEvent.objects.filter(participant=participant).earliest("pk")

    for sql in (
        "UPDATE audit_auditevent SET action = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])

    with append_only_lifted(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET data = '{}' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).data == {}


def test_the_operators_admin_deletes_no_audit_row(participant, entry):
    from django.contrib.auth import get_user_model

    from samspill.core.testing import client_for

    operator = get_user_model().objects.create_superuser(
        email="operator@example.org", password="x-operator-1", full_name="Operator"
    )
    event = AuditEvent.objects.filter(participant=participant).earliest("pk")
    client = client_for(operator)

    for path in (
        f"/admin/audit/auditevent/{event.pk}/delete/",
        f"/admin/audit/accesslog/{entry.pk}/delete/",
    ):
        assert client.post(path, {"post": "yes"}).status_code == 403
    response = client.post(f"/admin/audit/auditevent/{event.pk}/change/", {"action": "x"})
    assert response.status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).action == event.action
    assert AccessLog.objects.filter(pk=entry.pk).exists()
