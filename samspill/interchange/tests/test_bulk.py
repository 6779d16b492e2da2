"""Bulk mode (PostgreSQL): the same rows as a normal import, and every index and foreign key
back in place afterwards."""

from pathlib import Path

import pytest
from django.db import connection

from samspill.interchange.bulk import bulk_tables
from samspill.interchange.report import ImportRejected
from samspill.interchange.services import interchange_import
from samspill.interchange.tests.test_import import counts
from samspill.participants.models import FollowUpPeriod, Participant

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="bulk mode is PostgreSQL's"),
]


def schema() -> list[tuple[str, ...]]:
    """Every index and constraint on the bulk tables, with its definition."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)"
            " UNION ALL SELECT c.conrelid::regclass::text, c.conname,"
            " pg_get_constraintdef(c.oid) || CASE WHEN c.convalidated THEN '' ELSE ' NOT VALID'"
            " END FROM pg_constraint AS c WHERE c.conrelid = ANY(%s::regclass[]) ORDER BY 1, 2, 3",
            [bulk_tables(), bulk_tables()],
        )
        return cursor.fetchall()


def test_bulk_writes_what_a_normal_import_writes_and_rebuilds_the_indexes(good_folder: Path):
    before = schema()

    report = interchange_import(folder=good_folder, by=None, bulk=True)

    assert report.ok
    assert "bulk: build indexes, check foreign keys" in report.timings
    assert counts()["Participant"] == 2
    assert counts()["CounselorAssignment"] == 4
    ola = Participant.objects.get(external_key="P1")
    assert ola.active_period == FollowUpPeriod.objects.get(external_key="PER1")
    assert ola.counselor is not None
    assert schema() == before
    assert any("FOREIGN KEY" in row[2] for row in before)


def test_bulk_refuses_an_organisation_already_in_samspill(good_folder: Path):
    interchange_import(folder=good_folder, by=None)
    before = schema(), counts()

    with pytest.raises(ImportRejected) as rejected:
        interchange_import(folder=good_folder, by=None, bulk=True)

    assert "ORG1" in rejected.value.report.errors[0].message
    assert (schema(), counts()) == before
