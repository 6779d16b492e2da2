"""How a row loses its personal data, field by field, by the kind of field (so that a table
added later is handled without being named here).

Kept: keys, numbers, dates, booleans and fields with choices (statuses, kinds, outcomes): what
the statistics count, and nothing that names or describes the person. Removed: every free
text, e-mail, JSON document and file; a birth date. A text that must stay unique (an e-mail
login, a key in a unique constraint) becomes `erased-<id>` instead of empty.
"""

import json
from typing import Any

from django.db import models

ERASED = "[erased]"
# Dates that are personal data in themselves, not dates of the follow-up.
PERSONAL_DATES = {"birth_date"}


def _unique_names(model: type[models.Model]) -> set[str]:
    names = {field.name for field in model._meta.concrete_fields if field.unique}
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint):
            names.update(constraint.fields)
    for together in model._meta.unique_together:
        names.update(together)
    return names


def is_free_text(field: models.Field) -> bool:
    return isinstance(field, models.CharField | models.TextField) and not field.choices


def blank_values(obj: models.Model) -> dict[str, Any]:
    """The values that anonymise `obj`: only the fields that hold something now."""
    unique = _unique_names(type(obj))
    values: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.primary_key or field.is_relation:
            continue
        current = field.value_from_object(obj)
        if isinstance(field, models.FileField):
            if current:
                current.delete(save=False)
                values[field.attname] = ""
        elif is_free_text(field):
            if current and current != f"#{obj.pk}" and not str(current).startswith("erased-"):
                if field.name in unique:
                    suffix = "@erased.invalid" if isinstance(field, models.EmailField) else ""
                    value = f"erased-{obj.pk}{suffix}"
                    if field.max_length and len(value) > field.max_length:
                        value = f"#{obj.pk}"  # a short column (a national id): still unique
                    values[field.attname] = value
                elif field.null:
                    values[field.attname] = None
                else:
                    values[field.attname] = ""
        elif isinstance(field, models.JSONField):
            if current:
                empty = field.get_default()
                if empty is None and not field.null:
                    empty = [] if isinstance(current, list) else {}
                values[field.attname] = empty
        elif isinstance(field, models.BinaryField):
            if current:
                values[field.attname] = b""
        elif field.name in PERSONAL_DATES and current is not None:
            values[field.attname] = None
    return values


def text_fields(model: type[models.Model]) -> list[models.Field]:
    """The fields of `model` that can hold a name or a number written in passing."""
    return [
        field
        for field in model._meta.concrete_fields
        if (is_free_text(field) or isinstance(field, models.JSONField)) and not field.primary_key
    ]


def redact(value: Any, needles: list[str]) -> Any:
    """`value` with every needle replaced (a text, or a JSON document)."""
    if isinstance(value, str):
        for needle in needles:
            value = _replace(value, needle)
        return value
    if value is None:
        return None
    text = json.dumps(value, ensure_ascii=False)
    for needle in needles:
        text = _replace(text, json.dumps(needle, ensure_ascii=False)[1:-1])
    return json.loads(text)


def _replace(text: str, needle: str) -> str:
    lowered, lowered_needle = text.lower(), needle.lower()
    out, start = [], 0
    while (found := lowered.find(lowered_needle, start)) >= 0:
        out.append(text[start:found])
        out.append(ERASED)
        start = found + len(needle)
    out.append(text[start:])
    return "".join(out)
