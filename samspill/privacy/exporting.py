"""A person's data as one JSON document (machine readable) and as a PDF (readable): every
row about them (graph.py), the access log of who read their record, and the audit trail of
what was done to it."""

import datetime
import decimal
import json
from typing import Any

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone

from samspill.audit.models import AccessLog, AuditEvent
from samspill.learning.export import learning_record
from samspill.privacy.graph import TRAIL, Rows, rows_about_participant, rows_about_user

FORMAT = "samspill-privacy-export/1"
# Secrets are never exported, not even to their owner.
SECRET_FIELDS = {"password", "key_hash", "fingerprint"}


def _value(field: models.Field, obj: models.Model) -> Any:
    value = field.value_from_object(obj)
    if isinstance(field, models.FileField):
        return value.name or ""
    if isinstance(value, datetime.date | decimal.Decimal):
        return json.loads(json.dumps(value, cls=DjangoJSONEncoder))
    return value


def row_as_dict(obj: models.Model, *, full: bool = True) -> dict[str, Any]:
    """Every field of `obj` (foreign keys as numbers), or, with `full` off, only its keys
    and times: a staff member's export names the rows that refer to them without the
    participants' texts in them."""
    row: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in SECRET_FIELDS or isinstance(field, models.BinaryField):
            continue
        if not full and not (
            field.primary_key or field.is_relation or isinstance(field, models.DateTimeField)
        ):
            continue
        row[field.attname] = _value(field, obj)
    return row


def _tables(rows: Rows, *, full: bool) -> list[dict[str, Any]]:
    return [
        {
            "table": model._meta.label_lower,
            "title": str(model._meta.verbose_name_plural),
            "rows": [row_as_dict(obj, full=full) for obj in by_pk.values()],
        }
        for model, by_pk in sorted(rows.items(), key=lambda item: item[0]._meta.label_lower)
        if model not in TRAIL and by_pk
    ]


def _access_log(entries: list[AccessLog]) -> list[dict[str, Any]]:
    return [
        {
            "when": entry.accessed_at.isoformat(),
            "who": entry.actor.full_name if entry.actor else "",
            "who_id": entry.actor_id,
            "what": entry.what,
            "why": entry.why,
        }
        for entry in entries
    ]


def _history(events: list[AuditEvent]) -> list[dict[str, Any]]:
    return [
        {
            "when": event.created_at.isoformat(),
            "action": event.action,
            "by": event.actor.full_name if event.actor else "",
            "object": f"{event.object_type}:{event.object_id}",
            "data": event.data,
        }
        for event in events
    ]


def participant_document(participant: Any) -> dict[str, Any]:
    rows = rows_about_participant(participant)
    log: list[AccessLog] = sorted(
        (e for e in rows.get(AccessLog, {}).values() if isinstance(e, AccessLog)),
        key=lambda e: (e.accessed_at, e.pk),
    )
    events: list[AuditEvent] = sorted(
        (e for e in rows.get(AuditEvent, {}).values() if isinstance(e, AuditEvent)),
        key=lambda e: (e.created_at, e.pk),
    )
    _with_actors([*log, *events])
    return {
        "format": FORMAT,
        "generated_at": timezone.now().isoformat(),
        "subject": {
            "kind": "participant",
            "id": participant.pk,
            "name": participant.full_name,
            "organisation": participant.organisation.name,
        },
        "tables": _tables(rows, full=True),
        "access_log": _access_log([e for e in log if e.participant_id == participant.pk]),
        "history": _history([e for e in events if e.participant_id == participant.pk]),
    }


def user_document(user: Any) -> dict[str, Any]:
    rows = rows_about_user(user)
    own = {type(user): rows.pop(type(user))}
    # Their own learning record, whole (issue 20); other rows naming them stay keys and times.
    for model, by_pk in learning_record(user).items():
        own[model] = by_pk
        rest = {pk: obj for pk, obj in rows.pop(model, {}).items() if pk not in by_pk}
        if rest:
            rows[model] = rest
    return {
        "format": FORMAT,
        "generated_at": timezone.now().isoformat(),
        "subject": {"kind": "user", "id": user.pk, "name": user.full_name, "organisation": ""},
        "tables": _tables(own, full=True) + _tables(rows, full=False),
        "access_log": [],
        "history": [],
    }


def _with_actors(entries: list[AccessLog | AuditEvent]) -> None:
    """Fetches the actors of the entries in one query (they came without them)."""
    from samspill.accounts.models import User

    ids = {entry.actor_id for entry in entries if entry.actor_id}
    users = User.objects.in_bulk(ids)
    for entry in entries:
        entry.actor = users.get(entry.actor_id)


def as_json(document: dict[str, Any]) -> bytes:
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def _label(table: str, column: str) -> str:
    model = apps.get_model(table)
    for field in model._meta.concrete_fields:
        if field.attname == column:
            return str(field.verbose_name)
    return column


def _readable(value: Any) -> str:
    if value in (None, "", [], {}):
        return "–"
    if isinstance(value, bool):
        return "✓" if value else "–"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def as_html(document: dict[str, Any]) -> str:
    tables = [
        {
            "title": table["title"],
            "rows": [
                [
                    (_label(table["table"], column), _readable(value))
                    for column, value in row.items()
                ]
                for row in table["rows"]
            ],
        }
        for table in document["tables"]
    ]
    return render_to_string("privacy/export_pdf.html", {"document": document, "tables": tables})


def as_pdf(document: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # imported here: it parses its stylesheets on import

    pdf: bytes = HTML(string=as_html(document)).write_pdf()
    return pdf
