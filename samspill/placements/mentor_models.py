"""The mentor side of a placement (seed 002): how the mentor was chosen with the employer,
the time and compensation set aside for the mentor, the leader who backs the mentor, and the
hours the mentor actually spent each month. Also the fixed set of challenges a follow-up or
an evaluation can name.

Imported at the end of placements/models.py so that `placements.models` exports them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samspill.employers.models import EmployerContact


class Challenge(models.TextChoices):
    """What a follow-up or evaluation says the participant struggles with. Mental health is a
    health detail: staff see it, the employer portal never does (`EMPLOYER_VISIBLE`)."""

    LANGUAGE = "language", _("Language")
    SOCIAL = "social", _("Social skills")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    PRACTICAL = "practical", _("Practical")
    OTHER = "other", _("Other")


EMPLOYER_VISIBLE = frozenset(Challenge.values) - {Challenge.MENTAL_HEALTH}


class MentorArrangement(models.Model):
    """The mentor part of the agreement: chosen with the employer, the time set aside and who
    pays for it, and the leader at the employer who backs the mentor. Guarded by `revision`."""

    class Compensation(models.TextChoices):
        NONE = "none", _("No compensation")
        MENTOR_GRANT = "mentor_grant", _("NAV's mentor grant")
        EMPLOYER = "employer", _("Paid by the employer")
        OTHER = "other", _("Other")

    placement = models.OneToOneField(
        "placements.Placement",
        on_delete=models.CASCADE,
        related_name="mentor_arrangement",
        verbose_name=_("placement"),
    )
    chosen_with_employer = models.BooleanField(_("chosen together with the employer"))
    chosen_on = models.DateField(_("mentor chosen on"))
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    why = models.TextField(_("why this mentor"), blank=True)
    hours_per_week = models.DecimalField(
        _("mentor hours per week"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    compensation = models.CharField(
        _("compensation"), max_length=20, choices=Compensation.choices, default=Compensation.NONE
    )
    rate = models.CharField(
        _("amount or rate"),
        max_length=200,
        blank=True,
        help_text=_("For example NOK 2,000 a month."),
    )
    paid_by = models.CharField(_("paid by"), max_length=200, blank=True)
    leader = models.ForeignKey(
        EmployerContact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("leader who backs the mentor"),
    )
    revision = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mentor arrangement")
        verbose_name_plural = _("mentor arrangements")

    def __str__(self) -> str:
        return f"{self.placement_id} mentor"


class MentorMonth(models.Model):
    """The hours the mentor actually spent in one month; one per placement and month
    (`month` is the first day of the month). Guarded by `revision`."""

    placement = models.ForeignKey(
        "placements.Placement",
        on_delete=models.CASCADE,
        related_name="mentor_months",
        verbose_name=_("placement"),
    )
    month = models.DateField(_("month"))
    hours = models.DecimalField(_("hours spent"), max_digits=5, decimal_places=1)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    revision = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mentor month")
        verbose_name_plural = _("mentor months")
        ordering = ["placement", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "month"], name="mentor_month_one")
        ]

    def __str__(self) -> str:
        return f"{self.placement_id} {self.month:%Y-%m}"
