"""The loop as a learning arena (issue 22, item 3): the network meetings of a loop's employers
and mentors, recorded by the driver or the organisation's staff (meetings.py)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samspill.employers.models import EmployerContact


class NetworkMeeting(models.Model):
    """A meeting of the loop's employers and mentors: who came, the minutes, what they learned
    and what they will change."""

    loop = models.ForeignKey(
        "loops.Loop",
        on_delete=models.CASCADE,
        related_name="network_meetings",
        verbose_name=_("loop"),
    )
    held_on = models.DateField(_("date"))
    attendees = models.ManyToManyField(
        EmployerContact, blank=True, related_name="network_meetings", verbose_name=_("attended")
    )
    minutes = models.TextField(_("minutes"))
    learned = models.TextField(_("what we learned"), blank=True)
    will_change = models.TextField(_("what we will change"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)

    class Meta:
        verbose_name = _("network meeting")
        verbose_name_plural = _("network meetings")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.loop_id}: {self.held_on}"
