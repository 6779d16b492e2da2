"""The audit trail and the access log are append-only, in the database and not only by
convention.

On PostgreSQL a trigger (migration 0002_append_only) refuses every UPDATE and DELETE of their
rows unless the transaction has set `samspill.privacy_job` to `on`, which only
`append_only_lifted` does: the privacy operations (erasure and retention, samspill/privacy)
that must scrub or remove old rows. On SQLite, which has no session settings a trigger could
read, the same rule is kept by the models: their querysets refuse `update()` and `delete()`,
a saved row refuses to be saved again or deleted, and a cascade (deleting a participant or an
organisation would delete their rows) is refused before it starts. Both apply on PostgreSQL
too, so a mistake is reported by Python before the trigger has to.

TRUNCATE (the test suite's flush between transactional tests) is not a row operation and is
not refused.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection, transaction

SETTING = "samspill.privacy_job"

_lifted: ContextVar[bool] = ContextVar("audit_append_only_lifted", default=False)


class AppendOnlyError(Exception):
    """An attempt to change or remove an audit or access-log row."""

    def __init__(self, table: str) -> None:
        super().__init__(
            f"{table} rows are append-only: they are never changed or deleted, except by the "
            "erasure and retention operations (samspill privacy)."
        )


def is_lifted() -> bool:
    return _lifted.get()


def refuse_unless_lifted(table: str) -> None:
    if not _lifted.get():
        raise AppendOnlyError(table)


@contextmanager
def append_only_lifted() -> Iterator[None]:
    """Within this block, and its transaction only, audit rows may be changed and deleted.
    For the privacy operations; nothing else calls it."""
    with transaction.atomic():
        postgres = connection.vendor == "postgresql"
        if postgres:
            with connection.cursor() as cursor:
                # Local to the transaction: it ends with it, whatever happens.
                cursor.execute("SELECT set_config(%s, 'on', true)", [SETTING])
        token = _lifted.set(True)
        try:
            yield
        finally:
            _lifted.reset(token)
        if postgres:
            # An enclosing transaction goes on with the guard back in place.
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'off', true)", [SETTING])
