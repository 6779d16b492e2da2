"""Every lost-belief sparring request (followup.SparringRequest) becomes a sparring case of the
kind "lost belief", asked of the same colleague, with its status, dates and private note.
The request's "what do you want to talk about" is the case's situation. Each case gets a new
pseudonymous reference. The old rows stay (a later migration drops the table)."""

import secrets

from django.db import migrations

ALPHABET = "ACDEFHJKLMNPRTUVWXY34679"


def copy_requests(apps, schema_editor):
    SparringRequest = apps.get_model("followup", "SparringRequest")
    SparringCase = apps.get_model("learning", "SparringCase")
    taken = set(SparringCase.objects.values_list("reference", flat=True))

    def reference():
        while True:
            ref = "S-" + "".join(secrets.choice(ALPHABET) for _ in range(6))
            if ref not in taken:
                taken.add(ref)
                return ref

    batch = []
    for request in SparringRequest.objects.order_by("id").iterator(chunk_size=2000):
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
        ("learning", "0004_sparring"),
        ("followup", "0006_reminder_status_after"),
    ]

    operations = [migrations.RunPython(copy_requests, migrations.RunPython.noop)]
