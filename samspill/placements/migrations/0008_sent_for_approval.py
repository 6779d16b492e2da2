from django.db import migrations, models
from django.db.models import Min, OuterRef, Subquery


def sent_when_first_approved(apps, schema_editor):
    """An unlocked agreement that a party has approved was out for approval: it was sent when
    the first approval came. The others stay drafts until someone sends them."""
    Placement = apps.get_model("placements", "Placement")
    AgreementApproval = apps.get_model("placements", "AgreementApproval")
    first = (
        AgreementApproval.objects.filter(placement=OuterRef("pk"))
        .values("placement")
        .annotate(first=Min("approved_at"))
        .values("first")
    )
    Placement.objects.filter(
        locked_at__isnull=True, pk__in=AgreementApproval.objects.values("placement_id")
    ).update(sent_for_approval_at=Subquery(first))


class Migration(migrations.Migration):
    dependencies = [
        ("placements", "0007_one_outcome_vocabulary"),
    ]

    operations = [
        migrations.AddField(
            model_name="placement",
            name="sent_for_approval_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="sent for approval"
            ),
        ),
        migrations.RunPython(sent_when_first_approved, migrations.RunPython.noop),
    ]
