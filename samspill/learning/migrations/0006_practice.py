"""An index on the methods' titles, so that a library page of a broad search is read in title
order from the index and stops after its 25 rows, instead of sorting every match
(bench/library_search.py). Kept out of the model state like the full-text index (0002)."""

from django.db import migrations


def create(apps, schema_editor):
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS learning_method_title_id ON learning_method (title, id)"
    )


def drop(apps, schema_editor):
    schema_editor.execute("DROP INDEX IF EXISTS learning_method_title_id")


class Migration(migrations.Migration):
    dependencies = [("learning", "0005_l20sparring_lost_belief")]

    operations = [migrations.RunPython(create, drop)]
