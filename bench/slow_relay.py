"""An SMTP relay stand-in for the fault bench: takes `SLOW_RELAY_SECONDS` per message (0.1 by
default), then accepts it by writing it to EMAIL_FILE_PATH (Django's file backend)."""

import os
import time
from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends import filebased


class SlowRelay(filebased.EmailBackend):
    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("file_path", os.environ["EMAIL_FILE_PATH"])
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        time.sleep(float(os.environ.get("SLOW_RELAY_SECONDS", "0.1")) * len(email_messages))
        return super().send_messages(email_messages)
