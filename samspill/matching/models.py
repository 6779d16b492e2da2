"""What people did with a suggestion: proposed the person, started a placement draft, or passed
it over with a reason. The factors and scores at the time are kept, so the organisation can
later see which signals led to placements and jobs (queries.hit_rates)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Proposal(models.Model):
    """One decision a person made about one suggestion (participant x open need)."""

    class Action(models.TextChoices):
        PROPOSED = "proposed", _("Proposed to the coordinator")
        DRAFTED = "drafted", _("Placement draft started")
        PASSED = "passed", _("Passed over")

    class Response(models.TextChoices):
        """The employer contact's answer to a presented candidate."""

        NONE = "", _("No answer yet")
        MEET = "meet", _("Wants to meet")
        NOT_NOW = "not_now", _("Not now")

    class Outcome(models.TextChoices):
        NONE = "", _("Nothing yet")
        MEETING = "meeting", _("Meeting with the employer")
        PLACEMENT = "placement", _("Placement")
        JOB = "job", _("Job")
        DECLINED = "declined", _("Did not go ahead")

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        related_name="match_proposals",
        verbose_name=_("participant"),
    )
    need = models.ForeignKey(
        "employers.RecruitmentNeed",
        on_delete=models.CASCADE,
        related_name="proposals",
        verbose_name=_("recruitment need"),
    )
    employer = models.ForeignKey(
        "employers.Employer", on_delete=models.CASCADE, related_name="+", verbose_name=_("employer")
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    reason = models.TextField(_("reason"), blank=True)
    score = models.FloatField(_("score"))
    # factor key -> score (0..1) at the time of the decision
    factors = models.JSONField(_("factors"), default=dict)
    placement = models.ForeignKey(
        "placements.Placement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("placement"),
    )
    outcome = models.CharField(
        _("what it led to"), max_length=20, choices=Outcome.choices, blank=True
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    # The employer side (services.proposal_present / proposal_respond): the coordinator
    # presents a proposed person to one employer contact, who answers in the portal.
    presented_to = models.ForeignKey(
        "employers.EmployerContact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("presented to"),
    )
    presented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("presented by"),
    )
    presented_at = models.DateTimeField(_("presented"), null=True, blank=True)
    response = models.CharField(
        _("the employer's answer"), max_length=20, choices=Response.choices, blank=True
    )
    response_reason = models.TextField(_("the employer's reason"), blank=True)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revision = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("matching proposal")
        verbose_name_plural = _("matching proposals")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "action"], name="proposal_org_action"),
            models.Index(fields=["need", "participant"], name="proposal_need_person"),
            models.Index(fields=["presented_to", "presented_at"], name="proposal_contact"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} → {self.need_id} ({self.action})"
