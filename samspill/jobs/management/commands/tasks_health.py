"""`samspill tasks_health`: what is wrong with background work, if anything (exit status 1)."""

import sys
from typing import Any

from django.core.management.base import BaseCommand

from samspill.jobs.health import task_problems


class Command(BaseCommand):
    help = "Report failed, stuck or waiting tasks, missed daily jobs and e-mail not sent."

    def handle(self, *args: Any, **options: Any) -> None:
        problems = task_problems()
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            sys.exit(1)
        self.stdout.write("background work: ok")
