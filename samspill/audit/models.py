"""What happened and who looked: the audit trail and the access log.

Both are append-only: the app has no path that edits or deletes a row, the admin shows them
read-only, and the database refuses it (see append_only.py).
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samspill.audit import labels
from samspill.audit.append_only import refuse_unless_lifted


class AppendOnlyQuerySet(models.QuerySet[Any]):
    """Refuses bulk changes and deletes of audit rows (append_only.py)."""

    def update(self, **kwargs: Any) -> int:
        refuse_unless_lifted(self.model._meta.db_table)
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        refuse_unless_lifted(self.model._meta.db_table)
        return super().delete()


class AppendOnlyModel(models.Model):
    """A row that is written once (append_only.py)."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            refuse_unless_lifted(self._meta.db_table)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        refuse_unless_lifted(self._meta.db_table)
        return super().delete(*args, **kwargs)


class AuditEvent(AppendOnlyModel):
    """A change of state, written by the service that made it, in the same transaction."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisation"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("participant"),
    )
    action = models.CharField(_("action"), max_length=60)
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object id"), max_length=40)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["participant", "created_at"], name="audit_participant_time")
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}:{self.object_id}"


class AccessLog(AppendOnlyModel):
    """One read of a participant's record: who, whom, when, what and why."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisation"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("who")
    )
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("participant"),
    )
    accessed_at = models.DateTimeField(_("when"), auto_now_add=True)
    what = models.CharField(
        _("what"), max_length=100, help_text=_("The page or API route that was read.")
    )
    why = models.CharField(
        _("why"), max_length=30, help_text=_("The relationship that allowed the read.")
    )

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-accessed_at", "-id"]
        indexes = [
            models.Index(fields=["participant", "-accessed_at"], name="accesslog_participant_time"),
            models.Index(fields=["actor", "-accessed_at"], name="accesslog_actor_time"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_id} → {self.participant_id} ({self.what})"

    def what_label(self) -> str:
        """What was read, in words (audit/labels.py)."""
        return labels.what_label(self.what)

    def why_label(self) -> str:
        """Why it was allowed, in words."""
        return labels.why_label(self.why)
