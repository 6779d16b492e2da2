"""jobbLOOP: loops of employers and young people who rotate between them (issue 6).

A loop has k employers (2 to 6, 3 by default), each a column of its rotation square, and k
seats, each a row. The square (`Loop.square`) says which employer each seat visits in each
period; it is kept Latin by the services (`latin.py`). Gatherings (the kick-off with group
interviews, rotation changes, the closing) invite employers' contacts and candidates; after
the group interviews both sides mark their interest, and the formation (`formation.py`) seats
candidates in loops from those marks.

Each cell of the grid becomes a work-training placement (`LoopPlacement`) when a seat is filled;
a `CalendarFeed` is a secret iCal address for a loop or a person.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samspill.employers.models import Employer, EmployerContact
from samspill.loops import latin
from samspill.organisations.models import Organisation
from samspill.participants.models import Participant


class Loop(models.Model):
    """A jobbLOOP: its employers rotate its participants, one period with each."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="loops", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=200)
    driver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="loops_driven",
        verbose_name=_("driver"),
        help_text=_("Recruits the employers and keeps the loop going."),
    )
    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="loops_coordinated",
        verbose_name=_("coordinating counselor"),
    )
    start_date = models.DateField(_("start date"))
    period_months = models.PositiveSmallIntegerField(
        _("months in each company"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    min_age = models.PositiveSmallIntegerField(_("minimum age"), default=16)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), default=30)
    # Row r, period p -> column of the employer visited (LoopEmployer.column); k x k, Latin.
    square = models.JSONField(_("rotation square"), default=list, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)

    class Meta:
        verbose_name = _("loop")
        verbose_name_plural = _("loops")
        ordering = ["-start_date", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_age__lte=models.F("max_age")), name="loop_min_age_below_max"
            ),
            models.CheckConstraint(
                condition=Q(period_months__gte=1, period_months__lte=12),
                name="loop_period_months_1_12",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "start_date"], name="loop_org_start")]

    def __str__(self) -> str:
        return self.name

    @property
    def size(self) -> int:
        return len(self.square)

    def rows(self) -> latin.Square:
        return tuple(tuple(row) for row in self.square)


class LoopEmployer(models.Model):
    """An employer in a loop: one column of the square, with the mentor there.

    A replaced employer keeps its row with `replaced_at` set; the new one takes its column.
    """

    loop = models.ForeignKey(
        Loop, on_delete=models.CASCADE, related_name="employers", verbose_name=_("loop")
    )
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="loops", verbose_name=_("employer")
    )
    mentor = models.ForeignKey(
        EmployerContact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="loops_mentored",
        verbose_name=_("mentor"),
    )
    column = models.PositiveSmallIntegerField(_("column"))
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)
    replaced_at = models.DateTimeField(_("replaced"), null=True, blank=True)

    class Meta:
        verbose_name = _("loop employer")
        verbose_name_plural = _("loop employers")
        ordering = ["loop", "column", "joined_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["loop", "column"],
                condition=Q(replaced_at__isnull=True),
                name="loopemployer_one_per_column",
            ),
            models.UniqueConstraint(
                fields=["loop", "employer"],
                condition=Q(replaced_at__isnull=True),
                name="loopemployer_once_per_loop",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.loop}: {self.employer}"


class LoopSeat(models.Model):
    """Who sits in one row of the square. Each row has one current seat (`left_at` empty);
    its participant is empty until someone is seated or after a drop-out."""

    loop = models.ForeignKey(
        Loop, on_delete=models.CASCADE, related_name="seats", verbose_name=_("loop")
    )
    row = models.PositiveSmallIntegerField(_("row"))
    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="loop_seats",
        verbose_name=_("participant"),
    )
    seated_at = models.DateTimeField(_("seated"), null=True, blank=True)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)
    left_reason = models.CharField(_("reason for leaving"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("loop seat")
        verbose_name_plural = _("loop seats")
        ordering = ["loop", "row", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["loop", "row"],
                condition=Q(left_at__isnull=True),
                name="loopseat_one_current_per_row",
            ),
            # A participant is in one loop at a time.
            models.UniqueConstraint(
                fields=["participant"],
                condition=Q(left_at__isnull=True, participant__isnull=False),
                name="loopseat_one_loop_per_participant",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.loop} #{self.row + 1}"


class Gathering(models.Model):
    """A joint gathering: the kick-off with group interviews, a rotation change, the closing."""

    class Kind(models.TextChoices):
        KICK_OFF = "kick_off", _("Kick-off")
        ROTATION = "rotation", _("Rotation change")
        CLOSING = "closing", _("Closing")
        # The young people's own community in the loop (issue 22, item 4).
        YOUTH = "youth", _("Youth gathering")
        OTHER = "other", _("Other")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="gatherings",
        verbose_name=_("organisation"),
    )
    loop = models.ForeignKey(
        Loop,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="gatherings",
        verbose_name=_("loop"),
        help_text=_("Empty for a kick-off where loops are still being formed."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.KICK_OFF)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("gathering")
        verbose_name_plural = _("gatherings")
        ordering = ["-date", "id"]
        indexes = [models.Index(fields=["organisation", "date"], name="gathering_org_date")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"


class GatheringInvitation(models.Model):
    """An invitation to a gathering: a candidate participant or an employer's contact."""

    class Attendance(models.TextChoices):
        INVITED = "invited", _("Invited")
        ATTENDED = "attended", _("Attended")
        ABSENT = "absent", _("Absent")

    gathering = models.ForeignKey(
        Gathering,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("gathering"),
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="gathering_invitations",
        verbose_name=_("participant"),
    )
    contact = models.ForeignKey(
        EmployerContact,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="gathering_invitations",
        verbose_name=_("employer contact"),
    )
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, default=Attendance.INVITED
    )
    invited_at = models.DateTimeField(_("invited"), auto_now_add=True)

    class Meta:
        verbose_name = _("gathering invitation")
        verbose_name_plural = _("gathering invitations")
        ordering = ["gathering", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(participant__isnull=False, contact__isnull=True)
                | Q(participant__isnull=True, contact__isnull=False),
                name="invitation_participant_or_contact",
            ),
            models.UniqueConstraint(
                fields=["gathering", "participant"], name="invitation_once_per_participant"
            ),
            models.UniqueConstraint(
                fields=["gathering", "contact"], name="invitation_once_per_contact"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.gathering}: {self.participant or self.contact}"


class GatheringNomination(models.Model):
    """A counselor proposes one of their participants as a candidate for a gathering.

    The driver running a loop often follows none of the young people, so cannot invite them
    through the participant door. By proposing, the counselor shares the candidate with the
    gathering's organisers: whoever organises the gathering may invite a proposed candidate,
    set their attendance and mark their interest at this gathering, and nothing more (their
    record stays closed to them)."""

    gathering = models.ForeignKey(
        Gathering,
        on_delete=models.CASCADE,
        related_name="nominations",
        verbose_name=_("gathering"),
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="gathering_nominations",
        verbose_name=_("participant"),
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="gathering_nominations",
        verbose_name=_("proposed by"),
    )
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)

    class Meta:
        verbose_name = _("proposed candidate")
        verbose_name_plural = _("proposed candidates")
        ordering = ["gathering", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["gathering", "participant"], name="nomination_once_per_participant"
            )
        ]

    def __str__(self) -> str:
        return f"{self.gathering}: {self.participant}"


class InterestMark(models.Model):
    """After the group interviews: how much an employer wants a candidate and the candidate
    the employer (0 no, 1 maybe, 2 yes; not marked counts as no), and whether the pair is
    ruled out (travel, hours, needs)."""

    class Mark(models.IntegerChoices):
        NO = 0, _("No")
        MAYBE = 1, _("Maybe")
        YES = 2, _("Yes")

    gathering = models.ForeignKey(
        Gathering,
        on_delete=models.CASCADE,
        related_name="interest_marks",
        verbose_name=_("gathering"),
    )
    candidate = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="interest_marks",
        verbose_name=_("candidate"),
    )
    employer = models.ForeignKey(
        Employer,
        on_delete=models.CASCADE,
        related_name="interest_marks",
        verbose_name=_("employer"),
    )
    employer_mark = models.PositiveSmallIntegerField(
        _("employer's interest"), choices=Mark.choices, null=True, blank=True
    )
    candidate_mark = models.PositiveSmallIntegerField(
        _("candidate's interest"), choices=Mark.choices, null=True, blank=True
    )
    is_forbidden = models.BooleanField(
        _("ruled out"),
        default=False,
        help_text=_("The candidate cannot go to this employer (travel, hours, needs)."),
    )
    forbidden_reason = models.CharField(_("why ruled out"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("interest mark")
        verbose_name_plural = _("interest marks")
        ordering = ["gathering", "candidate", "employer"]
        constraints = [
            models.UniqueConstraint(
                fields=["gathering", "candidate", "employer"], name="interestmark_once_per_pair"
            ),
            models.CheckConstraint(
                condition=Q(employer_mark__isnull=True) | Q(employer_mark__lte=2),
                name="interestmark_employer_mark_0_2",
            ),
            models.CheckConstraint(
                condition=Q(candidate_mark__isnull=True) | Q(candidate_mark__lte=2),
                name="interestmark_candidate_mark_0_2",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} / {self.employer}"


class LoopPlacement(models.Model):
    """The placement made for one cell of the grid: a seat (row) in one period."""

    seat = models.ForeignKey(
        LoopSeat, on_delete=models.CASCADE, related_name="placements", verbose_name=_("seat")
    )
    period = models.PositiveSmallIntegerField(_("period"))
    placement = models.OneToOneField(
        "placements.Placement",
        on_delete=models.CASCADE,
        related_name="loop_cell",
        verbose_name=_("placement"),
    )

    class Meta:
        verbose_name = _("loop placement")
        verbose_name_plural = _("loop placements")
        ordering = ["seat", "period"]
        constraints = [
            models.UniqueConstraint(fields=["seat", "period"], name="loopplacement_once_per_cell")
        ]

    def __str__(self) -> str:
        return f"{self.seat} / {self.period + 1}"


class CalendarFeed(models.Model):
    """A secret calendar address (iCal): the annual wheel of one loop, or everything one person
    takes part in. Whoever has the token can read it, so it can be revoked (then a 404)."""

    class Kind(models.TextChoices):
        LOOP = "loop", _("Loop")
        PERSON = "person", _("Person")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    loop = models.ForeignKey(
        Loop,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_feeds",
        verbose_name=_("loop"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
        verbose_name=_("owner"),
        help_text=_("Who made the address; a person's feed shows this person's events."),
    )
    token = models.CharField(_("token"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        ordering = ["-created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="loop", loop__isnull=False) | Q(kind="person", loop__isnull=True),
                name="calendarfeed_loop_xor_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"


class LoopPartner(models.Model):
    """Someone outside the organisation's staff who works on its loops (issue 22, item 1).

    An external driver (a social entrepreneur or a socially engaged business leader) drives
    loops: they see their loops, their loops' employers and the candidates invited to their
    loops' gatherings, as the employer portal's rules allow (a signed confidentiality
    declaration, then only what each participant shares with the workplace). NAV's loop
    coordinator sees the NAV side of their loops: the loop, its gatherings and the young people
    they referred to it themselves. Neither has a membership, so no staff page opens for them
    (drivers.py is their door). The organisation's administrator or coordinator invites them.
    """

    class Role(models.TextChoices):
        EXTERNAL_DRIVER = "external_driver", _("External driver")
        NAV_COORDINATOR = "nav_coordinator", _("NAV loop coordinator")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="loop_partners",
        verbose_name=_("organisation"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="loop_partner",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    affiliation = models.CharField(
        _("company or office"),
        max_length=200,
        blank=True,
        help_text=_("The driver's company, or the NAV office."),
    )
    loops = models.ManyToManyField(
        Loop, blank=True, related_name="partners", verbose_name=_("loops")
    )
    confidentiality_signed_on = models.DateField(
        _("confidentiality declaration signed"), null=True, blank=True
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("invited by"),
    )
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("loop partner")
        verbose_name_plural = _("loop partners")
        ordering = ["organisation", "role", "id"]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    @property
    def has_declaration(self) -> bool:
        return self.confidentiality_signed_on is not None

    @property
    def is_driver(self) -> bool:
        return self.role == self.Role.EXTERNAL_DRIVER

    @property
    def is_nav(self) -> bool:
        return self.role == self.Role.NAV_COORDINATOR


class LoopReferral(models.Model):
    """A young person NAV's loop coordinator referred to a loop. The referral itself goes into
    the organisation's referral intake, where staff take it; the coordinator sees only their
    own referrals and what became of them."""

    loop = models.ForeignKey(
        Loop, on_delete=models.CASCADE, related_name="nav_referrals", verbose_name=_("loop")
    )
    referral = models.OneToOneField(
        "referrals.Referral",
        on_delete=models.CASCADE,
        related_name="loop_referral",
        verbose_name=_("referral"),
    )
    referred_by = models.ForeignKey(
        LoopPartner,
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("referred by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("referral to a loop")
        verbose_name_plural = _("referrals to loops")
        ordering = ["-created_at", "id"]

    def __str__(self) -> str:
        return f"{self.loop}: {self.referral_id}"


class EmployerSelection(models.Model):
    """Why an employer was chosen for a loop (issue 22, item 2): what the driver recorded when
    selecting it, kept beside the employer's history in earlier loops."""

    loop = models.ForeignKey(
        Loop, on_delete=models.CASCADE, related_name="selections", verbose_name=_("loop")
    )
    employer = models.ForeignKey(
        Employer,
        on_delete=models.CASCADE,
        related_name="loop_selections",
        verbose_name=_("employer"),
    )
    why = models.TextField(_("Why this employer"), blank=True)
    offers = models.TextField(_("What they offer"), blank=True)
    takes_one_each_period = models.BooleanField(
        _("Can take a young person every period"),
        default=False,
        help_text=_("Room and a mentor for a new young person every period (four months)."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)

    class Meta:
        verbose_name = _("employer selection")
        verbose_name_plural = _("employer selections")
        ordering = ["loop", "employer"]
        constraints = [
            models.UniqueConstraint(
                fields=["loop", "employer"], name="employerselection_once_per_loop"
            )
        ]

    def __str__(self) -> str:
        return f"{self.loop}: {self.employer}"


from samspill.loops.models_evaluation import (  # noqa: E402, F401 (found here)
    EvaluationAnswer,
    EvaluationOutcome,
    LoopEvaluation,
)
from samspill.loops.models_meetings import NetworkMeeting  # noqa: E402, F401 (found here)
