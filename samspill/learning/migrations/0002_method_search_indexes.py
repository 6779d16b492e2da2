"""The full-text index of the methods library on PostgreSQL (the stored `search_vector`, in
each organisation's language). SQLite searches plainly."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS learning_method_fts ON learning_method "
        "USING gin (search_vector)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS learning_method_fts")


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
