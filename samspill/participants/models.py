"""The participant's case record: person, consent, follow-up periods and counselor history."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samspill.organisations.models import Organisation, Team
from samspill.participants.identity import format_identity_number


class Language(models.TextChoices):
    NORWEGIAN_BOKMAL = "nb", _("Norwegian Bokmål")
    NORWEGIAN_NYNORSK = "nn", _("Norwegian Nynorsk")
    DANISH = "da", _("Danish")
    ENGLISH = "en", _("English")
    ARABIC = "ar", _("Arabic")
    SOMALI = "so", _("Somali")
    TIGRINYA = "ti", _("Tigrinya")
    UKRAINIAN = "uk", _("Ukrainian")
    POLISH = "pl", _("Polish")
    PERSIAN = "fa", _("Persian")
    OTHER = "other", _("Other")


class NeedGroup(models.TextChoices):
    """NAV's need-assessment groups (innsatsgrupper), from least to most support."""

    GOOD_PROSPECTS = "good_prospects", _("Good prospects")
    NEEDS_GUIDANCE = "needs_guidance", _("Needs situational guidance")
    REDUCED_CAPACITY = "reduced_capacity", _("Special guidance (reduced work capacity)")
    PARTIAL_WORK = "partial_work", _("Partial work capacity")
    LITTLE_PROSPECT = "little_prospect", _("Permanently adapted work")


class Outcome(models.TextChoices):
    """The one outcome vocabulary: where a person went, close to NAV's definitions. Follow-up
    periods, their six- and twelve-month statuses, placements and referrals all use it
    (docs/outcomes.md maps the earlier codes onto it)."""

    ORDINARY_WORK = "ordinary_work", _("Ordinary work")
    EDUCATION = "education", _("Education")
    APPRENTICESHIP = "apprenticeship", _("Apprenticeship")
    OTHER_MEASURE = "other_measure", _("Other measure")
    NOT_READY = "not_ready", _("Not ready for work yet")
    MOVED_OTHER = "moved_other", _("Moved or other")
    UNKNOWN = "unknown", _("Unknown")


# Work, education or an apprenticeship: what the research and the seeds count as success.
WORK_OR_EDUCATION = frozenset({Outcome.ORDINARY_WORK, Outcome.EDUCATION, Outcome.APPRENTICESHIP})

# Codes of earlier vocabularies (interchange format 1, placement, referral and period-end
# codes) and the code each means now. "" is no outcome yet.
OUTCOME_ALIASES = {
    "other_next_step": Outcome.OTHER_MEASURE,
    "ordinary_job": Outcome.ORDINARY_WORK,
    "next_placement": Outcome.OTHER_MEASURE,
    "dropped_out": Outcome.MOVED_OTHER,
    "practice_place": Outcome.OTHER_MEASURE,
    "summer_job": Outcome.ORDINARY_WORK,
    "referred_elsewhere": Outcome.OTHER_MEASURE,
    "in_process": "",
    "transferred": Outcome.OTHER_MEASURE,
    "moved": Outcome.MOVED_OTHER,
    "withdrew": Outcome.MOVED_OTHER,
    "other": Outcome.MOVED_OTHER,
}


class OutcomeSource(models.TextChoices):
    """Who recorded an outcome or a status."""

    STAFF = "staff", _("Staff")
    PARTICIPANT = "participant", _("The participant")
    IMPORT = "import", _("Import")


class ParticipantQuerySet(models.QuerySet["Participant"]):
    def visible_to(self, user: object) -> "ParticipantQuerySet":
        """The one door: participants `user` may read (see permissions.participant_scope)."""
        from samspill.participants.permissions import participant_scope

        return self.filter(participant_scope(user))

    def visible_to_by_branch(self, user: object) -> list["ParticipantQuerySet"]:
        """The same door as `visible_to`, one queryset per branch of its rule (their union is
        `visible_to(user)`; none when the user sees nobody). For queries over many
        participants' records: each branch is a plain AND that an index answers alone, where
        the door's OR makes PostgreSQL read every matching participant's row."""
        from samspill.participants.permissions import participant_scope_branches

        return [self.filter(branch) for branch in participant_scope_branches(user)]


class Participant(models.Model):
    """A person followed towards work or education.

    `counselor`, `team`, `active_period`, `last_contact_on` and `next_follow_up_on` are
    denormalised from the assignment history, periods and notes so that a caseload of any size
    is one indexed query; only the services in `services.py` write them.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="participants",
        db_index=False,  # participant_org_name leads with it
        verbose_name=_("organisation"),
    )
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    national_id = models.CharField(
        _("national identity number"),
        max_length=11,
        blank=True,
        help_text=_(
            "Norwegian birth number or D-number (11 digits), or Danish CPR number (10 digits)."
        ),
    )
    national_id_kind = models.CharField(max_length=3, blank=True, editable=False)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # The phone's digits without a home country code (core/phone.py), for the caseload search;
    # every writer of `phone` writes it too (the services, demo data, bench/seed.py).
    phone_digits = models.CharField(max_length=20, blank=True, default="", editable=False)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=5,
        choices=Language.choices,
        default=Language.NORWEGIAN_BOKMAL,
    )
    need_group = models.CharField(
        _("need group"), max_length=20, choices=NeedGroup.choices, blank=True
    )

    # The strengths profile, in the participant's own words.
    dreams = models.TextField(_("dreams"), blank=True, help_text=_("What do you dream of?"))
    who_i_am = models.TextField(_("who I am"), blank=True, help_text=_("Who are you?"))
    what_i_can = models.TextField(_("what I can"), blank=True, help_text=_("What are you good at?"))
    want_to_learn = models.TextField(
        _("what I want to learn"), blank=True, help_text=_("What do you want to learn?")
    )
    interests = models.TextField(_("interests"), blank=True)
    needs = models.TextField(
        _("needs and accommodations"),
        blank=True,
        help_text=_(
            "Sensitive: may hold health information. Never shared outside the follow-up team."
        ),
    )
    # What matching reads of the profile, kept by the services that write it (core/matchtext.py):
    # stems and compound parts of what I can, want to learn and my own words; never of `needs`.
    match_terms = models.TextField(_("matching terms"), blank=True, default="", editable=False)
    shareable_accommodations = models.TextField(
        _("accommodations the workplace may know"),
        blank=True,
        help_text=_(
            "In words agreed with the participant, without health details. Shown to the employer "
            "and mentor only while the participant consents to share accommodations with them."
        ),
    )

    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        db_index=False,  # participant_counselor_name leads with it
        verbose_name=_("counselor"),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        db_index=False,  # participant_team_org leads with it
        verbose_name=_("team"),
    )
    active_period = models.OneToOneField(
        "FollowUpPeriod",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    last_contact_on = models.DateField(_("last contact"), null=True, blank=True, editable=False)
    next_follow_up_on = models.DateField(_("next follow-up"), null=True, blank=True)

    # The participant's own login (by invitation): approve placement agreements, see
    # evaluations, download certificates.
    portal_user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participant_record",
        editable=False,
        verbose_name=_("own login"),
    )
    portal_invited_at = models.DateTimeField(_("invited"), null=True, blank=True, editable=False)

    external_key = models.CharField(_("external key"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["family_name", "given_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "national_id"],
                condition=~Q(national_id=""),
                name="participant_unique_national_id_per_org",
            ),
        ]
        indexes = [
            models.Index(
                fields=["organisation", "family_name", "given_name", "id"],
                name="participant_org_name",
            ),
            models.Index(
                fields=["counselor", "family_name", "given_name", "id"],
                name="participant_counselor_name",
            ),
            models.Index(
                fields=["team", "family_name", "given_name", "id"], name="participant_team_name"
            ),
            models.Index(
                fields=["organisation", "next_follow_up_on"], name="participant_org_next_fu"
            ),
            models.Index(
                fields=["organisation", "last_contact_on"], name="participant_org_last_contact"
            ),
            # The interchange import finds participants by the source system's key.
            models.Index(fields=["organisation", "external_key"], name="participant_org_extkey"),
            # The caseload's search by phone number.
            models.Index(fields=["organisation", "phone_digits"], name="participant_org_phone"),
            models.Index(fields=["counselor", "next_follow_up_on"], name="participant_cns_next_fu"),
            models.Index(
                fields=["counselor", "last_contact_on"], name="participant_cns_last_contact"
            ),
            # The caseload's quick-filter counts for a whole organisation (a leader's view):
            # every column they read is in the index, so PostgreSQL counts 500,000 participants
            # from the index alone instead of reading the table (bench/README.md).
            models.Index(
                fields=[
                    "organisation",
                    "active_period",
                    "next_follow_up_on",
                    "last_contact_on",
                    "id",
                ],
                name="participant_org_counts",
            ),
            # The team branch of the door (`visible_to_by_branch`) read from the index alone:
            # the placements list asks it for 12,000 participant ids of a team, where the door's
            # OR read 12,000 rows of the table (bench/README.md, placement pages).
            models.Index(fields=["team", "organisation", "id"], name="participant_team_org"),
            # Name search (istartswith) also has PostgreSQL-only indexes on
            # (organisation, UPPER(name) text_pattern_ops), made in migration
            # 0004_participant_name_search_indexes (covering since 0016_b24pages): opclasses
            # do not exist on SQLite.
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def national_id_display(self) -> str:
        return format_identity_number(self.national_id)

    @property
    def is_active(self) -> bool:
        return self.active_period_id is not None


class ParticipantTerm(models.Model):
    """One stored key (core/matchtext.py) of a person's profile: a narrow posting list, so that
    the matching first stage finds who holds a key by an index-only scan (issue 23). Kept by
    the participant services with `match_terms`; whether it may be used is decided at every
    request by the consent, as for `match_terms`."""

    term = models.TextField()
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("matching term")
        verbose_name_plural = _("matching terms")
        indexes = [models.Index(fields=["term", "participant"], name="participantterm_term_person")]

    def __str__(self) -> str:
        return self.term


class ConsentRecord(models.Model):
    """What the participant has agreed may be shared, and with whom; given and withdrawn."""

    class Recipient(models.TextChoices):
        WORKPLACE = "workplace", _("Employer and workplace mentor")
        NAV = "nav", _("NAV")
        MUNICIPALITY = "municipality", _("Municipal services")
        HEALTH = "health", _("Health services")
        SCHOOL = "school", _("School or education provider")
        RESEARCH = "research", _("Research and evaluation (pseudonymised)")

    class Information(models.TextChoices):
        CONTACT = "contact", _("Name and contact details")
        STRENGTHS = "strengths", _("Strengths profile and interests")
        PLAN = "plan", _("Goals and plan")
        ACCOMMODATIONS = "accommodations", _("Needs and accommodations")
        PROGRESS = "progress", _("Progress and outcomes")

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="consents",
        verbose_name=_("participant"),
    )
    recipient = models.CharField(_("shared with"), max_length=20, choices=Recipient.choices)
    information = models.CharField(_("information"), max_length=20, choices=Information.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    given_at = models.DateTimeField(_("given"))
    given_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawal recorded by"),
    )

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "recipient", "information"],
                condition=Q(withdrawn_at__isnull=True),
                name="consent_one_current_per_scope",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_information_display()} → {self.get_recipient_display()}"

    @property
    def is_current(self) -> bool:
        return self.withdrawn_at is None


class FollowUpPeriod(models.Model):
    """One stretch of follow-up, from start to an end with a reason. Outcomes and the
    continuity metrics are counted per period."""

    # The outcome at the end, in the one vocabulary; the PeriodOutcome on the end date is
    # what the reports count, this copy is the period's own summary.
    EndReason = Outcome

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="periods", verbose_name=_("participant")
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)
    end_reason = models.CharField(
        _("outcome at the end"), max_length=20, choices=Outcome.choices, blank=True
    )
    external_key = models.CharField(_("external key"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("follow-up period")
        verbose_name_plural = _("follow-up periods")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant"],
                condition=Q(end_date__isnull=True),
                name="period_one_open_per_participant",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="period_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["external_key"], name="period_external_key")]

    def __str__(self) -> str:
        return f"{self.start_date} – {self.end_date or ''}"


class CounselorAssignment(models.Model):
    """Who followed the participant in a period, from when to when, assigned by whom and why.

    Research (DOMAIN.md) ties each change of counselor to a lower chance of work, so every
    change is kept, never overwritten.
    """

    class Reason(models.TextChoices):
        INITIAL = "initial", _("First counselor in the period")
        COUNSELOR_LEFT = "counselor_left", _("Counselor left")
        LONG_LEAVE = "long_leave", _("Long leave")
        PARTICIPANT_WISH = "participant_wish", _("Participant's wish")
        CASELOAD_BALANCING = "caseload_balancing", _("Caseload balancing")
        OTHER = "other", _("Other")

    period = models.ForeignKey(
        FollowUpPeriod,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("follow-up period"),
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="assignments",
        db_index=False,  # assignment_participant leads with it
        verbose_name=_("participant"),
    )
    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assignments",
        db_index=False,  # assignment_counselor_open leads with it
        verbose_name=_("counselor"),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team"),
        help_text=_("The counselor's team when assigned: outcomes count by it."),
    )
    started_at = models.DateTimeField(_("from"))
    ended_at = models.DateTimeField(_("to"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    reason_text = models.CharField(_("reason, in words"), max_length=300, blank=True)
    handover_note = models.TextField(_("handover note"), blank=True)
    seen_at = models.DateTimeField(
        _("opened by the counselor"),
        null=True,
        blank=True,
        help_text=_("Until the new counselor opens the record, it is marked “new to you”."),
    )

    class Meta:
        verbose_name = _("counselor assignment")
        verbose_name_plural = _("counselor assignments")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["period"],
                condition=Q(ended_at__isnull=True),
                name="assignment_one_open_per_period",
            ),
        ]
        indexes = [
            models.Index(fields=["counselor", "ended_at"], name="assignment_counselor_open"),
            models.Index(fields=["participant", "started_at"], name="assignment_participant"),
        ]

    def __str__(self) -> str:
        return f"{self.counselor} ({self.started_at:%Y-%m-%d})"


class PeriodOutcome(models.Model):
    """Where the participant went, on a date: work (with hours, and whether with a wage
    subsidy), education, an apprenticeship or another next step. A period can have several
    (a job, and later an education), at most one a day; the outcome reports count the latest
    on or before the end. Corrections keep the earlier values (`PeriodOutcomeChange`)."""

    Outcome = Outcome
    Source = OutcomeSource

    period = models.ForeignKey(
        FollowUpPeriod,
        on_delete=models.CASCADE,
        related_name="outcomes",
        db_index=False,  # outcome_one_per_period_date leads with it
        verbose_name=_("follow-up period"),
    )
    date = models.DateField(_("date"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    hours_per_week = models.DecimalField(
        _("hours per week"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    wage_subsidy = models.BooleanField(_("with wage subsidy"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    source = models.CharField(
        _("recorded by"), max_length=20, choices=OutcomeSource.choices, default=OutcomeSource.STAFF
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=1)

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["period", "date"], name="outcome_one_per_period_date"),
        ]
        # The unique constraint's index, (period, date), serves lookups by period.

    def __str__(self) -> str:
        return f"{self.date}: {self.get_outcome_display()}"


class PeriodOutcomeChange(models.Model):
    """A correction of an outcome: the values before it, who changed them, when and why."""

    outcome = models.ForeignKey(
        PeriodOutcome, on_delete=models.CASCADE, related_name="changes", verbose_name=_("outcome")
    )
    changed_at = models.DateTimeField(_("changed"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    reason = models.CharField(_("why"), max_length=300, blank=True)
    before = models.JSONField(_("before"))

    class Meta:
        verbose_name = _("outcome correction")
        verbose_name_plural = _("outcome corrections")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.changed_at:%Y-%m-%d}: {self.before.get('outcome', '')}"


class FollowUpStatus(models.Model):
    """Where the person is six (or twelve) months after the period ended: scheduled when the
    period ends, reminded to the period's last counselor when due, recorded by them, a leader,
    the participant in the portal, or an import."""

    Outcome = Outcome
    Source = OutcomeSource
    MONTHS = (6, 12)

    period = models.ForeignKey(
        FollowUpPeriod,
        on_delete=models.CASCADE,
        related_name="statuses",
        db_index=False,  # status_one_per_period_months leads with it
        verbose_name=_("follow-up period"),
    )
    months = models.PositiveSmallIntegerField(_("months after the end"))
    due_on = models.DateField(_("due"))
    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # status_counselor_due leads with it
        verbose_name=_("counselor"),
        help_text=_("The period's last counselor, who is reminded."),
    )
    outcome = models.CharField(_("status"), max_length=20, choices=Outcome.choices, blank=True)
    as_of = models.DateField(_("as of"), null=True, blank=True)
    hours_per_week = models.DecimalField(
        _("hours per week"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    wage_subsidy = models.BooleanField(_("with wage subsidy"), default=False)
    source = models.CharField(
        _("recorded by"), max_length=20, choices=OutcomeSource.choices, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=1)

    class Meta:
        verbose_name = _("status after follow-up")
        verbose_name_plural = _("statuses after follow-up")
        ordering = ["period", "months"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "months"], name="status_one_per_period_months"
            ),
        ]
        indexes = [
            # A counselor's statuses still to record, by due date (Today, reminders).
            models.Index(
                fields=["counselor", "due_on"],
                condition=Q(outcome=""),
                name="status_counselor_due",
            ),
        ]

    def __str__(self) -> str:
        return f"+{self.months}: {self.get_outcome_display() or '–'}"

    @property
    def is_recorded(self) -> bool:
        return bool(self.outcome)
