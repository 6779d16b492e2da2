"""Reads for the data-protection pages."""

from django.db.models import QuerySet

from samspill.privacy.models import LegalHold


def open_legal_holds(organisation_id: int) -> QuerySet[LegalHold]:
    """The organisation's holds not yet lifted, newest first, with who placed them."""
    return (
        LegalHold.objects.filter(organisation_id=organisation_id, lifted_at__isnull=True)
        .select_related("placed_by")
        .order_by("-placed_at", "-id")
    )
