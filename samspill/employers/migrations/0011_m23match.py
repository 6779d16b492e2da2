"""Matching terms on the recruitment need (issue 23): the stems of its role, tasks and skills,
kept by the services that write the need, filled here for existing rows; on PostgreSQL a GIN
index on the terms as an array, for the engine's prefilter (samspill/matching/engine.py)."""

from django.db import migrations, models

INDEX = "need_match_terms_gin"


def fill(apps, schema_editor):
    from samspill.core.matchtext import need_index

    RecruitmentNeed = apps.get_model("employers", "RecruitmentNeed")
    batch = []
    for need in RecruitmentNeed.objects.only("pk", "role", "tasks", "skills").iterator(2000):
        need.match_terms = need_index(role=need.role, tasks=need.tasks, skills=need.skills)
        batch.append(need)
        if len(batch) >= 2000:
            RecruitmentNeed.objects.bulk_update(batch, ["match_terms"])
            batch = []
    RecruitmentNeed.objects.bulk_update(batch, ["match_terms"])


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON employers_recruitmentneed "
        "USING gin (string_to_array(match_terms, ' '))"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("employers", "0010_s22kinds"),
    ]

    operations = [
        migrations.AddField(
            model_name="recruitmentneed",
            name="match_terms",
            field=models.TextField(
                blank=True, default="", editable=False, verbose_name="matching terms"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
