"""Sparring, peer feedback and supervision groups (issue 20, items 6 and 7), apart from the
rest of the learning models by responsibility; `learning.models` imports them, so Django and
callers find them there as before."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samspill.organisations.models import Organisation

# --- Sparring, peer feedback and supervision (issue 20, item 6) -------------------------------
# A case may name a participant; only those who may read that participant see the name, the
# others the case's pseudonymous reference (sparring_queries.case_label). Reads of another
# person's case or feedback are logged in `StaffRecordRead`.


class SupervisionGroup(models.Model):
    """Colleagues who meet for supervision at a regular interval, led by a facilitator."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="supervision_groups"
    )
    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"), blank=True)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("facilitator"),
    )
    every_weeks = models.PositiveSmallIntegerField(_("meets every (weeks)"), default=4)
    members: "models.ManyToManyField[Any, SupervisionMember]" = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="SupervisionMember",
        related_name="supervision_groups",
        verbose_name=_("members"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)

    class Meta:
        verbose_name = _("supervision group")
        verbose_name_plural = _("supervision groups")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class SupervisionMember(models.Model):
    """A staff member in a supervision group (the facilitator is one too)."""

    group = models.ForeignKey(
        SupervisionGroup, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supervision_memberships"
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("supervision group member")
        verbose_name_plural = _("supervision group members")
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="supervision_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.group_id}"


class SupervisionSession(models.Model):
    """One meeting of a supervision group, planned from its interval, with the group's notes."""

    group = models.ForeignKey(SupervisionGroup, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts"))
    place = models.CharField(_("place or video link"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    notes_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)

    class Meta:
        verbose_name = _("supervision session")
        verbose_name_plural = _("supervision sessions")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["group", "starts_at"], name="supervision_session_when")]

    def __str__(self) -> str:
        return f"{self.group_id} {self.starts_at:%Y-%m-%d}"


class SparringCase(models.Model):
    """A staff member asks a colleague, a platform mentor or a supervision group to think a
    case through with them, in a structured model: the situation, what I tried, where and why
    my belief dropped, what next. A lost belief at a check-in is one kind of case."""

    class Kind(models.TextChoices):
        LOST_BELIEF = "lost_belief", _("Lost belief")
        CASE = "case", _("Case sparring")

    class Audience(models.TextChoices):
        COLLEAGUE = "colleague", _("A colleague")
        PLATFORM_MENTOR = "platform_mentor", _("A platform mentor")
        GROUP = "group", _("A supervision group")

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="sparring_cases"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.CASE)
    audience = models.CharField(
        _("ask"), max_length=16, choices=Audience.choices, default=Audience.COLLEAGUE
    )
    reference = models.CharField(_("case reference"), max_length=12, unique=True)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="sparring_cases",
        verbose_name=_("asked by"),
    )
    asked = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sparring_cases_asked",
        verbose_name=_("asked"),
    )
    group = models.ForeignKey(
        SupervisionGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sparring_cases",
        verbose_name=_("supervision group"),
    )
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sparring_cases",
        verbose_name=_("participant"),
    )
    checkin = models.ForeignKey(
        "followup.BeliefCheckIn",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    situation = models.TextField(_("The situation"))
    tried = models.TextField(_("What I have tried"), blank=True)
    belief_drop = models.TextField(_("Where and why my belief dropped"), blank=True)
    next_steps = models.TextField(_("What I think could come next"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("asked"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    private_note = models.TextField(_("private note"), blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)

    class Meta:
        verbose_name = _("sparring case")
        verbose_name_plural = _("sparring cases")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["asked", "status"], name="sparring_case_asked"),
            models.Index(fields=["asked_by", "status"], name="sparring_case_asked_by"),
            models.Index(fields=["group", "status"], name="sparring_case_group"),
            models.Index(
                fields=["organisation", "kind", "created_at"], name="sparring_case_org_kind"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(audience="group", group__isnull=False, asked__isnull=True)
                    | (
                        ~models.Q(audience="group")
                        & models.Q(group__isnull=True, asked__isnull=False)
                    )
                ),
                name="sparring_case_asks_someone",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class SparringResponse(models.Model):
    """An answer in a sparring case: from the one asked, a group member, or the asker's reply."""

    case = models.ForeignKey(SparringCase, on_delete=models.CASCADE, related_name="responses")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("answer"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("sparring answer")
        verbose_name_plural = _("sparring answers")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"answer {self.pk} in {self.case_id}"


class PeerFeedback(models.Model):
    """A colleague observed the staff member's practice (a conversation, a meeting) and wrote
    short feedback. It belongs to the one observed: they and its author see it, nobody else."""

    class Setting(models.TextChoices):
        CONVERSATION = "conversation", _("A conversation with a participant")
        MEETING = "meeting", _("A meeting with an employer or a tri-party meeting")
        FOLLOW_UP = "follow_up", _("Follow-up at a workplace")
        OTHER = "other", _("Something else")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    observed = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="peer_feedback",
        verbose_name=_("observed"),
    )
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("observer"),
    )
    observed_on = models.DateField(_("observed on"))
    setting = models.CharField(_("what was observed"), max_length=16, choices=Setting.choices)
    went_well = models.TextField(_("What went well"))
    to_try = models.TextField(_("Something to try next time"), blank=True)
    question = models.TextField(_("A question to think about"), blank=True)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    seen_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("peer feedback")
        verbose_name_plural = _("peer feedback")
        ordering = ["-observed_on", "-id"]
        indexes = [
            models.Index(fields=["observed", "-observed_on"], name="peer_feedback_observed"),
            models.Index(fields=["observer", "-observed_on"], name="peer_feedback_observer"),
        ]

    def __str__(self) -> str:
        return f"feedback {self.pk} for {self.observed_id}"
