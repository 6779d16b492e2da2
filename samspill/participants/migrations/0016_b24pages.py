"""The name-search indexes cover the caseload (issue 24): on PostgreSQL, the indexes of
0004_participant_name_search_indexes, on (organisation, UPPER(name) text_pattern_ops), become
covering indexes that also hold every column a caseload filters or sorts on. A search that
sorts its matches ("hansen": 25,000 of 600,000) then reads its matches' keys from the index
alone (queries.name_search_streams), where it visited each match's row (17,000 pages, 240 ms
at 1M, bench/README.md). The new indexes lead with the same columns, so every plan that used
the old ones uses these; the old ones go. SQLite gets nothing, as in 0004.
"""

from django.db import migrations

COVERED = "family_name, given_name, id, active_period_id, team_id, counselor_id, "
COVERED += "next_follow_up_on, last_contact_on"
INDEXES = {
    "participant_org_family_cover": "upper((family_name)::text) text_pattern_ops",
    "participant_org_given_cover": "upper((given_name)::text) text_pattern_ops",
}
OLD = {
    "participant_org_upper_family": "upper((family_name)::text) text_pattern_ops",
    "participant_org_upper_given": "upper((given_name)::text) text_pattern_ops",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} "
            f"ON participants_participant (organisation_id, {expression}) INCLUDE ({COVERED})"
        )
    for name in OLD:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, expression in OLD.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} "
            f"ON participants_participant (organisation_id, {expression})"
        )
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0015_m23speed2"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
