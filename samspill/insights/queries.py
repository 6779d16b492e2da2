"""Reads of the insights."""

from samspill.insights.models import Analysis


def latest(organisation_id: int, kind: str) -> Analysis | None:
    return (
        Analysis.objects.filter(organisation_id=organisation_id, kind=kind)
        .order_by("-requested_at", "-id")
        .first()
    )


def latest_finished(organisation_id: int, kind: str) -> Analysis | None:
    return (
        Analysis.objects.filter(
            organisation_id=organisation_id, kind=kind, finished_at__isnull=False
        )
        .order_by("-finished_at", "-id")
        .first()
    )
