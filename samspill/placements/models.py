"""Placements: a participant at an employer, with a mentor, for a while.

This is the ground the employer portal stands on (who is placed where, with which mentor). The
tri-party agreement, approvals, versions, follow-up schedule, evaluation and certificate build
on `Placement` in the Placements issue.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samspill.employers.models import Employer, EmployerContact
from samspill.participants.models import Participant


class Placement(models.Model):
    """A participant placed with an employer."""

    class Kind(models.TextChoices):
        WORK_TRAINING = "work_training", _("Work training")
        TEMPORARY_WAGE_SUBSIDY = "temporary_wage_subsidy", _("Temporary wage subsidy")
        PERMANENT_WAGE_SUBSIDY = "permanent_wage_subsidy", _("Permanent wage subsidy")
        APPRENTICESHIP = "apprenticeship", _("Apprenticeship")
        SUMMER_JOB = "summer_job", _("Summer job")
        MENTOR_SUPPORT = "mentor_support", _("Mentor support")
        ORDINARY_JOB = "ordinary_job", _("Ordinary job")

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="placements",
        verbose_name=_("participant"),
    )
    employer = models.ForeignKey(
        Employer,
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("employer"),
    )
    mentor = models.ForeignKey(
        EmployerContact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentored_placements",
        verbose_name=_("mentor"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("job title"), max_length=200)
    tasks = models.TextField(_("tasks"), blank=True)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)
    next_follow_up_on = models.DateField(_("next follow-up"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    external_key = models.CharField(_("external key"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-start_date", "-id"]
        indexes = [
            models.Index(fields=["participant", "start_date"], name="placement_participant"),
            models.Index(fields=["employer", "start_date"], name="placement_employer"),
            models.Index(fields=["mentor", "start_date"], name="placement_mentor"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.employer})"


class MentorNote(models.Model):
    """A note written by the mentor or employer contact in the portal; the counselor reads it."""

    placement = models.ForeignKey(
        Placement,
        on_delete=models.CASCADE,
        related_name="mentor_notes",
        verbose_name=_("placement"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("written by"),
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("mentor note")
        verbose_name_plural = _("mentor notes")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["placement", "created_at"], name="mentor_note_placement")]

    def __str__(self) -> str:
        return f"{self.placement} {self.created_at:%Y-%m-%d}"


class Concern(models.Model):
    """ "Something is not going well": flagged from the workplace, reaches the counselor and the
    employer's contact person at once; closed by staff when handled."""

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="concerns", verbose_name=_("placement")
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("raised by"),
    )
    text = models.TextField(_("what is not going well"))
    created_at = models.DateTimeField(_("raised"), auto_now_add=True)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )

    class Meta:
        verbose_name = _("concern")
        verbose_name_plural = _("concerns")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["placement", "handled_at"], name="concern_placement_open"),
        ]

    def __str__(self) -> str:
        return f"{self.placement} {self.created_at:%Y-%m-%d}"
