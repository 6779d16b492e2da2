"""The restore drill (docs/operations.md, "Backup and restore"): data made through the
services, backed up with deploy/backup.sh, restored with deploy/restore.sh into a new
database, and compared: the rows of every table, the audit trail row by row, the media files
byte by byte.

pg_dump and pg_restore are PostgreSQL's tools: PostgreSQL only. Run with
DATABASE_URL=postgres://postgres@127.0.0.1:5432/samspill.
"""

import datetime
import hashlib
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from samspill.audit.models import AccessLog, AuditEvent
from samspill.core.tests.serving import REPO, production_env
from samspill.employers import services as employer_services

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="pg_dump and pg_restore need PostgreSQL",
    ),
    # The backup is taken from another session: the data must be committed.
    pytest.mark.django_db(transaction=True),
]

DEPLOY = REPO / "deploy"


def conninfo(name: str) -> str:
    db = connection.settings_dict
    password = f" password={db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"host={db['HOST']} port={db['PORT'] or 5432} user={db['USER']} dbname={name}{password}"


def url(name: str) -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{name}"


@pytest.fixture
def empty_database() -> Iterator[str]:
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(conninfo("postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with psycopg.connect(conninfo("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def script(name: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["sh", str(DEPLOY / name), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def row_counts(cursor: psycopg.Cursor) -> dict[str, int]:
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # our own table names
        [count] = cursor.fetchone() or (0,)
        counts[table] = count
    return counts


def audit_rows(cursor: psycopg.Cursor) -> list[tuple]:
    table = AuditEvent._meta.db_table
    cursor.execute(f'SELECT * FROM "{table}" ORDER BY id')
    return cursor.fetchall()


def files(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_a_backup_restores_into_a_new_database_with_every_row_and_file(
    tmp_path: Path, org, counselor, participant, employer, empty_database: str
) -> None:
    media = tmp_path / "media"
    with override_settings(MEDIA_ROOT=str(media)):
        agreement = employer_services.agreement_create(
            employer=employer,
            by=counselor,
            status="signed",
            signed_on=timezone.localdate(),
            document=SimpleUploadedFile("signed.pdf", b"%PDF-1.4 signed", "application/pdf"),
        )
    assert AuditEvent.objects.count() >= 2
    assert (media / agreement.document.name).exists()

    # As an operator runs them on a clone: `samspill` is not on PATH, restore.sh finds the
    # repository's .venv/bin/samspill itself.
    env = production_env(tmp_path)
    venv_bin = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep) if p != venv_bin)
    backup = tmp_path / f"backup-{datetime.date.today():%Y%m%d}"
    made = script(
        "backup.sh",
        str(backup),
        env={
            **env,
            "DATABASE_URL": url(connection.settings_dict["NAME"]),
            "MEDIA_ROOT": str(media),
        },
    )
    assert made.returncode == 0, made.stderr

    restored_media = tmp_path / "restored-media"
    restored = script(
        "restore.sh",
        str(backup),
        env={**env, "DATABASE_URL": url(empty_database), "MEDIA_ROOT": str(restored_media)},
    )
    assert restored.returncode == 0, restored.stderr

    with (
        psycopg.connect(conninfo(connection.settings_dict["NAME"])) as source,
        psycopg.connect(conninfo(empty_database)) as copy,
    ):
        before, after = row_counts(source.cursor()), row_counts(copy.cursor())
        assert after == before
        assert before[AuditEvent._meta.db_table] == AuditEvent.objects.count()
        assert audit_rows(copy.cursor()) == audit_rows(source.cursor())
        assert after[AccessLog._meta.db_table] == before[AccessLog._meta.db_table]
    assert files(restored_media) == files(media)
    assert files(restored_media)  # the signed agreement came along
