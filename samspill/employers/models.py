"""Employers in the organisation's network: the employer base, the one person to call, intention
agreements, the recruitment pipeline, and the people at the employer (contacts and mentors).

Employer data is business data, seen by all staff of the organisation who work with
participants. Mentors and employer contacts are people: a mentor sees participant data only
through the portal, only for their own placements, and only with a signed confidentiality
declaration (see `samspill.portal`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower, Trim
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from samspill.employers import industries
from samspill.organisations.models import Organisation


class EmployerQuerySet(models.QuerySet["Employer"]):
    def visible_to(self, user: object) -> "EmployerQuerySet":
        """The one door: employers `user` may read (see permissions.employer_scope)."""
        from samspill.employers.permissions import employer_scope

        return self.filter(employer_scope(user))


class Employer(models.Model):
    """A business or public employer that offers work training, jobs or apprenticeships."""

    class SizeBand(models.TextChoices):
        MICRO = "1-4", _("1–4 employees")
        SMALL = "5-9", _("5–9 employees")
        SMALL_MEDIUM = "10-19", _("10–19 employees")
        MEDIUM = "20-49", _("20–49 employees")
        MEDIUM_LARGE = "50-99", _("50–99 employees")
        LARGE = "100-249", _("100–249 employees")
        VERY_LARGE = "250+", _("250 employees or more")

    class Stage(models.TextChoices):
        PROSPECT = "prospect", _("Prospect")
        FIRST_MEETING = "first_meeting", _("First meeting")
        INTENTION_AGREEMENT = "intention_agreement", _("Intention agreement")
        ACTIVE_PARTNER = "active_partner", _("Active partner")
        PAUSED = "paused", _("Paused")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="employers",
        db_index=False,  # employer_org_name leads with it
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    org_number = models.CharField(
        _("organisation number"),
        max_length=9,
        help_text=_("Norwegian organisation number (9 digits) or Danish CVR (8 digits)."),
    )
    nace_division = models.CharField(
        _("industry"), max_length=2, blank=True, help_text=_("Industry code (SN2007 / NACE).")
    )
    # Derived from the division by the services: the list filters by section.
    nace_section = models.CharField(_("industry section"), max_length=1, blank=True, editable=False)
    size_band = models.CharField(_("size"), max_length=8, choices=SizeBand.choices, blank=True)
    street_address = models.CharField(_("address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    public_services_experience = models.TextField(
        _("earlier experience with public services"),
        blank=True,
        help_text=_("What has worked or not for this employer with NAV, the municipality or us."),
    )
    contact_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="employers_as_contact",
        editable=False,
        db_index=False,  # employer_contact_person leads with it
        verbose_name=_("our contact person"),
        help_text=_("The one person in our organisation the employer calls."),
    )
    stage = models.CharField(
        _("stage"), max_length=24, choices=Stage.choices, default=Stage.PROSPECT
    )
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_step_on = models.DateField(_("next step date"), null=True, blank=True)
    external_key = models.CharField(_("external key"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)

    objects = EmployerQuerySet.as_manager()

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "org_number"], name="employer_unique_orgnr_per_org"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "name", "id"], name="employer_org_name"),
            models.Index(
                fields=["organisation", "nace_section", "name"], name="employer_org_industry"
            ),
            models.Index(
                fields=["organisation", "municipality", "name"], name="employer_org_municipality"
            ),
            models.Index(
                fields=["organisation", "stage", "next_step_on"], name="employer_org_stage"
            ),
            models.Index(fields=["contact_person", "name"], name="employer_contact_person"),
            # Matching finds the open needs in a person's municipality (firststage.need_ids).
            models.Index(Lower(Trim("municipality")), name="employer_place"),
            # The interchange import finds employers by the source system's key.
            models.Index(fields=["organisation", "external_key"], name="employer_org_extkey"),
            # Name search (istartswith) also has a PostgreSQL-only index on
            # (organisation, UPPER(name) text_pattern_ops): migration 0003.
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def industry_label(self) -> str:
        """The industry as people read it: its SN2007 name in the language, with the code."""
        industry = industries.get(self.nace_division) if self.nace_division else None
        if industry is None:
            return self.nace_division
        return f"{industries.name(industry, get_language())} ({industry.code})"


class ContactPersonChange(models.Model):
    """The history of the employer's one person to call, recorded like a counselor change."""

    class Reason(models.TextChoices):
        INITIAL = "initial", _("First contact person")
        LEFT = "left", _("Contact person left")
        LONG_LEAVE = "long_leave", _("Long leave")
        EMPLOYER_WISH = "employer_wish", _("The employer's wish")
        BALANCING = "balancing", _("Workload balancing")
        OTHER = "other", _("Other")

    employer = models.ForeignKey(
        Employer,
        on_delete=models.CASCADE,
        related_name="contact_history",
        verbose_name=_("employer"),
    )
    contact_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("contact person"),
    )
    started_at = models.DateTimeField(_("from"))
    ended_at = models.DateTimeField(_("to"), null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("changed by"),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    reason_text = models.CharField(_("reason, in words"), max_length=300, blank=True)
    handover_note = models.TextField(_("handover note"), blank=True)

    class Meta:
        verbose_name = _("contact person change")
        verbose_name_plural = _("contact person changes")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["employer"],
                condition=Q(ended_at__isnull=True),
                name="contact_person_one_open_per_employer",
            ),
        ]
        indexes = [models.Index(fields=["employer", "started_at"], name="contact_change_employer")]

    def __str__(self) -> str:
        return f"{self.contact_person} ({self.started_at:%Y-%m-%d})"


class RecruitmentNeed(models.Model):
    """A role the employer wants to fill: what a candidate would do and when."""

    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, related_name="needs", verbose_name=_("employer")
    )
    role = models.CharField(_("role"), max_length=200)
    tasks = models.TextField(_("tasks"), blank=True)
    skills = models.TextField(_("skills"), blank=True)
    hours_per_week = models.PositiveSmallIntegerField(_("hours per week"), null=True, blank=True)
    positions = models.PositiveSmallIntegerField(_("how many"), default=1)
    needed_from = models.DateField(_("from when"), null=True, blank=True)
    is_open = models.BooleanField(_("open"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # What matching reads of the need, kept by the services that write it (core/matchtext.py).
    match_terms = models.TextField(_("matching terms"), blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("recruitment need")
        verbose_name_plural = _("recruitment needs")
        ordering = ["-is_open", "needed_from", "id"]
        indexes = [models.Index(fields=["employer", "is_open"], name="need_employer_open")]

    def __str__(self) -> str:
        return self.role


class NeedTerm(models.Model):
    """One stored key (core/matchtext.py) of an open need: a narrow posting list, so that the
    matching first stage finds the open needs holding a key by an index-only scan (issue 23).
    Kept by the need services with `match_terms`; a closed need has none.

    The first stage reads at most a fixed number of postings per term (bounded retrieval,
    matching/firststage.py), the best by `static_score` first, and all of a term's postings in
    the person's municipality (`place`)."""

    term = models.TextField()
    need = models.ForeignKey(RecruitmentNeed, on_delete=models.CASCADE, related_name="+")
    # What one stem met is worth to the need's skills factor: 1 / its number of stems
    # (matchtext keys "=<stem>"), so a short need a word fits well is read first.
    static_score = models.FloatField(default=0.0)
    # The employer's municipality, lower-cased and trimmed (kept by employer_update).
    place = models.CharField(max_length=100, blank=True, default="")

    class Meta:
        verbose_name = _("matching term")
        verbose_name_plural = _("matching terms")
        indexes = [
            models.Index(fields=["term", "-static_score", "need"], name="needterm_term_score"),
            models.Index(fields=["term", "place", "need"], name="needterm_term_place"),
        ]

    def __str__(self) -> str:
        return self.term


class IntentionAgreement(models.Model):
    """A written intention to cooperate: what the employer offers, signed, renewed."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNED = "signed", _("Signed")
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        ENDED = "ended", _("Ended")

    employer = models.ForeignKey(
        Employer,
        on_delete=models.CASCADE,
        related_name="agreements",
        verbose_name=_("employer"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    signed_on = models.DateField(_("signed"), null=True, blank=True)
    renewal_on = models.DateField(_("renewal date"), null=True, blank=True)
    work_training_places = models.PositiveSmallIntegerField(_("work training places"), default=0)
    summer_jobs = models.PositiveSmallIntegerField(_("summer jobs"), default=0)
    apprenticeships = models.PositiveSmallIntegerField(_("apprenticeships"), default=0)
    hires = models.PositiveSmallIntegerField(_("hires"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    # Served only through a view that checks access (never from MEDIA_URL).
    document = models.FileField(_("signed document"), upload_to="agreements/%Y/", blank=True)
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
        verbose_name = _("intention agreement")
        verbose_name_plural = _("intention agreements")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["employer", "created_at"], name="agreement_employer"),
            models.Index(fields=["renewal_on"], name="agreement_renewal"),
        ]

    def __str__(self) -> str:
        return f"{self.employer} – {self.get_status_display()}"


class OutreachActivity(models.Model):
    """A step in winning or keeping an employer: a meeting, a call, a visit, an event."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        CALL = "call", _("Call")
        VISIT = "visit", _("Visit")
        BREAKFAST = "breakfast_event", _("Breakfast event")
        OTHER = "other", _("Other")

    employer = models.ForeignKey(
        Employer,
        on_delete=models.CASCADE,
        related_name="outreach",
        verbose_name=_("employer"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    occurred_on = models.DateField(_("date"))
    summary = models.TextField(_("summary"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("outreach activity")
        verbose_name_plural = _("outreach activities")
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["employer", "occurred_on"], name="outreach_employer")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on}"


class EmployerContact(models.Model):
    """A person at the employer: a contact, and perhaps the workplace mentor.

    A mentor without a signed confidentiality declaration sees no participant data.
    `user` is set when the person has accepted an invitation to the portal.
    """

    employer = models.ForeignKey(
        Employer,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("employer"),
    )
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("role at the employer"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_mentor = models.BooleanField(_("workplace mentor"), default=False)
    confidentiality_signed_on = models.DateField(
        _("confidentiality declaration signed"),
        null=True,
        blank=True,
        help_text=_("No declaration, no access to any participant data."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employer_contact",
        editable=False,
        verbose_name=_("portal user"),
    )
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("employer contact")
        verbose_name_plural = _("employer contacts")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["employer", "name"], name="contact_employer_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def has_declaration(self) -> bool:
        return self.confidentiality_signed_on is not None


class MentorSupportContact(models.Model):
    """The counselor's support of a mentor: one contact, how it goes, and when to talk next."""

    class Channel(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        VISIT = "visit", _("Workplace visit")
        PHONE = "phone", _("Phone")
        VIDEO = "video", _("Video")
        MESSAGE = "message", _("Message")

    class Going(models.TextChoices):
        WELL = "well", _("Going well")
        MIXED = "mixed", _("Mixed")
        DIFFICULT = "difficult", _("Difficult")

    mentor = models.ForeignKey(
        EmployerContact,
        on_delete=models.CASCADE,
        related_name="support_log",
        verbose_name=_("mentor"),
    )
    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("counselor"),
    )
    contact_on = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    topic = models.CharField(_("topic"), max_length=300)
    going = models.CharField(_("how it is going"), max_length=10, choices=Going.choices)
    next_contact_on = models.DateField(_("next contact"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("mentor support contact")
        verbose_name_plural = _("mentor support contacts")
        ordering = ["-contact_on", "-id"]
        indexes = [
            models.Index(fields=["mentor", "contact_on"], name="mentor_support_mentor"),
            models.Index(fields=["counselor", "next_contact_on"], name="mentor_support_next"),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} {self.contact_on}"


from samspill.employers.apprenticeship_models import ApprenticeshipOffice  # noqa: E402, F401
from samspill.employers.models_coordination import (  # noqa: E402, F401
    CoordinationMeeting,
    EmployerEvent,
    EmployerStageChange,
    EventInvitation,
    MeetingAction,
    MeetingAttendance,
    MeetingSeries,
)
