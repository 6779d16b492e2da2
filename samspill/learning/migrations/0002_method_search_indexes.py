"""Full-text indexes for the methods library on PostgreSQL, one per language the organisations
speak (queries.method_search uses the same expressions). SQLite searches plainly."""

from django.db import migrations

CONFIGS = ("norwegian", "danish")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for config in CONFIGS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS learning_method_fts_{config} ON learning_method "
            f"USING gin (to_tsvector('{config}'::regconfig, search_text))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for config in CONFIGS:
        schema_editor.execute(f"DROP INDEX IF EXISTS learning_method_fts_{config}")


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
