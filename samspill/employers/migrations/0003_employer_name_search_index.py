"""An index for the employer search on PostgreSQL (`name__istartswith`).

`UPPER(name) LIKE UPPER('bake%')` uses an index on that expression with `text_pattern_ops`
whatever the collation. Opclasses are PostgreSQL-only, so the index is made here rather than in
`Meta.indexes` (as for participants, participants/migrations/0004).
"""

from django.db import migrations

NAME = "employer_org_upper_name"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {NAME} "
        "ON employers_employer (organisation_id, upper((name)::text) text_pattern_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [
        ("employers", "0002_employer_base"),
    ]

    operations = [migrations.RunPython(create, drop)]
