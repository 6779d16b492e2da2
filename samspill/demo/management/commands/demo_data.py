"""`samspill demo_data`: load the demo data once (samspill/demo/build.py) and print the logins.
Idempotent: a second run only prints the logins."""

from typing import Any

from django.core.management.base import BaseCommand

from samspill.demo import build


class Command(BaseCommand):
    help = "Load demo data (idempotent) and print the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        if not build.is_loaded():
            build.load()
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write("\n".join(build.logins()) + "\n")
