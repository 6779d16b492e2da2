"""Writes to the audit trail and the access log. Called by other services and by views that
read a person's record."""

from typing import Any

from django.db import models

from samspill.audit.models import AccessLog, AuditEvent


def audit_record(
    *,
    actor: Any,
    organisation_id: int,
    action: str,
    obj: models.Model,
    participant_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record that `actor` did `action` to `obj`; call inside the service's transaction."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        organisation_id=organisation_id,
        participant_id=participant_id,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        data=data or {},
    )


def access_log_record(*, actor: Any, participant: Any, what: str, why: str) -> AccessLog:
    """Record one read of `participant`'s record by `actor`."""
    return AccessLog.objects.create(
        actor=actor,
        participant_id=participant.pk,
        organisation_id=participant.organisation_id,
        what=what[:100],
        why=why,
    )
