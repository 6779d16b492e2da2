import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0001_initial"),
        ("placements", "0004_placement_organisation"),
    ]

    operations = [
        migrations.AlterField(
            model_name="placement",
            name="organisation",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organisations.organisation",
                verbose_name="organisation",
            ),
        ),
        migrations.AddIndex(
            model_name="placement",
            index=models.Index(
                fields=["organisation", "start_date", "id"], name="placement_organisation_start"
            ),
        ),
    ]
