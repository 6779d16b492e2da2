"""Apprenticeship offices (opplæringskontor) as partners (issue 22, item 11).

An office is owned by the member companies that take apprentices; it signs the apprenticeship
contracts and follows the apprentices. The organisation works with the office's own contact
person, and records which of its employers are members.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from samspill.organisations.models import Organisation


class ApprenticeshipOffice(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    contact_phone = models.CharField(_("phone"), max_length=30, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=5000)
    members = models.ManyToManyField(
        "employers.Employer",
        blank=True,
        related_name="apprenticeship_offices",
        verbose_name=_("member employers"),
    )
    revision = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("apprenticeship office")
        verbose_name_plural = _("apprenticeship offices")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name
