"""Drop `SparringRequest`: the lost-belief sparring is a kind of learning's sparring case.

Learning's migration 0005 copied every request into a case of the kind "lost belief". A request
written after that (by a server still running the old code during a deploy) is copied here
first, the same way; one already copied (same asker, colleague, participant and time) is not
copied twice. Then the table goes."""

import secrets

from django.db import migrations

ALPHABET = "ACDEFHJKLMNPRTUVWXY34679"


def copy_left_over(apps, schema_editor):
    SparringRequest = apps.get_model("followup", "SparringRequest")
    SparringCase = apps.get_model("learning", "SparringCase")
    taken = set(SparringCase.objects.values_list("reference", flat=True))
    copied = set(
        SparringCase.objects.filter(kind="lost_belief").values_list(
            "asked_by_id", "asked_id", "participant_id", "created_at"
        )
    )

    def reference():
        while True:
            ref = "S-" + "".join(secrets.choice(ALPHABET) for _ in range(6))
            if ref not in taken:
                taken.add(ref)
                return ref

    batch = []
    for request in SparringRequest.objects.order_by("id").iterator(chunk_size=2000):
        key = (request.requested_by_id, request.colleague_id, request.participant_id)
        if (*key, request.created_at) in copied:
            continue
        batch.append(
            SparringCase(
                organisation_id=request.organisation_id,
                kind="lost_belief",
                audience="colleague",
                reference=reference(),
                asked_by_id=request.requested_by_id,
                asked_id=request.colleague_id,
                participant_id=request.participant_id,
                checkin_id=request.checkin_id,
                situation=request.why,
                status=request.status,  # open, accepted and closed mean the same
                created_at=request.created_at,
                accepted_at=request.accepted_at,
                closed_at=request.closed_at,
                private_note=request.private_note,
            )
        )
        if len(batch) >= 2000:
            SparringCase.objects.bulk_create(batch)
            batch = []
    SparringCase.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0007_s22loops_market_belief"),
        # The cases that hold the converted rows, and the first copy.
        ("learning", "0005_l20sparring_lost_belief"),
    ]

    operations = [
        migrations.RunPython(copy_left_over, migrations.RunPython.noop),
        migrations.DeleteModel(name="SparringRequest"),
    ]
