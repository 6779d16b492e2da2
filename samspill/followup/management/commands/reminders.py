from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from samspill.followup.tasks import schedule_and_send_reminders


class Command(BaseCommand):
    help = "Enqueue the daily reminder task (or run it now with --now)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now", action="store_true", help="Run in this process instead of enqueueing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            result = schedule_and_send_reminders.call()
            self.stdout.write(
                f"created {result['created']} reminders, sent {result['sent']} e-mails"
            )
        else:
            enqueued = schedule_and_send_reminders.enqueue()
            self.stdout.write(f"enqueued task {enqueued.id}")
