"""An organisation's own wording of a measure in the catalogue (issue 22, item 10).

The catalogue itself is kept per country in `placements/measures.py`; an administrator may
rewrite a measure for their organisation, stored here and read instead of the country's text.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from samspill.organisations.models import Organisation


class MeasureText(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # measure_text_one_per_key leads with it
        verbose_name=_("organisation"),
    )
    key = models.CharField(_("measure"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    what = models.TextField(_("what it is"), max_length=2000)
    who = models.TextField(_("who it is for"), max_length=2000)
    employer_gets = models.TextField(_("what the employer gets"), max_length=2000)
    how_long = models.CharField(_("how long"), max_length=300)
    revision = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("measure text")
        verbose_name_plural = _("measure texts")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key"], name="measure_text_one_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.key}"
