"""Reads that may be served by a read replica (`DATABASE_REPLICA_URL`, the `replica` alias).

A streaming replica is a moment behind the primary, so nothing reads from it unless the code
says so, around reads where a second's lag does no harm: the insights pages and their API,
exports, the caseload's counts:

    with replica_reads():
        counts = queries.caseload_counts(base, flt)

Writes always go to the primary (`default`), inside `replica_reads()` too: an audit row, an
access-log row or a session saved during a replica read lands on the primary, and a service
(atomic) reads the primary throughout. Without
`DATABASE_REPLICA_URL` there is no `replica` alias and everything reads from `default`.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import connections

REPLICA = "replica"

_replica_reads: ContextVar[bool] = ContextVar("samspill_replica_reads", default=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Queries in this block read from the replica, when one is configured. Usable as a
    decorator too. Reads in a transaction (every service's) stay on the primary."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def read_alias() -> str:
    """The database alias reads go to here and now: never the replica inside a transaction on
    the primary, so a service called in `replica_reads()` (they are atomic) validates and
    reads what it writes on the primary."""
    if (
        _replica_reads.get()
        and REPLICA in settings.DATABASES
        and not connections["default"].in_atomic_block
    ):
        return REPLICA
    return "default"


class ReplicaRouter:
    """Reads inside `replica_reads()` go to the replica, everything else to `default`.

    Outside the block `default` is named explicitly: a row read from the replica follows its
    relations on the primary, not where it came from."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        return read_alias()

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica is a copy of the same database

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"  # the replica gets the primary's schema by replication
