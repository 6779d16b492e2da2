"""Writes of the insights: requesting an analysis and recording its result."""

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from samspill.audit.services import audit_record
from samspill.insights import effects
from samspill.insights.models import Analysis
from samspill.jobs.services import enqueue_in_transaction

# A run still pending after this long was lost (its task failed for good): a new request
# replaces it. A run takes about a minute at national scale.
ABANDONED_AFTER = datetime.timedelta(hours=1)


@transaction.atomic
def analysis_request(*, organisation_id: int, kind: str, by: Any) -> Analysis:
    """Ask for a fresh run and enqueue its task in the same transaction; while a run of the
    same kind is queued or running for the organisation, return that one instead (at most one
    pending per organisation and kind, a partial unique index: five requests at once run it
    once)."""
    from samspill.insights.tasks import run_analysis  # tasks.py imports this module

    Analysis.objects.filter(
        organisation_id=organisation_id,
        kind=kind,
        status=Analysis.Status.PENDING,
        requested_at__lt=timezone.now() - ABANDONED_AFTER,
    ).update(status=Analysis.Status.FAILED, reason="abandoned", finished_at=timezone.now())
    for _attempt in range(3):
        pending = Analysis.objects.filter(
            organisation_id=organisation_id, kind=kind, status=Analysis.Status.PENDING
        ).first()
        if pending is not None:
            return pending
        try:
            with transaction.atomic():
                analysis = Analysis.objects.create(
                    organisation_id=organisation_id, kind=kind, status=Analysis.Status.PENDING
                )
        except IntegrityError:
            continue  # another request made it a moment ago (committed now): join that one
        audit_record(
            actor=by, organisation_id=organisation_id, action="insights.requested", obj=analysis
        )
        enqueue_in_transaction(run_analysis, analysis.pk)
        return analysis
    raise RuntimeError("The analysis could be neither requested nor found.")


def analysis_run(*, analysis: Analysis) -> Analysis:
    """Compute and store the result (or the reason there is none). A run resumed after its
    worker died computes it again; one that raises is marked failed, so it blocks no new
    request, and the task shows the error."""
    try:
        analysis.result = effects.estimate(analysis.organisation_id)
        analysis.status = Analysis.Status.DONE
    except effects.TooFewData as refusal:
        analysis.status, analysis.reason = Analysis.Status.REFUSED, str(refusal)
    except Exception:
        analysis.status, analysis.reason = Analysis.Status.FAILED, "error"
        analysis.finished_at = timezone.now()
        analysis.save(update_fields=["status", "reason", "finished_at"])
        raise
    analysis.finished_at = timezone.now()
    analysis.save(update_fields=["result", "status", "reason", "finished_at"])
    return analysis
