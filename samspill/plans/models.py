"""The participant's plan (goals and activities) and the notes that make up the timeline."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samspill.participants.models import FollowUpPeriod, Participant


class Goal(models.Model):
    """Something the participant wants to reach, in their own words where possible."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        REACHED = "reached", _("Reached")
        DROPPED = "dropped", _("Dropped")

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="goals", verbose_name=_("participant")
    )
    period = models.ForeignKey(
        FollowUpPeriod,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="goals",
        verbose_name=_("follow-up period"),
    )
    title = models.CharField(_("goal"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["status", "target_date", "id"]
        indexes = [models.Index(fields=["participant", "status"], name="goal_participant_status")]

    def __str__(self) -> str:
        return self.title


class Activity(models.Model):
    """A step in the plan: something to do, with a kind, a date and a status."""

    class Kind(models.TextChoices):
        JOB_SEARCH = "job_search", _("Job search")
        WORK_TRAINING = "work_training", _("Work training")
        EDUCATION = "education", _("Education")
        HEALTH = "health", _("Health")
        MEETING = "meeting", _("Meeting")
        OWN_ACTIVITY = "own_activity", _("Own activity")
        EMPLOYER_CONTACT = "employer_contact", _("Employer contact")
        FOLLOW_UP = "follow_up", _("Follow-up")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATUSES = (Status.PLANNED, Status.IN_PROGRESS)

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="activities",
        db_index=False,  # activity_participant_date leads with it
        verbose_name=_("participant"),
    )
    period = models.ForeignKey(
        FollowUpPeriod,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("follow-up period"),
    )
    goal = models.ForeignKey(
        Goal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("goal"),
    )
    employer = models.ForeignKey(
        "employers.Employer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("employer"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("activity"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    due_date = models.DateField(_("date"), help_text=_("When it starts or is due."))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-due_date", "-id"]
        indexes = [
            models.Index(fields=["participant", "-due_date"], name="activity_participant_date"),
            # The overdue sweep (followup.reminders): only open activities (OPEN_STATUSES, which
            # Meta cannot see), a small part of the millions that are done. Spelt as OR, not
            # IN: PostgreSQL prints that back as it reads it, so bulk.py builds it the same.
            models.Index(
                fields=["due_date"],
                condition=models.Q(status="planned") | models.Q(status="in_progress"),
                name="activity_open_due",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def open_q(cls) -> models.Q:
        """Open activities, spelt as activity_open_due's condition is: SQLite uses a partial
        index only for a query that repeats its condition word for word (not as IN)."""
        return models.Q(status=cls.Status.PLANNED) | models.Q(status=cls.Status.IN_PROGRESS)


class Note(models.Model):
    """A dated note from a conversation, call or meeting. Notes are never shared outside staff."""

    class Kind(models.TextChoices):
        CONVERSATION = "conversation", _("Conversation")
        PHONE = "phone", _("Phone call")
        MEETING = "meeting", _("Meeting")
        OTHER = "other", _("Other")

    # Kinds that count as contact with the participant for "no contact for N days".
    CONTACT_KINDS = (Kind.CONVERSATION, Kind.PHONE, Kind.MEETING)

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="notes", verbose_name=_("participant")
    )
    period = models.ForeignKey(
        FollowUpPeriod,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notes",
        verbose_name=_("follow-up period"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    kind = models.CharField(
        _("type"), max_length=20, choices=Kind.choices, default=Kind.CONVERSATION
    )
    occurred_on = models.DateField(_("date"))
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-occurred_on", "-id"]
        indexes = [
            models.Index(fields=["participant", "-occurred_on"], name="note_participant_date")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on}"
