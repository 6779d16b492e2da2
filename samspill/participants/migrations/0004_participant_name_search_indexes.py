"""Indexes for the caseload's name search on PostgreSQL.

`given_name__istartswith` / `family_name__istartswith` compile to
`UPPER("family_name"::text) LIKE UPPER('haug%')`. An index on that expression with
`text_pattern_ops` turns the prefix into an index range whatever the database's collation (a
plain index serves LIKE only under the C collation). Opclasses are PostgreSQL-only, so the
indexes are made here rather than in `Meta.indexes`, and SQLite (whose LIKE uses no index here)
gets nothing. Measured in bench/README.md.
"""

from django.db import migrations

INDEXES = {
    "participant_org_upper_family": "upper((family_name)::text) text_pattern_ops",
    "participant_org_upper_given": "upper((given_name)::text) text_pattern_ops",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} "
            f"ON participants_participant (organisation_id, {expression})"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0003_participant_org_counts_index"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
