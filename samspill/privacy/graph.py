"""Everything that refers to a person, found by walking the model graph.

Starting from a participant, every table with a foreign key to it is read, then every table
with a foreign key to those rows, and so on (reverse relations only: a placement's employer is
not the participant's, the placement's follow-ups are). The walk asks the models, not a list
kept by hand, so a table added later is found without anyone remembering to add it here. It
reads one query per relation and level, however many rows there are.

The audit trail and the access log are found too, and kept apart (`TRAIL`): they are the
history of the record, answered and handled separately (exported as such, scrubbed, never
anonymised as if they were case data).
"""

from collections import defaultdict
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import ForeignObjectRel

from samspill.audit.models import AccessLog, AuditEvent
from samspill.referrals.models import ReferralAccessLog

TRAIL: tuple[type[models.Model], ...] = (AuditEvent, AccessLog, ReferralAccessLog)

Rows = dict[type[models.Model], dict[Any, models.Model]]


def reverse_relations(model: type[models.Model]) -> list[ForeignObjectRel]:
    """Foreign keys and one-to-one keys of other tables that point at `model`, hidden ones
    (related_name="+") included."""
    return [
        field
        for field in model._meta.get_fields(include_hidden=True)
        if isinstance(field, ForeignObjectRel)
        and (field.one_to_many or field.one_to_one)
        and not getattr(field.remote_field, "parent_link", False)
    ]


def _add(rows: Rows, found: list[models.Model]) -> list[models.Model]:
    new = []
    for obj in found:
        bucket = rows[type(obj)]
        if obj.pk not in bucket:
            bucket[obj.pk] = obj
            new.append(obj)
    return new


def _referring(model: type[models.Model], pks: list[Any]) -> list[models.Model]:
    found: list[models.Model] = []
    for relation in reverse_relations(model):
        related = relation.related_model
        assert isinstance(related, type)
        found += related._base_manager.filter(**{f"{relation.field.name}__in": pks}).order_by("pk")
    return found


def rows_about_participant(participant: models.Model) -> Rows:
    """Every row about `participant`: their own row, their own login, and every row that
    refers to them, directly or through another such row (the trail included)."""
    rows: Rows = defaultdict(dict)
    _add(rows, [participant])
    frontier = {type(participant): [participant.pk]}
    while frontier:
        found: list[models.Model] = []
        for model, pks in frontier.items():
            if model in TRAIL:
                continue
            found += _referring(model, pks)
        by_model: dict[type[models.Model], list[Any]] = defaultdict(list)
        for obj in _add(rows, found):
            by_model[type(obj)].append(obj.pk)
        frontier = dict(by_model)
    login = getattr(participant, "portal_user", None)
    if login is not None:
        # Their own login, and what they did with it (approvals, comments): one level only,
        # a login's rows are about what it did, not about other people.
        _add(rows, [login, *_referring(type(login), [login.pk])])
    return rows


def rows_about_user(user: models.Model) -> Rows:
    """A staff member's own row and every row that refers to them (one level: what they
    wrote is about participants, not about them)."""
    rows: Rows = defaultdict(dict)
    _add(rows, [user, *_referring(type(user), [user.pk])])
    return rows


def all_models() -> list[type[models.Model]]:
    return [model for model in apps.get_models() if not model._meta.proxy]
