"""Employers in the organisation's network. The full employer base (contacts, mentors,
agreements, pipeline) builds on this model."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from samspill.organisations.models import Organisation


class Employer(models.Model):
    """A business or public employer that offers work training, jobs or apprenticeships."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="employers",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    org_number = models.CharField(
        _("organisation number"),
        max_length=9,
        help_text=_("Norwegian organisation number (9 digits) or Danish CVR (8 digits)."),
    )
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    external_key = models.CharField(_("external key"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "org_number"], name="employer_unique_orgnr_per_org"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "name"], name="employer_org_name")]

    def __str__(self) -> str:
        return self.name
