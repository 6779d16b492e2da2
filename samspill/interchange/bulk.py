"""Bulk loading on PostgreSQL, for moving a large organisation in (`samspill import --bulk`).

Written row by row, a million participants and the nine million rows around them cost far more
in keeping every index up to date and in checking every foreign key one row at a time (the
checks are deferred, so they all run at COMMIT) than in the writing itself. In bulk mode the
write phase drops the written tables' foreign keys, unique constraints and indexes first (all
but the primary keys), and afterwards builds each index in one sort and checks each foreign key
in one join, as pg_restore does. It
all happens in the import's transaction: if anything fails, the indexes and keys are back as
they were.

The price is locks: dropping a foreign key locks both its table and the table it refers to, so
until the import commits the written tables and those they refer to (users, organisations,
teams, employer contacts, goals) are locked against every other use, logins included. Bulk mode
is for the first import of an organisation in a maintenance window, from the command line; the
upload page never uses it.
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
    FollowUpStatus,
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
    FollowUpStatus,
    Placement,
    Referral,
]


@dataclass(frozen=True)
class Dropped:
    """What drop() took away, as SQL to put it back."""

    foreign_keys: list[tuple[str, str, str]]  # table, name, definition
    uniques: list[tuple[str, str, str]]  # unique constraints: table, name, definition
    indexes: list[tuple[str, str]]  # name, CREATE [UNIQUE] INDEX statement


def bulk_tables() -> list[str]:
    return [model._meta.db_table for model in BULK_MODELS]


def drop(cursor: Any) -> Dropped:
    """Drop the bulk tables' foreign keys, unique constraints and indexes, all but the primary
    keys (and a unique constraint a foreign key refers to, which has to stay). Uniqueness is
    then checked once, when its index is built again: the import's own checks have already
    refused duplicates, so a failure there means a bug, and it rolls everything back."""
    tables = bulk_tables()
    constraints = (
        "SELECT c.conrelid::regclass::text, quote_ident(c.conname), pg_get_constraintdef(c.oid)"
        " FROM pg_constraint AS c WHERE c.contype = %s AND c.conrelid = ANY(%s::regclass[])"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint AS f WHERE f.contype = 'f'"
        " AND f.conindid = c.conindid AND c.contype <> 'f') ORDER BY 1, 2"
    )
    cursor.execute(constraints, ["f", tables])
    foreign_keys = cursor.fetchall()
    cursor.execute(constraints, ["u", tables])
    uniques = cursor.fetchall()
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index AS i"
        " WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint AS c WHERE c.conindid = i.indexrelid)"
        " ORDER BY 1",
        [tables],
    )
    dropped = Dropped(foreign_keys=foreign_keys, uniques=uniques, indexes=cursor.fetchall())
    for table, name, _definition in [*dropped.foreign_keys, *dropped.uniques]:
        cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
    for name, _definition in dropped.indexes:
        cursor.execute(f"DROP INDEX {name}")
    return dropped


def rebuild(cursor: Any, dropped: Dropped) -> None:
    """Build each index in one sort (checking uniqueness as it goes) and check each foreign key
    in one join; then fresh planner statistics for the tables, which have grown by millions."""
    statements = [
        "SET LOCAL maintenance_work_mem = '512MB'",  # this transaction only
        *[definition for _name, definition in dropped.indexes],
        *[
            f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}"
            for table, name, definition in [*dropped.uniques, *dropped.foreign_keys]
        ],
        *[f"ANALYZE {table}" for table in bulk_tables()],
    ]
    for statement in statements:
        started = time.perf_counter()
        cursor.execute(statement)
        logger.debug("%.2f s: %s", time.perf_counter() - started, statement)
