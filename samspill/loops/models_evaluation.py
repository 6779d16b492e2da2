"""The evaluation of a loop at the end of its year (issue 22, item 3): the employers', mentors'
and young people's answers to a short questionnaire, and where each young person went
(evaluation.py). Compared across loops on the comparison page."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samspill.employers.models import EmployerContact
from samspill.participants.models import Outcome, Participant

SCALE = [MinValueValidator(1), MaxValueValidator(5)]


class LoopEvaluation(models.Model):
    """One loop's evaluation: opened by the driver or staff in the loop's last period, answered
    while open, closed with what the loop takes into the next round."""

    loop = models.OneToOneField(
        "loops.Loop", on_delete=models.CASCADE, related_name="evaluation", verbose_name=_("loop")
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("opened by"),
    )
    opened_at = models.DateTimeField(_("opened"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    summary = models.TextField(_("what we take into the next loop"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)

    class Meta:
        verbose_name = _("loop evaluation")
        verbose_name_plural = _("loop evaluations")
        ordering = ["-opened_at", "id"]

    def __str__(self) -> str:
        return f"{self.loop_id}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class EvaluationAnswer(models.Model):
    """One person's answers: an employer contact, a mentor (each for themself) or a young
    person (themself through their own pages, or staff who follow them, with them). Three
    statements on a scale of 1 (not at all) to 5 (very much) and two free texts; the
    statements are worded for each kind of respondent (forms_evaluation.py)."""

    class Respondent(models.TextChoices):
        EMPLOYER = "employer", _("Employer")
        MENTOR = "mentor", _("Mentor")
        YOUTH = "youth", _("Young person")

    evaluation = models.ForeignKey(
        LoopEvaluation,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("evaluation"),
    )
    respondent = models.CharField(_("respondent"), max_length=10, choices=Respondent.choices)
    contact = models.ForeignKey(
        EmployerContact,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="loop_evaluation_answers",
        verbose_name=_("employer contact"),
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="loop_evaluation_answers",
        verbose_name=_("participant"),
    )
    worked = models.PositiveSmallIntegerField(_("the loop worked well"), validators=SCALE)
    supported = models.PositiveSmallIntegerField(_("support"), validators=SCALE)
    again = models.PositiveSmallIntegerField(_("again"), validators=SCALE)
    went_well = models.TextField(_("what went well"), blank=True)
    change = models.TextField(_("what should change"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)

    class Meta:
        verbose_name = _("evaluation answer")
        verbose_name_plural = _("evaluation answers")
        ordering = ["evaluation", "respondent", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contact__isnull=False, participant__isnull=True)
                | Q(contact__isnull=True, participant__isnull=False),
                name="evalanswer_contact_or_participant",
            ),
            models.UniqueConstraint(
                fields=["evaluation", "contact"], name="evalanswer_once_per_contact"
            ),
            models.UniqueConstraint(
                fields=["evaluation", "participant"], name="evalanswer_once_per_participant"
            ),
            models.CheckConstraint(
                condition=Q(worked__gte=1, worked__lte=5)
                & Q(supported__gte=1, supported__lte=5)
                & Q(again__gte=1, again__lte=5),
                name="evalanswer_scales_1_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation_id}: {self.get_respondent_display()}"


class EvaluationOutcome(models.Model):
    """Where a young person of the loop went, recorded in the evaluation when the follow-up
    has no outcome for them since the loop started (a recorded period outcome wins)."""

    evaluation = models.ForeignKey(
        LoopEvaluation,
        on_delete=models.CASCADE,
        related_name="outcomes",
        verbose_name=_("evaluation"),
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="loop_evaluation_outcomes",
        verbose_name=_("participant"),
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)

    class Meta:
        verbose_name = _("outcome in the evaluation")
        verbose_name_plural = _("outcomes in the evaluation")
        ordering = ["evaluation", "participant"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "participant"], name="evaloutcome_once_per_participant"
            )
        ]

    def __str__(self) -> str:
        return f"{self.evaluation_id}: {self.outcome}"
