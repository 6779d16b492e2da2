"""Organisations, their teams, and the staff who work there."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """A tenant: an inclusion company, a NAV office, a municipality or a jobcenter.

    Nobody sees another organisation's participants; every person record belongs to one.
    """

    class Kind(models.TextChoices):
        INCLUSION_COMPANY = "inclusion_company", _("Inclusion company")
        NAV_OFFICE = "nav_office", _("NAV office")
        MUNICIPALITY = "municipality", _("Municipality")
        JOBCENTER = "jobcenter", _("Jobcenter")

    class Country(models.TextChoices):
        NORWAY = "NO", _("Norway")
        DENMARK = "DK", _("Denmark")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    country = models.CharField(
        _("country"), max_length=2, choices=Country.choices, default=Country.NORWAY
    )
    external_key = models.CharField(_("external key"), max_length=100, blank=True, db_index=True)
    team_sees_team_participants = models.BooleanField(
        _("team members see the team's participants"),
        default=False,
        help_text=_(
            "When on, a counselor can open the records of participants followed by their team."
        ),
    )
    belief_checkin_weeks = models.PositiveSmallIntegerField(
        _("weeks between belief check-ins"),
        default=12,
        help_text=_(
            "How often counselors are asked whether they believe the participant will reach work or education."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Bumped by every change of the settings: two administrators editing at once get a
    # conflict instead of a lost update (services.organisation_update).
    revision = models.PositiveIntegerField(_("revision"), default=0, editable=False)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            # The interchange format's org_key names one organisation.
            models.UniqueConstraint(
                fields=["external_key"],
                condition=~Q(external_key=""),
                name="organisation_unique_external_key",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A group of staff who follow participants together."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="teams", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="team_unique_name_per_org"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's work in an organisation, with one role and at most one team.

    A user has at most one active membership; object rules (who sees which participant) are
    decided from it in `permissions.py`, never with Django's `has_perm`.
    """

    class Role(models.TextChoices):
        COUNSELOR = "counselor", _("Counselor")
        COORDINATOR = "coordinator", _("Coordinator / driver")
        LEADER = "leader", _("Leader")
        ADMIN = "admin", _("Administrator")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("team"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    external_key = models.CharField(_("external key"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # When the last invitation e-mail was sent; whether it was accepted is derived from the
    # user (a usable password), never typed in.
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True, editable=False)
    # Bumped by every change of role or team (services.membership_update): stale-write check.
    revision = models.PositiveIntegerField(_("revision"), default=0, editable=False)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(is_active=True), name="membership_one_active_per_user"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "role"], name="membership_org_role"),
            # The interchange import finds staff by the source system's key.
            models.Index(fields=["organisation", "external_key"], name="membership_org_extkey"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.organisation})"

    @property
    def follows_participants(self) -> bool:
        return self.role in {self.Role.COUNSELOR, self.Role.COORDINATOR, self.Role.LEADER}

    @property
    def is_leader(self) -> bool:
        return self.role == self.Role.LEADER

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN
