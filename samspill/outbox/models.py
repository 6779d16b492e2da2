"""The outbox: e-mail written in the same transaction as the change it tells of, and sent after
commit (services.py explains the delivery and what happens after a crash)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Message(models.Model):
    """One e-mail to send. Its Message-ID is fixed when it is written, so every attempt sends
    the same message and a receiving server or mail client can tell a repeat."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    to = models.JSONField(_("to"), help_text="A list of e-mail addresses.")
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    # Set (and committed) before the relay is asked: a message SENDING whose attempt is old was
    # interrupted by a crash, and may or may not have reached the relay.
    attempt_started_at = models.DateTimeField(_("attempt started"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("e-mail message")
        verbose_name_plural = _("e-mail messages")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_due",
                condition=Q(status="pending"),
            ),
            models.Index(fields=["status", "created_at"], name="outbox_status"),
        ]

    def __str__(self) -> str:
        return f"{self.message_id} {self.status}"
