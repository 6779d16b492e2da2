"""The referral access log becomes append-only in the database (PostgreSQL), like the audit
app's access log: the audit app's trigger function (audit 0002_append_only) refuses UPDATE and
DELETE of its rows unless the transaction has set `samspill.privacy_job`
(samspill/audit/append_only.py). SQLite keeps the rule in the model."""

from django.db import migrations

TABLE = "referrals_referralaccesslog"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION samspill_audit_append_only()"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only"),
        ("referrals", "0005_referrals_revision"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
