"""Matching terms on the participant (issue 23): the stems of what they can, want to learn and
their own words, kept by the services that write the profile, filled here for existing rows;
on PostgreSQL a GIN index on the terms as an array, for the engine's prefilter
(samspill/matching/engine.py). SQLite gets no index: its path reads the terms in Python."""

from django.db import migrations, models

INDEX = "participant_match_terms_gin"
TEXT_FIELDS = ("what_i_can", "want_to_learn", "interests", "dreams", "who_i_am")


def fill(apps, schema_editor):
    from samspill.core.matchtext import profile_index

    Participant = apps.get_model("participants", "Participant")
    has_text = models.Q()
    for name in TEXT_FIELDS:
        has_text |= ~models.Q(**{name: ""})
    batch = []
    for p in Participant.objects.filter(has_text).only("pk", *TEXT_FIELDS).iterator(2000):
        p.match_terms = profile_index(
            what_i_can=p.what_i_can,
            want_to_learn=p.want_to_learn,
            wishes=" . ".join((p.interests, p.dreams, p.who_i_am)),
        )
        batch.append(p)
        if len(batch) >= 2000:
            Participant.objects.bulk_update(batch, ["match_terms"])
            batch = []
    Participant.objects.bulk_update(batch, ["match_terms"])


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON participants_participant "
        "USING gin (string_to_array(match_terms, ' '))"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0012_phone_digits"),
    ]

    operations = [
        migrations.AddField(
            model_name="participant",
            name="match_terms",
            field=models.TextField(
                blank=True, default="", editable=False, verbose_name="matching terms"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
