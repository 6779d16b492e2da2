"""The staff's learning organisation (seeds 000 and 003): a professional platform of methods
shared across a network of organisations, platform mentors who curate it, and each staff
member's own learning goals followed up by their leader.

Nothing here holds a participant's data: a network shares methods between organisations and
never a person. A staff member's goals and the leader's review notes are personal data about
an employee; reads of another person's goals are logged in `StaffRecordRead`.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from samspill.organisations.models import Organisation


class Network(models.Model):
    """Organisations that share methods with each other, such as Kopano's member companies.

    Another organisation joins with the network's join code, which a member's administrator
    gives them; the list of networks is not public."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    join_code = models.CharField(_("join code"), max_length=32, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    organisations: "models.ManyToManyField[Organisation, NetworkMembership]" = (
        models.ManyToManyField(
            Organisation,
            through="NetworkMembership",
            related_name="learning_networks",
            verbose_name=_("organisations"),
        )
    )

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class NetworkMembership(models.Model):
    """An organisation's membership of a network."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="network_memberships"
    )
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)
    joined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("network membership")
        verbose_name_plural = _("network memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["network", "organisation"], name="learning_network_member_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} in {self.network_id}"


class PlatformMentor(models.Model):
    """A staff member with professional responsibility for the platform in their own
    organisation: curates the library, runs the programme, hosts sparring (seed 000)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="platform_mentors"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="platform_mentorships"
    )
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    appointed_at = models.DateTimeField(_("appointed"), auto_now_add=True)

    class Meta:
        verbose_name = _("platform mentor")
        verbose_name_plural = _("platform mentors")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="learning_platform_mentor_once"
            )
        ]

    def __str__(self) -> str:
        return f"platform mentor {self.user_id}"


class PracticePlace(models.TextChoices):
    """The places in Samspill where a method is practised."""

    BELIEF_CHECK_IN = "belief_check_in", _("The belief check-in")
    HANDOVER = "handover", _("The handover between counselors")
    EXPECTATION_MEETING = "expectation_meeting", _("The expectation meeting at the workplace")
    FOLLOW_UP = "follow_up", _("Follow-up at the workplace")
    JOBBLOOP = "jobbloop", _("jobbLOOP")
    PLAN = "plan", _("The participant's plan")


class Method(models.Model):
    """A method or model in the professional platform. Its content lives in numbered versions;
    `published` points at the one people read, while a newer draft may be worked on."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="methods")
    published = models.ForeignKey(
        "MethodVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published version"),
    )
    shared_with = models.ForeignKey(
        Network,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="methods",
        verbose_name=_("shared with network"),
    )
    adopted_from = models.ForeignKey(
        "MethodVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="adoptions",
        verbose_name=_("adopted from"),
    )
    # The published version's text, for search (PostgreSQL indexes it for full-text search in
    # Norwegian and Danish; SQLite searches it plainly).
    title = models.CharField(_("title"), max_length=200)
    search_text = models.TextField(blank=True, editable=False)
    # PostgreSQL only: `search_text` as a tsvector in the organisation's language, written when
    # a version is published, GIN-indexed (migration 0002). NULL on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)

    class Meta:
        verbose_name = _("method")
        verbose_name_plural = _("methods")
        ordering = ["title", "id"]
        indexes = [
            models.Index(fields=["organisation", "title"], name="method_org_title"),
            models.Index(fields=["shared_with", "title"], name="method_network_title"),
        ]

    def __str__(self) -> str:
        return self.title


class MethodVersion(models.Model):
    """One numbered version of a method: a draft until published, then fixed for ever."""

    method = models.ForeignKey(Method, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(_("purpose"))
    research_source = models.CharField(_("research source"), max_length=300, blank=True)
    research_finding = models.TextField(_("research finding"), blank=True)
    effect_size = models.CharField(_("effect size"), max_length=100, blank=True)
    steps = models.TextField(_("steps"), blank=True)
    when_to_use = models.TextField(_("when to use"), blank=True)
    practice_places = models.JSONField(_("practised in Samspill"), default=list, blank=True)
    change_note = models.CharField(_("change note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)

    class Meta:
        verbose_name = _("method version")
        verbose_name_plural = _("method versions")
        ordering = ["method", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["method", "number"], name="method_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.published_at is None

    def practice_place_labels(self) -> list[str]:
        labels = dict(PracticePlace.choices)
        return [str(labels[key]) for key in self.practice_places if key in labels]


def method_file_path(instance: "MethodFile", filename: str) -> str:
    return f"learning/methods/{instance.version.method_id}/{filename}"


class MethodFile(models.Model):
    """A tool or template (a file) that belongs to one version of a method."""

    version = models.ForeignKey(MethodVersion, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(_("name"), max_length=200)
    file = models.FileField(_("file"), upload_to=method_file_path)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("tool or template")
        verbose_name_plural = _("tools and templates")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class LearningGoal(models.Model):
    """A staff member's own learning goal, followed up in conversations with their leader."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        REACHED = "reached", _("Reached")
        DROPPED = "dropped", _("Dropped")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="learning_goals"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="learning_goals",
        verbose_name=_("staff member"),
    )
    goal = models.CharField(_("goal"), max_length=200)
    why = models.TextField(_("why"), blank=True)
    methods = models.ManyToManyField(
        Method, blank=True, related_name="goals", verbose_name=_("methods")
    )
    practice = models.TextField(_("how I will practise"), blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)

    class Meta:
        verbose_name = _("learning goal")
        verbose_name_plural = _("learning goals")
        ordering = ["status", "target_date", "id"]
        indexes = [
            models.Index(fields=["owner", "status"], name="learning_goal_owner"),
            models.Index(
                fields=["organisation", "status", "next_review_on"], name="learning_goal_review"
            ),
        ]

    def __str__(self) -> str:
        return self.goal


class GoalReview(models.Model):
    """A follow-up conversation between a staff member and their leader about one goal."""

    goal = models.ForeignKey(LearningGoal, on_delete=models.CASCADE, related_name="reviews")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("held on"))
    notes = models.TextField(_("notes"), blank=True)
    next_steps = models.TextField(_("agreed next steps"), blank=True)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up conversation")
        verbose_name_plural = _("follow-up conversations")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"review of goal {self.goal_id} on {self.held_on}"


class StaffRecordRead(models.Model):
    """One read of a staff member's learning record by somebody else (their leader)."""

    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learning_reads"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    what = models.CharField(max_length=100)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("read of a learning record")
        verbose_name_plural = _("reads of learning records")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["subject", "-at"], name="learning_read_subject")]

    def __str__(self) -> str:
        return f"{self.what} by {self.reader_id}"


# --- The learning programme (issue 20, item 4) ---------------------------------------------
# A programme for the whole organisation (seed 003): modules of sessions, teams and individuals
# enrolled across professions, attendance, and each attendee's reflection afterwards, which is
# private to its author unless shared with the facilitator or the leaders.


class Programme(models.Model):
    """A learning programme of one organisation, run by its platform mentors and leaders."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="learning_programmes"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # Shared with a network, its outline (modules, sessions, methods, material) is read-only to
    # the other members, who may adopt a copy; never its enrolments, attendance or reflections.
    shared_with = models.ForeignKey(
        Network,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="programmes",
        verbose_name=_("shared with network"),
    )
    adopted_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="adoptions",
        verbose_name=_("adopted from"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)

    class Meta:
        verbose_name = _("learning programme")
        verbose_name_plural = _("learning programmes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class ProgrammeModule(models.Model):
    """A module of a programme: a theme with its sessions."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="modules")
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["programme", "number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="programme_module_number")
        ]

    def __str__(self) -> str:
        return self.title


class ProgrammeEnrolment(models.Model):
    """A whole team (everyone in it, whatever their profession) or one person enrolled."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="enrolments")
    team = models.ForeignKey(
        "organisations.Team",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="programme_enrolments",
        verbose_name=_("staff member"),
    )
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    enrolled_at = models.DateTimeField(_("enrolled"), auto_now_add=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(team__isnull=False, user__isnull=True)
                | models.Q(team__isnull=True, user__isnull=False),
                name="programme_enrolment_team_xor_user",
            ),
            models.UniqueConstraint(fields=["programme", "team"], name="programme_team_once"),
            models.UniqueConstraint(fields=["programme", "user"], name="programme_user_once"),
        ]

    def __str__(self) -> str:
        return f"enrolment in {self.programme_id}"


class ProgrammeSession(models.Model):
    """One session of a module: when, where (a place or a video link), who facilitates, which
    methods of the library it covers."""

    module = models.ForeignKey(ProgrammeModule, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_url = models.URLField(_("video link"), blank=True)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="facilitated_sessions",
        verbose_name=_("facilitator"),
    )
    methods = models.ManyToManyField(
        Method, blank=True, related_name="sessions", verbose_name=_("methods covered")
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["module", "starts_at"], name="programme_session_start")]

    def __str__(self) -> str:
        return self.title


def session_material_path(instance: "SessionMaterial", filename: str) -> str:
    return f"learning/sessions/{instance.session_id}/{filename}"


class SessionMaterial(models.Model):
    """A file handed out for a session (slides, a worksheet)."""

    session = models.ForeignKey(
        ProgrammeSession, on_delete=models.CASCADE, related_name="materials"
    )
    name = models.CharField(_("name"), max_length=200)
    file = models.FileField(_("file"), upload_to=session_material_path)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class SessionAttendance(models.Model):
    """Whether an enrolled person was at a session, recorded by the facilitator or a platform
    mentor (or a leader) afterwards."""

    session = models.ForeignKey(
        ProgrammeSession, on_delete=models.CASCADE, related_name="attendance"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_attendance"
    )
    present = models.BooleanField(_("present"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="session_attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} at {self.session_id}: {self.present}"


class Reflection(models.Model):
    """An attendee's short reflection after a session: what I learned, what I will try, when I
    will look back. Private to its author unless they share it with the session's facilitator
    or with their organisation's leaders; a reminder comes on the look-back day."""

    session = models.ForeignKey(
        ProgrammeSession, on_delete=models.CASCADE, related_name="reflections"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learning_reflections"
    )
    learned = models.TextField(_("what I learned"))
    will_try = models.TextField(_("what I will try"))
    look_back_on = models.DateField(_("when I will look back"))
    shared_with_facilitator = models.BooleanField(_("shared with the facilitator"), default=False)
    shared_with_leader = models.BooleanField(_("shared with my leader"), default=False)
    looked_back_at = models.DateTimeField(_("looked back"), null=True, blank=True)
    look_back_note = models.TextField(_("what came of it"), blank=True)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)

    class Meta:
        verbose_name = _("reflection")
        verbose_name_plural = _("reflections")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "author"], name="reflection_once")
        ]
        indexes = [
            models.Index(fields=["look_back_on", "looked_back_at"], name="reflection_look_back")
        ]

    def __str__(self) -> str:
        return f"reflection {self.pk} on {self.session_id}"


class SessionCalendar(models.Model):
    """A person's secret calendar address (iCal) of the sessions they take part in or
    facilitate. Whoever has the token can read it, so it can be revoked (then a 404)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_calendars"
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("session calendar")
        verbose_name_plural = _("session calendars")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"session calendar of {self.owner_id}"


# Sparring, peer feedback and supervision: their own module (sparring_models.py).
from samspill.learning.sparring_models import (  # noqa: E402, F401 (found here)
    PeerFeedback,
    SparringCase,
    SparringResponse,
    SupervisionGroup,
    SupervisionMember,
    SupervisionSession,
)
