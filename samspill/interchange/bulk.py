"""Bulk loading on PostgreSQL, for moving a large organisation in (`samspill import --bulk`).

Written row by row, a million participants and the nine million rows around them cost far more
in keeping every index up to date and in checking every foreign key one row at a time (the
checks are deferred, so they all run at COMMIT) than in the writing itself. In bulk mode the
write phase drops the written tables' foreign keys and plain indexes first, and afterwards
builds each index in one sort and checks each foreign key in one join, as pg_restore does. It
all happens in the import's transaction: if anything fails, the indexes and keys are back as
they were.

The price is locks: dropping a foreign key locks both its table and the table it refers to, so
until the import commits the written tables and those they refer to (users, organisations,
teams, employer contacts, goals) are locked against every other use, logins included. Bulk mode
is for the first import of an organisation in a maintenance window, from the command line; the
upload page never uses it. Unique indexes stay (the import relies on them), and so does every primary key.
"""

import logging
import time
from dataclasses import dataclass
from typing import Any

from django.db import models

# The tables an import of a large organisation fills; the small ones (organisations, staff,
# teams, users) are not worth it.
from samspill.employers.models import Employer
from samspill.followup.models import BeliefCheckIn
from samspill.participants.models import (
    CounselorAssignment,
    FollowUpPeriod,
    Participant,
    PeriodOutcome,
)
from samspill.placements.models import Placement
from samspill.plans.models import Activity
from samspill.referrals.models import Referral

logger = logging.getLogger(__name__)

BULK_MODELS: list[type[models.Model]] = [
    Participant,
    Employer,
    FollowUpPeriod,
    CounselorAssignment,
    BeliefCheckIn,
    Activity,
    PeriodOutcome,
    Placement,
    Referral,
]


@dataclass(frozen=True)
class Dropped:
    """What drop() took away, as SQL to put it back."""

    foreign_keys: list[tuple[str, str, str]]  # table, name, definition
    indexes: list[tuple[str, str]]  # name, CREATE INDEX statement


def bulk_tables() -> list[str]:
    return [model._meta.db_table for model in BULK_MODELS]


def drop(cursor: Any) -> Dropped:
    """Drop the bulk tables' foreign keys and plain (non-unique, non-constraint) indexes."""
    tables = bulk_tables()
    cursor.execute(
        "SELECT c.conrelid::regclass::text, quote_ident(c.conname), pg_get_constraintdef(c.oid)"
        " FROM pg_constraint AS c WHERE c.contype = 'f' AND c.conrelid = ANY(%s::regclass[])"
        " ORDER BY 1, 2",
        [tables],
    )
    dropped = Dropped(foreign_keys=cursor.fetchall(), indexes=[])
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index AS i"
        " WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisunique AND NOT i.indisprimary"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint AS c WHERE c.conindid = i.indexrelid)"
        " ORDER BY 1",
        [tables],
    )
    dropped.indexes.extend(cursor.fetchall())
    for table, name, _definition in dropped.foreign_keys:
        cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
    for name, _definition in dropped.indexes:
        cursor.execute(f"DROP INDEX {name}")
    return dropped


def rebuild(cursor: Any, dropped: Dropped) -> None:
    """Build each index in one sort and check each foreign key in one join; then fresh planner
    statistics for the tables, which have just grown by millions of rows."""
    statements = [
        "SET LOCAL maintenance_work_mem = '512MB'",  # this transaction only
        *[definition for _name, definition in dropped.indexes],
        *[
            f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}"
            for table, name, definition in dropped.foreign_keys
        ],
        *[f"ANALYZE {table}" for table in bulk_tables()],
    ]
    for statement in statements:
        started = time.perf_counter()
        cursor.execute(statement)
        logger.debug("%.2f s: %s", time.perf_counter() - started, statement)
