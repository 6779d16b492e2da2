"""The participant's organisation on each placement (denormalised for a leader's list), filled
from the participants. Made NOT NULL and indexed in 0005: on PostgreSQL the table cannot be
altered in the transaction that updated its rows while the new foreign key's checks are
pending."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0001_initial"),
        ("participants", "0008_participant_team_org_index"),
        ("placements", "0003_placement_start_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="placement",
            name="organisation",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organisations.organisation",
                verbose_name="organisation",
            ),
        ),
        migrations.RunSQL(
            "UPDATE placements_placement SET organisation_id = (SELECT p.organisation_id"
            " FROM participants_participant AS p"
            " WHERE p.id = placements_placement.participant_id)",
            migrations.RunSQL.noop,
        ),
    ]
