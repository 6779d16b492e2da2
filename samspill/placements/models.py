"""Placements: a participant at an employer, with a mentor, for a while, on a tri-party
agreement ("bestilling") between participant, employer and us.

The agreement's working content lives on `Placement`; `revision` guards it against lost
updates (optimistic locking). When all three parties have approved, the content is locked and
snapshotted as `AgreementVersion` number 1; every later change makes the next numbered version
with a reason. The status is derived (see `status`), never typed in. The rules per kind are in
`rules.py`.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samspill.employers.models import Employer, EmployerContact
from samspill.organisations.models import Organisation
from samspill.participants.models import Outcome, Participant


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    READY = "ready", _("Ready to start")
    RUNNING = "running", _("Running")
    ENDED = "ended", _("Ended")
    CANCELLED = "cancelled", _("Cancelled")


class GoalCategory(models.TextChoices):
    JOB_HERE = "job_here", _("Get a job at this employer")
    EXPERIENCE = "experience", _("Work experience")
    TRY_TRADE = "try_trade", _("Try out a trade")
    LANGUAGE = "language", _("Language training")
    CERTIFICATE = "certificate", _("Trade or competence certificate")
    OTHER = "other", _("Other")


class Attendance(models.Model):
    """Who took part in a meeting: the four parties of a placement."""

    participant_present = models.BooleanField(_("participant"), default=False)
    mentor_present = models.BooleanField(_("mentor"), default=False)
    employer_present = models.BooleanField(_("employer"), default=False)
    counselor_present = models.BooleanField(_("counselor"), default=False)

    class Meta:
        abstract = True

    def present(self) -> list[str]:
        return [
            str(field.verbose_name)
            for field in Attendance._meta.get_fields()
            if isinstance(field, models.BooleanField) and getattr(self, field.name)
        ]


class Placement(models.Model):
    """A participant placed with an employer, and the agreement that says how.

    `organisation` is the participant's, denormalised so that a leader's list (every placement
    of the organisation) is read from an index of the organisation's placements instead of
    being matched against every participant of the organisation (bench/README.md, placement
    pages). It is set when the placement is made (`services.placement_create`, the interchange
    import) and a participant never changes organisation.
    """

    class Kind(models.TextChoices):
        WORK_TRAINING = "work_training", _("Work training")
        TEMPORARY_WAGE_SUBSIDY = "temporary_wage_subsidy", _("Temporary wage subsidy")
        PERMANENT_WAGE_SUBSIDY = "permanent_wage_subsidy", _("Permanent wage subsidy")
        APPRENTICESHIP = "apprenticeship", _("Apprenticeship")
        SUMMER_JOB = "summer_job", _("Summer job")
        MENTOR_SUPPORT = "mentor_support", _("Mentor support")
        ORDINARY_JOB = "ordinary_job", _("Ordinary job")
        # Danish kinds, offered to Danish organisations (rules.KINDS_BY_COUNTRY).
        COMPANY_INTERNSHIP = "dk_company_internship", _("Company internship (virksomhedspraktik)")
        DK_WAGE_SUBSIDY = "dk_wage_subsidy", _("Wage subsidy (løntilskud)")

    class CancelReason(models.TextChoices):
        GOT_JOB = "got_job", _("Got a job")
        OTHER_MEASURE = "other_measure", _("Other measure")
        ILL = "ill", _("Ill")
        NO_SHOW = "no_show", _("Did not show up")
        REGISTRATION_ERROR = "registration_error", _("Registration error")
        OTHER = "other", _("Other")

    # Where the participant went after the placement, in the one vocabulary.
    Outcome = Outcome

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="placements",
        db_index=False,  # placement_participant leads with it
        verbose_name=_("participant"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        db_index=False,  # placement_organisation_start leads with it
        verbose_name=_("organisation"),
    )
    employer = models.ForeignKey(
        Employer,
        on_delete=models.PROTECT,
        related_name="placements",
        db_index=False,  # placement_employer leads with it
        verbose_name=_("employer"),
    )
    mentor = models.ForeignKey(
        EmployerContact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentored_placements",
        db_index=False,  # placement_mentor leads with it
        verbose_name=_("mentor"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)

    # The agreement: the job.
    title = models.CharField(_("job title"), max_length=200)
    tasks = models.TextField(_("tasks"), blank=True)
    hours_per_week = models.DecimalField(
        _("hours per week"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    work_days = models.CharField(
        _("days"), max_length=100, blank=True, help_text=_("For example Monday to Thursday.")
    )
    work_place = models.CharField(_("place of work"), max_length=200, blank=True)
    # Duration.
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)
    start_reason = models.TextField(
        _("why the start is back-dated"),
        blank=True,
        help_text=_("Needed when the start is more than 7 days ago."),
    )
    extension_reason = models.TextField(
        _("why it is longer than usual"),
        blank=True,
        help_text=_("Needed when the duration goes beyond the usual maximum for the kind."),
    )
    wage_subsidy_percent = models.PositiveSmallIntegerField(
        _("wage subsidy (%)"), null=True, blank=True
    )
    # Goals: [{"category": GoalCategory, "text": str}, ...]
    goals = models.JSONField(_("goals"), default=list, blank=True)
    # Expectations, both ways and of us.
    employer_expects = models.TextField(
        _("what the employer expects of the participant"), blank=True
    )
    participant_expects = models.TextField(
        _("what the participant expects of the employer"), blank=True
    )
    we_offer = models.TextField(_("what the employer can expect of us"), blank=True)
    accommodations = models.TextField(
        _("accommodations"),
        blank=True,
        help_text=_("Only what the participant has agreed to share with the workplace."),
    )
    if_something_happens = models.TextField(_("if something happens"), blank=True)
    call_whom = models.CharField(_("whom to call"), max_length=200, blank=True)

    # State of the agreement (status is derived from these and today's date).
    revision = models.PositiveIntegerField(
        default=1, editable=False, help_text="Optimistic lock: bumped by every content change."
    )
    agreement_number = models.PositiveSmallIntegerField(
        _("agreement version"), default=0, editable=False
    )
    # Sending for approval is an act of its own: a complete draft stays a draft until then.
    sent_for_approval_at = models.DateTimeField(
        _("sent for approval"), null=True, blank=True, editable=False
    )
    locked_at = models.DateTimeField(_("approved by all"), null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True, editable=False)
    cancel_reason = models.CharField(
        _("reason for cancelling"), max_length=20, choices=CancelReason.choices, blank=True
    )
    cancel_note = models.TextField(_("about the cancellation"), blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True, editable=False)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_placements",
        verbose_name=_("previous placement"),
    )
    follow_up_until = models.DateField(_("follow-up until"), null=True, blank=True)
    follow_up_unlimited = models.BooleanField(_("follow-up without a time limit"), default=False)
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
            # Lists of many participants' placements, newest start first, walk this and stop
            # at their page instead of sorting every placement of the organisation.
            models.Index(fields=["start_date", "id"], name="placement_start"),
            # The same for a leader's list, which is the organisation's: its count reads this
            # index's entries for the organisation alone.
            models.Index(
                fields=["organisation", "start_date", "id"], name="placement_organisation_start"
            ),
            models.Index(fields=["employer", "start_date"], name="placement_employer"),
            models.Index(fields=["mentor", "start_date"], name="placement_mentor"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.employer})"

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    def missing_for_approval(self) -> list[str]:
        """The agreement fields still empty; approvals wait until there are none."""
        required = [
            "title",
            "tasks",
            "hours_per_week",
            "employer_expects",
            "participant_expects",
            "we_offer",
            "if_something_happens",
            "call_whom",
        ]
        missing = [
            str(getattr(self._meta.get_field(name), "verbose_name", name))
            for name in required
            if getattr(self, name) in (None, "")
        ]
        if not self.goals:
            missing.insert(0, str(_("goals")))
        if self.mentor_id is None:
            missing.append(str(_("mentor")))
        return missing

    def status_on(self, today: datetime.date) -> str:
        if self.cancelled_at is not None:
            return Status.CANCELLED
        if self.locked_at is None:
            if self.sent_for_approval_at is not None and not self.missing_for_approval():
                return Status.AWAITING_APPROVAL
            return Status.DRAFT
        if self.ended_at is not None or (self.end_date is not None and self.end_date < today):
            return Status.ENDED
        if self.start_date > today:
            return Status.READY
        return Status.RUNNING

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    def get_status_display(self) -> str:
        return str(Status(self.status).label)


class ExpectationMeeting(Attendance):
    """The meeting before start where the parties agree on what to expect."""

    placement = models.OneToOneField(
        Placement,
        on_delete=models.CASCADE,
        related_name="expectation_meeting",
        verbose_name=_("placement"),
    )
    held_on = models.DateField(_("date"))
    others_present = models.CharField(_("others present"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("expectation meeting")
        verbose_name_plural = _("expectation meetings")

    def __str__(self) -> str:
        return f"{self.placement} {self.held_on}"


class Party(models.TextChoices):
    PARTICIPANT = "participant", _("Participant")
    EMPLOYER = "employer", _("Employer")
    COUNSELOR = "counselor", _("Counselor")


class AgreementApproval(models.Model):
    """One party's approval of the agreement's content at a given revision. A change of the
    content deletes the approvals (the audit log keeps who had approved)."""

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="approvals", verbose_name=_("placement")
    )
    party = models.CharField(_("party"), max_length=20, choices=Party.choices)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("approved by"),
    )
    on_behalf_reason = models.TextField(_("why approved on the participant's behalf"), blank=True)
    revision = models.PositiveIntegerField()
    approved_at = models.DateTimeField(_("approved"), auto_now_add=True)

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        constraints = [
            models.UniqueConstraint(fields=["placement", "party"], name="approval_one_per_party")
        ]

    def __str__(self) -> str:
        return f"{self.placement_id} {self.party}"


class AgreementVersion(models.Model):
    """A locked agreement's content as it was: number 1 when all approved, then one per change."""

    class Change(models.TextChoices):
        APPROVED = "approved", _("Approved by all")
        EXTENDED = "extended", _("Extended")
        SHORTENED = "shortened", _("Shortened")
        CONTENT = "content", _("Content changed")

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="versions", verbose_name=_("placement")
    )
    number = models.PositiveSmallIntegerField(_("version"))
    change = models.CharField(_("change"), max_length=20, choices=Change.choices)
    reason = models.TextField(_("reason"), blank=True)
    content = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("agreement version")
        verbose_name_plural = _("agreement versions")
        ordering = ["placement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "number"], name="version_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.placement_id} v{self.number}"


class FollowUp(Attendance):
    """A follow-up of a placement: scheduled (`due_on`) when the agreement is approved, logged
    (`held_on`) when it took place. An unscheduled follow-up has no `due_on`."""

    class Going(models.TextChoices):
        WELL = "well", _("Going well")
        MIXED = "mixed", _("Some difficulties")
        BADLY = "badly", _("Not going well")

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("placement")
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    held_on = models.DateField(_("held"), null=True, blank=True)
    going = models.CharField(_("how it is going"), max_length=10, choices=Going.choices, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    next_steps = models.TextField(_("agreed next steps"), blank=True)
    challenges = models.JSONField(_("challenges"), default=list, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    logged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["placement", "due_on", "held_on", "id"]
        indexes = [
            models.Index(fields=["placement", "held_on", "due_on"], name="followup_placement_due"),
        ]

    def __str__(self) -> str:
        return f"{self.placement_id} {self.due_on or self.held_on}"

    def overdue_on(self, today: datetime.date) -> bool:
        return self.held_on is None and self.due_on is not None and self.due_on < today


class Evaluation(models.Model):
    """The mid-way or final evaluation, written by counselor and mentor with the participant.
    The participant can read it."""

    class Kind(models.TextChoices):
        MIDWAY = "midway", _("Mid-way evaluation")
        FINAL = "final", _("Final evaluation")

    class Scale(models.TextChoices):
        VERY_GOOD = "very_good", _("Very good")
        GOOD = "good", _("Good")
        VARIABLE = "variable", _("Variable")
        POOR = "poor", _("Needs work")

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="evaluations", verbose_name=_("placement")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    held_on = models.DateField(_("date"))
    tasks_mastered = models.TextField(_("tasks mastered"))
    attendance = models.CharField(_("attendance"), max_length=10, choices=Scale.choices)
    cooperation = models.CharField(_("cooperation"), max_length=10, choices=Scale.choices)
    what_worked = models.TextField(_("what worked"), blank=True)
    what_was_hard = models.TextField(_("what was hard"), blank=True)
    next_step = models.TextField(_("what it means for the next step"), blank=True)
    with_mentor = models.BooleanField(_("written with the mentor"), default=True)
    with_participant = models.BooleanField(_("written with the participant"), default=True)
    # The social side (seed 002), beside the work side above.
    functions_socially = models.CharField(
        _("functions socially"), max_length=10, choices=Scale.choices, blank=True
    )
    feels_recognised = models.CharField(
        _("feels recognised"), max_length=10, choices=Scale.choices, blank=True
    )
    enjoys_work = models.CharField(
        _("enjoys the work"), max_length=10, choices=Scale.choices, blank=True
    )
    challenges = models.JSONField(_("challenges"), default=list, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["placement", "held_on"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "kind"], name="evaluation_one_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.placement_id} {self.kind}"


class Certificate(models.Model):
    """The certificate (attest): drafted by the counselor from the final evaluation, approved
    by the employer contact, then issued; the participant downloads it as PDF. The text is
    frozen here so a later change of the placement does not rewrite an issued certificate."""

    class Language(models.TextChoices):
        NORWEGIAN = "nb", _("Norwegian")
        DANISH = "da", _("Danish")

    placement = models.OneToOneField(
        Placement, on_delete=models.CASCADE, related_name="certificate", verbose_name=_("placement")
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    tasks = models.TextField(_("tasks"))
    assessment = models.TextField(_("assessment"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    returned_comment = models.TextField(_("the employer's comment"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return f"{self.placement_id} {self.language}"

    @property
    def is_issued(self) -> bool:
        return self.issued_at is not None


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


from samspill.placements.kinds_models import MeasureText  # noqa: E402, F401  (issue 22)

# The mentor side (seed 002) lives in its own module; exported here.
from samspill.placements.mentor_models import EMPLOYER_VISIBLE as EMPLOYER_VISIBLE  # noqa: E402
from samspill.placements.mentor_models import Challenge as Challenge  # noqa: E402
from samspill.placements.mentor_models import MentorArrangement as MentorArrangement  # noqa: E402
from samspill.placements.mentor_models import MentorMonth as MentorMonth  # noqa: E402
