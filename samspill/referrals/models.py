"""Referral intake ("henvendelser"): a person referred to the organisation, by whom, what is
asked, who takes it and what came of it. Personal data of people who are not participants
(yet), so it has its own door (`Referral.objects.visible_to`) and its own access log."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samspill.audit.models import AppendOnlyModel
from samspill.organisations.models import Organisation
from samspill.participants.models import NeedGroup, Outcome, Participant

__all__ = ["Clarification", "Outcome", "Referral", "Source"]


class Source(models.TextChoices):
    """Who referred the person. The values are the interchange format's (referrals.csv)."""

    YOUTH_DEPARTMENT = "youth_department", _("Youth department")
    QUALIFICATION_PROGRAMME = "qualification_programme", _("Qualification programme")
    INTRODUCTION_PROGRAMME = "introduction_programme", _("Introduction programme")
    STREET_TEAM = "street_team", _("Street team")
    CHILD_WELFARE = "child_welfare", _("Child welfare")
    CONTACT_24H = "contact_24h", _("24-hour contact")
    RECEPTION = "reception", _("Reception")
    SELF = "self", _("The person themself")
    OTHER = "other", _("Other")


class ReferralQuerySet(models.QuerySet["Referral"]):
    def visible_to(self, user: object) -> "ReferralQuerySet":
        """The one door: referrals `user` may read (see permissions.referral_scope)."""
        from samspill.referrals.permissions import referral_scope

        return self.filter(referral_scope(user))


class Referral(models.Model):
    """One referral of a person to the organisation; becomes a participant when taken in."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="referrals",
        db_index=False,  # referral_org_received leads with it
        verbose_name=_("organisation"),
    )
    source = models.CharField(_("source"), max_length=30, choices=Source.choices)
    source_other = models.CharField(
        _("other source"),
        max_length=200,
        blank=True,
        help_text=_("Who referred the person, when the source is “Other”."),
    )
    received_on = models.DateField(_("received"))
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    asked_for = models.TextField(
        _("what is asked"), help_text=_("What the person or the referrer asks for.")
    )
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("taken by"),
    )
    need_group = models.CharField(
        _("need group"), max_length=20, choices=NeedGroup.choices, blank=True
    )
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices, blank=True)
    outcome_on = models.DateField(_("outcome date"), null=True, blank=True)
    participant = models.ForeignKey(
        Participant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        editable=False,
        verbose_name=_("participant"),
    )
    external_key = models.CharField(_("external key"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-received_on", "-id"]
        # One index for each of the list's filters, within an organisation; the first also
        # serves the list's order and the statistics' period.
        indexes = [
            models.Index(
                fields=["organisation", "received_on", "id"], name="referral_org_received"
            ),
            models.Index(fields=["organisation", "taken_by"], name="referral_org_taken_by"),
            models.Index(fields=["organisation", "source"], name="referral_org_source"),
            models.Index(fields=["organisation", "outcome"], name="referral_org_outcome"),
            # The interchange import finds referrals by the source system's key.
            models.Index(fields=["organisation", "external_key"], name="referral_org_extkey"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.received_on})"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def source_display(self) -> str:
        if self.source == Source.OTHER and self.source_other:
            return f"{self.get_source_display()}: {self.source_other}"
        return str(self.get_source_display())


class ReferralAccessLog(AppendOnlyModel):
    """One read of a referral: who, which, when, what and why.

    The audit app's AccessLog is for participants (its participant is required); a referral
    that is not (yet) a participant is logged here instead, the same way. Reads of a referral
    that has been made a participant are also written to the participant's access log.
    Append-only like the audit app's (audit/append_only.py): the model refuses changes and
    deletes, and on PostgreSQL so does a trigger (migration 0006), both lifted only by the
    erasure and retention operations.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("who")
    )
    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="+", verbose_name=_("referral")
    )
    accessed_at = models.DateTimeField(_("when"), auto_now_add=True)
    what = models.CharField(
        _("what"), max_length=100, help_text=_("The page or API route that was read.")
    )
    why = models.CharField(
        _("why"), max_length=30, help_text=_("The relationship that allowed the read.")
    )

    class Meta:
        verbose_name = _("referral access log entry")
        verbose_name_plural = _("referral access log")
        ordering = ["-accessed_at", "-id"]
        indexes = [
            models.Index(fields=["referral", "-accessed_at"], name="refaccess_referral_time"),
            models.Index(fields=["actor", "-accessed_at"], name="refaccess_actor_time"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_id} → referral {self.referral_id} ({self.what})"


class Clarification(models.Model):
    """A clarification before practice (as KOM does it): for a while the referred person
    comes to the organisation's own arena, and staff check attendance and motivation before
    anyone asks an employer. The newest clarification of a referral is the one that counts;
    a placement is drafted for a referred participant only when it says "ready"."""

    class Motivation(models.TextChoices):
        HIGH = "high", _("Clearly motivated")
        SOME = "some", _("Somewhat motivated")
        LOW = "low", _("Little motivation yet")

    class Result(models.TextChoices):
        READY = "ready", _("Ready for practice")
        NOT_YET = "not_yet", _("Not ready yet")
        NOT_SUITABLE = "not_suitable", _("Practice is not suitable")

    referral = models.ForeignKey(
        Referral,
        on_delete=models.CASCADE,
        related_name="clarifications",
        verbose_name=_("referral"),
    )
    first_day = models.DateField(_("first day attended"))
    last_day = models.DateField(_("last day attended"))
    days_attended = models.PositiveSmallIntegerField(_("days attended"))
    attendance_ok = models.BooleanField(_("attendance good enough"))
    motivation = models.CharField(_("motivation"), max_length=10, choices=Motivation.choices)
    note = models.TextField(_("note"), blank=True)
    result = models.CharField(_("result"), max_length=20, choices=Result.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("clarification")
        verbose_name_plural = _("clarifications")
        ordering = ["-recorded_at", "-id"]
        indexes = [
            models.Index(fields=["referral", "-recorded_at"], name="clarification_referral"),
        ]

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.result}"
