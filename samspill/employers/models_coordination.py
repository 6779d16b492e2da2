"""The business coordinator's shared arenas (issue 22, item 9; seed 004, the KREM model).

- Fixed coordinator meetings: a recurring series (the weekly meeting of the business
  coordinator, the counselors and NAV), its occurrences with attendance and minutes, and the
  actions agreed there (who, what, by when), carried to the next occurrence until done.
- Events with several employers (a business breakfast): who was invited, who answered and came,
  and which employers moved forward in the pipeline afterwards (read from `EmployerStageChange`,
  the pipeline's own history, written by `services.employer_set_stage`).

Business data of the organisation, seen by its staff who work with participants (the same door
as the employer base, `permissions.employer_scope`). Nothing here names a participant.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samspill.organisations.models import Organisation


class CoordinationQuerySet(models.QuerySet):
    def visible_to(self, user: object) -> "CoordinationQuerySet":
        """The one door: the organisation's staff who use the employer base."""
        from samspill.employers.permissions import coordination_scope

        return self.filter(coordination_scope(user))


class MeetingSeries(models.Model):
    """A fixed meeting that recurs: every `interval_weeks` weeks on `weekday` at `start_time`."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # coord_series_org leads with it
        verbose_name=_("organisation"),
    )
    title = models.CharField(_("title"), max_length=200)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    interval_weeks = models.PositiveSmallIntegerField(
        _("every how many weeks"), default=1, help_text=_("1 for every week, 2 for every other.")
    )
    starts_on = models.DateField(_("first meeting"))
    start_time = models.TimeField(_("time"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_url = models.URLField(_("video link"), blank=True)
    guests = models.CharField(
        _("others who take part"),
        max_length=300,
        blank=True,
        help_text=_("For example the NAV office's contact, by role."),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="coordination_series",
        verbose_name=_("members"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)

    objects = CoordinationQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")
        ordering = ["title", "id"]
        indexes = [
            models.Index(fields=["organisation", "is_active", "title"], name="coord_series_org")
        ]

    def __str__(self) -> str:
        return self.title


class CoordinationMeeting(models.Model):
    """One occurrence of a series: its date, who came and the minutes."""

    series = models.ForeignKey(
        MeetingSeries,
        on_delete=models.CASCADE,
        related_name="meetings",
        db_index=False,  # the unique constraint leads with it
        verbose_name=_("meeting series"),
    )
    held_on = models.DateField(_("date"))
    minutes = models.TextField(_("minutes"), blank=True)
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
        verbose_name = _("coordinator meeting")
        verbose_name_plural = _("coordinator meetings")
        ordering = ["-held_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["series", "held_on"], name="coord_meeting_one_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.series_id}: {self.held_on}"


class MeetingAttendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Sent apologies")

    meeting = models.ForeignKey(
        CoordinationMeeting,
        on_delete=models.CASCADE,
        related_name="attendance",
        db_index=False,  # the unique constraint leads with it
        verbose_name=_("meeting"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("member"),
    )
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="coord_attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.status}"


class MeetingAction(models.Model):
    """An action agreed at a meeting: what, who is responsible, by when; open until done, and
    shown at every later occurrence of the series until then."""

    series = models.ForeignKey(
        MeetingSeries,
        on_delete=models.CASCADE,
        related_name="actions",
        db_index=False,  # coord_action_series leads with it
        verbose_name=_("meeting series"),
    )
    meeting = models.ForeignKey(
        CoordinationMeeting,
        on_delete=models.CASCADE,
        related_name="actions",
        verbose_name=_("agreed at"),
    )
    what = models.CharField(_("what"), max_length=300)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="coordination_actions",
        db_index=False,  # coord_action_responsible leads with it
        verbose_name=_("responsible"),
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    employer = models.ForeignKey(
        "employers.Employer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordination_actions",
        verbose_name=_("employer"),
    )
    done_at = models.DateTimeField(_("done"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)

    class Meta:
        verbose_name = _("agreed action")
        verbose_name_plural = _("agreed actions")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["series", "done_at", "due_on"], name="coord_action_series"),
            models.Index(
                fields=["responsible", "done_at", "due_on"], name="coord_action_responsible"
            ),
        ]

    def __str__(self) -> str:
        return self.what

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class EmployerEvent(models.Model):
    """An event for several employers at once, such as a business breakfast."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # coord_event_org leads with it
        verbose_name=_("organisation"),
    )
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"))
    start_time = models.TimeField(_("time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)

    objects = CoordinationQuerySet.as_manager()

    class Meta:
        verbose_name = _("employer event")
        verbose_name_plural = _("employer events")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["organisation", "held_on"], name="coord_event_org")]

    def __str__(self) -> str:
        return self.title


class EventInvitation(models.Model):
    """An employer invited to an event, through one of its contacts; staff record the answer
    and whether they came."""

    class Response(models.TextChoices):
        WAITING = "waiting", _("No answer yet")
        YES = "yes", _("Coming")
        NO = "no", _("Not coming")

    event = models.ForeignKey(
        EmployerEvent,
        on_delete=models.CASCADE,
        related_name="invitations",
        db_index=False,  # the unique constraint leads with it
        verbose_name=_("event"),
    )
    employer = models.ForeignKey(
        "employers.Employer",
        on_delete=models.CASCADE,
        related_name="event_invitations",
        verbose_name=_("employer"),
    )
    contact = models.ForeignKey(
        "employers.EmployerContact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact"),
    )
    invited_at = models.DateTimeField(_("invited"))
    emailed = models.BooleanField(_("invitation e-mailed"), default=False)
    response = models.CharField(
        _("answer"), max_length=10, choices=Response.choices, default=Response.WAITING
    )
    attended = models.BooleanField(_("came"), null=True, blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["event", "employer"], name="coord_invitation_once")
        ]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.employer_id}"


class EmployerStageChange(models.Model):
    """The pipeline's history: each move of an employer from one stage to another."""

    employer = models.ForeignKey(
        "employers.Employer",
        on_delete=models.CASCADE,
        related_name="stage_changes",
        db_index=False,  # coord_stage_change leads with it
        verbose_name=_("employer"),
    )
    from_stage = models.CharField(_("from"), max_length=24)
    to_stage = models.CharField(_("to"), max_length=24)
    changed_at = models.DateTimeField(_("changed"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["changed_at", "id"]
        indexes = [models.Index(fields=["employer", "changed_at"], name="coord_stage_change")]

    def __str__(self) -> str:
        return f"{self.employer_id}: {self.from_stage} → {self.to_stage}"
