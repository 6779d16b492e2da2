"""Optimistic locking of shared objects: a `revision` counted up at every save.

An edit form and an API write carry the revision they read; the service locks the row
(`select_for_update`), compares, and refuses a stale write with `StaleRevision`, so a colleague's
change is never silently overwritten. Callers that read nothing first (the interchange import,
demo data, other services) pass no revision and are not checked, but still count the save.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class StaleRevision(ValidationError):
    """Someone else saved `current` after the caller read it; nothing was written.

    A ValidationError, so every caller that shows a service's refusal shows this one too;
    `samspill.core.forms.add_service_errors` says what is saved now, the API answers 409."""

    def __init__(self, current: Any) -> None:
        super().__init__(
            _("Someone else saved this while you were editing. Nothing was changed."),
            code="conflict",
        )
        self.current = current


def check_revision(current: Any, revision: int | None) -> None:
    """Refuse the write when `current` (locked by the caller) is past `revision`; None (a
    caller that read nothing first) is not checked."""
    if revision is not None and current.revision != revision:
        raise StaleRevision(current)


def count_save(obj: Any, *update_fields: str) -> list[str]:
    """Count one more save of `obj`; returns `update_fields` with the revision."""
    obj.revision += 1
    return [*update_fields, "revision"]
