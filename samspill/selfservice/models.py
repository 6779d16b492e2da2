"""What the participant writes on their own pages, and the organisation's choices for them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samspill.organisations.models import Organisation
from samspill.participants.models import Participant


class Message(models.Model):
    """One entry of the dialog between a participant and their counselor: a message, or what the
    participant did to their plan (a comment on an activity, an activity marked done or
    proposed), which the counselor reads in the same thread."""

    class Kind(models.TextChoices):
        MESSAGE = "message", _("Message")
        COMMENT = "comment", _("Comment on an activity")
        DONE = "done", _("Activity marked done")
        PROPOSAL = "proposal", _("Activity proposed")

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # selfservice_msg_thread leads with it
        verbose_name=_("participant"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    from_participant = models.BooleanField(_("from the participant"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.MESSAGE)
    activity = models.ForeignKey(
        "plans.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("activity"),
    )
    text = models.TextField(_("message"), max_length=5000, blank=True)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["participant", "created_at"], name="selfservice_msg_thread"),
            # The counselor's unread list on Today: few rows are unread.
            models.Index(
                fields=["participant", "from_participant"],
                condition=models.Q(read_at__isnull=True),
                name="selfservice_msg_unread",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d}"


class PortalSettings(models.Model):
    """An organisation's choices for its participants' own pages."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisation"),
    )
    hide_staff_names = models.BooleanField(
        _("hide staff names in the participant's access log"),
        default=False,
        help_text=_(
            "The participant still sees every read of their record, with the reader's role, "
            "organisation, date and reason; only the name is left out."
        ),
    )
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)

    class Meta:
        verbose_name = _("participant page settings")
        verbose_name_plural = _("participant page settings")

    def __str__(self) -> str:
        return str(self.organisation_id)


class CV(models.Model):
    """The participant's CV, in their own words; downloaded as PDF. A link to a film is enough
    for one on video (employers judge from meeting people, not from paper)."""

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="+", verbose_name=_("participant")
    )
    summary = models.TextField(_("about me"), blank=True, max_length=2000)
    experience = models.TextField(
        _("work experience"), blank=True, max_length=5000, help_text=_("One job or task a line.")
    )
    education = models.TextField(_("education and courses"), blank=True, max_length=3000)
    skills = models.TextField(_("skills"), blank=True, max_length=2000)
    languages = models.CharField(_("languages"), blank=True, max_length=300)
    film_url = models.URLField(
        _("link to a film about me"), blank=True, help_text=_("For example a video on YouTube.")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)

    class Meta:
        verbose_name = _("CV")
        verbose_name_plural = _("CVs")

    def __str__(self) -> str:
        return str(self.participant_id)


class Feedback(models.Model):
    """One participant's answers to the short, optional questionnaire about how they are
    followed up, once a half-year. Leaders see counts only, small ones hidden
    (core/smallcells.py); nobody is shown who answered what."""

    class Answer(models.IntegerChoices):
        DISAGREE = 1, _("Disagree")
        PARTLY_DISAGREE = 2, _("Partly disagree")
        NEUTRAL = 3, _("Neither")
        PARTLY_AGREE = 4, _("Partly agree")
        AGREE = 5, _("Agree")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="+", verbose_name=_("participant")
    )
    round = models.CharField(_("round"), max_length=7, help_text=_("The half-year: 2026-H2."))
    listened = models.PositiveSmallIntegerField(
        _("My counselor listens to me."), choices=Answer.choices
    )
    reachable = models.PositiveSmallIntegerField(
        _("I can reach my counselor when I need to."), choices=Answer.choices
    )
    helps = models.PositiveSmallIntegerField(
        _("The follow-up helps me towards work or education."), choices=Answer.choices
    )
    created_at = models.DateTimeField(_("answered"), auto_now_add=True)

    QUESTIONS = ("listened", "reachable", "helps")

    class Meta:
        verbose_name = _("service feedback")
        verbose_name_plural = _("service feedback")
        constraints = [
            models.UniqueConstraint(fields=["participant", "round"], name="feedback_once_a_round")
        ]
        indexes = [models.Index(fields=["organisation", "round"], name="feedback_org_round")]

    def __str__(self) -> str:
        return self.round
