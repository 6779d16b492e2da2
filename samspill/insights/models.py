"""Cached results of the insights analyses: computed in the background, read by the pages,
the API and the command line."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from samspill.organisations.models import Organisation


class Analysis(models.Model):
    """One run of an analysis for an organisation: its result, or why there is none."""

    class Kind(models.TextChoices):
        EFFECTS = "effects", _("Effects of belief and continuity")

    class Status(models.TextChoices):
        PENDING = "pending", _("Being computed")
        DONE = "done", _("Done")
        REFUSED = "refused", _("Too few data")
        FAILED = "failed", _("Failed")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    result = models.JSONField(default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("analysis")
        verbose_name_plural = _("analyses")
        indexes = [
            models.Index(fields=["organisation", "kind", "requested_at"], name="analysis_latest")
        ]
        # One run at a time per organisation and kind: asking again while it is queued or
        # running joins that run (services.analysis_request).
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind"],
                condition=models.Q(status="pending"),
                name="analysis_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.organisation_id} {self.requested_at:%Y-%m-%d %H:%M}"
