"""Follow-up that research says works: belief check-ins, sparring requests and reminders.

Belief answers are staff reflection (BIP, DOMAIN.md): the counselor, their team lead and
leaders see them; employers, mentors and the participant never do.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samspill.participants.models import FollowUpPeriod, Participant


class Belief(models.IntegerChoices):
    """Five steps, 5 highest. The numbers are stored and used in the insights (belief 4-5)."""

    YES_CERTAINLY = 5, _("Yes, certainly")
    PROBABLY = 4, _("Probably")
    UNSURE = 3, _("Unsure")
    PROBABLY_NOT = 2, _("Probably not")
    NO = 1, _("No")


class BeliefCheckIn(models.Model):
    """The counselor's belief that the participant will be in work or education within a year,
    optionally their belief that the labour market has room for the participant, and the
    participant's own belief in managing a job, on a date."""

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="belief_checkins",
        db_index=False,  # checkin_participant_date leads with it
        verbose_name=_("participant"),
    )
    period = models.ForeignKey(
        FollowUpPeriod,
        on_delete=models.CASCADE,
        related_name="belief_checkins",
        db_index=False,  # checkin_period_date leads with it
        verbose_name=_("follow-up period"),
    )
    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("counselor"),
    )
    asked_on = models.DateField(_("date"))
    belief = models.PositiveSmallIntegerField(
        _("Do you believe this person will be in work or education within a year?"),
        choices=Belief.choices,
    )
    strengthen = models.TextField(_("What would strengthen my belief?"), blank=True)
    self_belief = models.PositiveSmallIntegerField(
        _("The participant's own belief in managing a job"),
        choices=Belief.choices,
        null=True,
        blank=True,
    )
    # Belief is also belief in the labour market (Væksthuset): an optional second question,
    # shown beside the belief in the job seeker.
    market_belief = models.PositiveSmallIntegerField(
        _("Do you believe the labour market has room for this person?"),
        choices=Belief.choices,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("belief check-in")
        verbose_name_plural = _("belief check-ins")
        ordering = ["-asked_on", "-id"]
        indexes = [
            models.Index(fields=["participant", "-asked_on"], name="checkin_participant_date"),
            models.Index(fields=["period", "-asked_on"], name="checkin_period_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(belief__gte=1, belief__lte=5), name="checkin_belief_range"
            ),
            models.CheckConstraint(
                condition=Q(self_belief__isnull=True) | Q(self_belief__gte=1, self_belief__lte=5),
                name="checkin_self_belief_range",
            ),
            models.CheckConstraint(
                condition=Q(market_belief__isnull=True)
                | Q(market_belief__gte=1, market_belief__lte=5),
                name="checkin_market_belief_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.asked_on}: {self.get_belief_display()}"


class Reminder(models.Model):
    """Something due for a user, created once by the scheduler (idempotent by `key`)."""

    class Kind(models.TextChoices):
        BELIEF_CHECKIN = "belief_checkin", _("Belief check-in due")
        FOLLOW_UP = "follow_up", _("Follow-up due")
        HANDOVER = "handover", _("New participant handed over to you")
        ACTIVITY_OVERDUE = "activity_overdue", _("Activity overdue")
        SPARRING = "sparring", _("Sparring request")
        AGREEMENT_RENEWAL = "agreement_renewal", _("Intention agreement to renew")
        MENTOR_CONTACT = "mentor_contact", _("Contact with a mentor due")
        PLACEMENT_FOLLOW_UP = "placement_follow_up", _("Placement follow-up due")
        STATUS_AFTER = "status_after", _("Status after follow-up to record")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    key = models.CharField(
        max_length=120, help_text="kind:object:due date; makes scheduling idempotent"
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField(_("due"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="reminder_unique_key_per_user")
        ]
        indexes = [models.Index(fields=["emailed_at", "due_on"], name="reminder_unsent")]

    def __str__(self) -> str:
        return self.key


class DigestSent(models.Model):
    """A user's reminder digest of one day, written in the transaction that puts the e-mail in
    the outbox: unique per user and day, so two reminder runs at once send each user one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminder_digests",
        verbose_name=_("user"),
    )
    day = models.DateField(_("day"))
    reminders = models.PositiveIntegerField(_("reminders"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder digest")
        verbose_name_plural = _("reminder digests")
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="digest_once_per_user_and_day")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"
