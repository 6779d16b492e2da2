"""Writes of the insights: requesting an analysis and recording its result."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from samspill.audit.services import audit_record
from samspill.insights import effects
from samspill.insights.models import Analysis


@transaction.atomic
def analysis_request(*, organisation_id: int, kind: str, by: Any) -> Analysis:
    """Ask for a fresh run; the task computes it (`tasks.run_analysis`)."""
    analysis = Analysis.objects.create(
        organisation_id=organisation_id, kind=kind, status=Analysis.Status.PENDING
    )
    audit_record(
        actor=by, organisation_id=organisation_id, action="insights.requested", obj=analysis
    )
    return analysis


def analysis_run(*, analysis: Analysis) -> Analysis:
    """Compute and store the result (or the reason there is none)."""
    try:
        analysis.result = effects.estimate(analysis.organisation_id)
        analysis.status = Analysis.Status.DONE
    except effects.TooFewData as refusal:
        analysis.status, analysis.reason = Analysis.Status.REFUSED, str(refusal)
    analysis.finished_at = timezone.now()
    analysis.save(update_fields=["result", "status", "reason", "finished_at"])
    return analysis
