"""`samspill outbox list|deliver|resend ID`: the e-mail outbox for an operator.

- `list`: messages not sent (waiting, being sent or in doubt, failed), newest first;
- `deliver`: send what is due now, in this process (the worker does it by itself);
- `resend ID`: send a message in doubt after a crash (or failed) once more;
- `sent ID`: a message in doubt that the relay's log shows it accepted: never send it again.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from samspill.outbox import services
from samspill.outbox.models import Message


class Command(BaseCommand):
    help = "The e-mail outbox: list what is not sent, deliver what is due, resend one."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="Messages not sent, newest first.")
        sub.add_parser("deliver", help="Send what is due now.")
        resend = sub.add_parser("resend", help="Send a message in doubt or failed once more.")
        resend.add_argument("id", type=int)
        sent = sub.add_parser("sent", help="Mark a message in doubt as accepted by the relay.")
        sent.add_argument("id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "deliver":
            self.stdout.write(f"sent {services.outbox_deliver_due()} e-mail(s)")
        elif action == "list":
            rows = Message.objects.exclude(status=Message.Status.SENT).order_by("-pk")[:200]
            for message in rows:
                self.stdout.write(
                    f"{message.pk}\t{message.status}\t{message.attempts}\t"
                    f"{message.created_at:%Y-%m-%d %H:%M}\t{message.message_id}\t"
                    f"{message.last_error[:80]}"
                )
        else:
            found = Message.objects.filter(pk=options["id"]).first()
            if found is None:
                raise CommandError(f"No message {options['id']}.")
            try:
                if action == "resend":
                    services.outbox_resend(message=found)
                else:
                    services.outbox_mark_sent(message=found)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
            done = "will be sent again" if action == "resend" else "is marked sent"
            self.stdout.write(f"message {found.pk} {done}")
