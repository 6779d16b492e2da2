"""Group workshops run by the organisation, such as "Skjulte Talenter": a few sessions where
the participants find out what they dream of, who they are, what they can and what they want
to learn, and which end in a strengths profile and a CV (on paper and on film).

The strengths profile is the participant's own (participants.Participant) and the CV is the
self-service one (selfservice.CV): the workshop writes both through their services."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samspill.organisations.models import Organisation
from samspill.participants.models import Participant


class Workshop(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # workshop_org_start leads with it
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("facilitator"),
        help_text=_("Who runs the workshop and sees all of its participants."),
    )
    starts_on = models.DateField(_("starts"))
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Guards an edit against a colleague's save in between (core/revisions.py).
    revision = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["organisation", "starts_on"], name="workshop_org_start")]

    def __str__(self) -> str:
        return self.name


class WorkshopSession(models.Model):
    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("workshop")
    )
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("facilitator"),
    )
    topic = models.CharField(_("topic"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("workshop session")
        verbose_name_plural = _("workshop sessions")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.workshop_id}: {self.date}"


class Enrolment(models.Model):
    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("workshop")
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="workshop_enrolments",
        verbose_name=_("participant"),
    )
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("enrolled by"),
    )
    enrolled_at = models.DateTimeField(_("enrolled"), auto_now_add=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "participant"], name="enrolment_once_per_workshop"
            )
        ]

    def __str__(self) -> str:
        return f"{self.workshop_id}: {self.participant_id}"


class Attendance(models.Model):
    session = models.ForeignKey(
        WorkshopSession,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("session"),
    )
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("enrolment")
    )
    present = models.BooleanField(_("present"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrolment"], name="attendance_once_per_session"
            )
        ]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.enrolment_id}: {self.present}"
