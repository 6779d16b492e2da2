"""Data protection: what stops an erasure (legal holds), how long data is kept (retention
rules), and what is left of a person after erasure (the tombstone)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class LegalHold(models.Model):
    """Keeps a participant's record as it is (a complaint, a court case, an inspection):
    neither erasure nor the retention job touches it until the hold is lifted."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("participant"),
    )
    reason = models.CharField(_("reason"), max_length=300)
    placed_at = models.DateTimeField(_("placed"))
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("placed by"),
    )
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lifted by"),
    )

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        ordering = ["-placed_at", "-id"]
        indexes = [
            models.Index(
                fields=["participant"],
                condition=Q(lifted_at__isnull=True),
                name="legalhold_open_participant",
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant_id}: {self.reason}"


class RetentionRule(models.Model):
    """How long one category of data is kept in one organisation."""

    class Category(models.TextChoices):
        CASE_RECORDS = "case_records", _("Case records, after the last follow-up period ended")
        ACCESS_LOG = "access_log", _("Access log entries")
        REFERRALS_NOT_TAKEN_ON = "referrals_not_taken_on", _("Referrals not taken on")

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisation"),
    )
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    months = models.PositiveIntegerField(
        _("kept for (months)"), help_text=_("12 months a year: 10 years is 120.")
    )
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)

    class Meta:
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")
        ordering = ["organisation", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "category"], name="retention_one_rule_per_category"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.months}"


class Erasure(models.Model):
    """The tombstone of an erased person: their internal number, the dates that statistics
    need, why, by whom, and how many rows of each table were anonymised. Nothing in it names
    the person."""

    class Trigger(models.TextChoices):
        REQUEST = "request", _("On request")
        RETENTION = "retention", _("Retention rule")

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    # A plain number, not a key: the record it names is anonymised, and may later be removed.
    participant_id = models.BigIntegerField(_("participant number"), db_index=True)
    record_created_at = models.DateTimeField(_("record created"), null=True, blank=True)
    first_period_start = models.DateField(_("first follow-up started"), null=True, blank=True)
    last_period_end = models.DateField(_("last follow-up ended"), null=True, blank=True)
    erased_at = models.DateTimeField(_("erased"))
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("erased by"),
        help_text=_("Empty when erased from the command line or by the retention job."),
    )
    trigger = models.CharField(_("why"), max_length=20, choices=Trigger.choices)
    reason = models.CharField(_("reason"), max_length=300)
    forced = models.BooleanField(
        _("forced"),
        default=False,
        help_text=_("Erased although a follow-up period was open or a legal hold existed."),
    )
    counts = models.JSONField(_("rows anonymised, by table"), default=dict)

    class Meta:
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")
        ordering = ["-erased_at", "-id"]

    def __str__(self) -> str:
        return f"{self.participant_id} ({self.erased_at:%Y-%m-%d})"
