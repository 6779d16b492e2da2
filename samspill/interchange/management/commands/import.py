"""`samspill import DIR`: import an interchange folder (docs/interchange.md).

The module is named after the command; `import` is a keyword, but Django loads commands with
importlib, which does not mind."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from samspill.accounts.models import User
from samspill.interchange.report import ImportRejected
from samspill.interchange.services import interchange_import


class Command(BaseCommand):
    help = "Import an interchange folder: validate everything, then write all of it or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path)
        parser.add_argument(
            "--by",
            metavar="EMAIL",
            help="The user the audit trail names (and the creator of placements in periods "
            "without a counselor).",
        )
        parser.add_argument(
            "--bulk",
            action="store_true",
            help="PostgreSQL, for the first import of a large organisation in a maintenance "
            "window: rebuild the written tables' indexes and foreign keys after the writing "
            "instead of row by row. Those tables and the ones they refer to (users, "
            "organisations) are locked, so Samspill is unavailable until the import is done.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        folder: Path = options["folder"]
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder.")
        by = None
        if options["by"]:
            by = User.objects.filter(email=options["by"]).first()
            if by is None:
                raise CommandError(f"No user has the e-mail address {options['by']}.")
        if options["bulk"] and connection.vendor != "postgresql":
            raise CommandError("--bulk is for PostgreSQL.")
        try:
            # A command is its own process: a large folder may be read by worker processes.
            report = interchange_import(folder=folder, by=by, bulk=options["bulk"], parallel=True)
        except ImportRejected as rejected:
            failed = rejected.report
            for error in failed.errors:
                where = ":".join(str(part) for part in (error.file, error.line) if part)
                column = f" [{error.column}]" if error.column else ""
                self.stderr.write(f"{where}{column}: {error.message}")
            if failed.error_count > len(failed.errors):
                self.stderr.write(f"... and {failed.error_count - len(failed.errors)} more")
            raise CommandError(f"{failed.error_count} errors; nothing was imported.") from None
        for name, rows in report.rows.items():
            ended = report.updated.get(name, 0)
            self.stdout.write(
                f"{name}: {rows} rows, {report.created.get(name, 0)} new"
                + (f", {ended} ended since the last import" if ended else "")
            )
