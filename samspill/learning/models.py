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
