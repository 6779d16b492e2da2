"""A relay for tests (EMAIL_BACKEND): down, up, or accepting a message and then dying."""

from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends import locmem


class ProcessKilled(BaseException):
    """Stands in for SIGKILL: not an Exception, so no handler of ours catches it."""


class Relay(locmem.EmailBackend):
    down = False
    die_after_accepting = False

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        if Relay.down:
            raise ConnectionRefusedError(111, "Connection refused")
        sent = super().send_messages(email_messages)
        if Relay.die_after_accepting:
            raise ProcessKilled
        return sent
