"""`samspill export DIR [--org KEY] [--research --by EMAIL]`: write the interchange format."""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from samspill.accounts.models import User
from samspill.interchange.exporting import key
from samspill.interchange.services import interchange_export, interchange_research_export
from samspill.organisations.models import Membership, Organisation


class Command(BaseCommand):
    help = "Export to an interchange folder (all organisations, or one with --org)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path)
        parser.add_argument("--org", metavar="KEY", help="Only the organisation with this key.")
        parser.add_argument(
            "--research",
            action="store_true",
            help="Pseudonymised research export of one organisation (needs --by, an admin).",
        )
        parser.add_argument("--by", metavar="EMAIL", help="The administrator who exports.")

    def handle(self, *args: Any, **options: Any) -> None:
        folder: Path = options["folder"]
        if folder.exists() and any(folder.iterdir()):
            raise CommandError(f"{folder} is not empty.")
        organisations = Organisation.objects.all()
        if options["org"]:
            organisations = organisations.annotate(k=key()).filter(k=options["org"])
            if not organisations.exists():
                raise CommandError(f"No organisation has the key {options['org']}.")
        if options["research"]:
            counts = self._research(folder, organisations, options["by"])
        else:
            counts = interchange_export(folder=folder, organisations=organisations)
        for name, rows in counts.items():
            self.stdout.write(f"{name}: {rows} rows")

    def _research(self, folder: Path, organisations: Any, email: str | None) -> dict[str, int]:
        by = User.objects.filter(email=email).first() if email else None
        membership = (
            Membership.objects.filter(user=by, is_active=True)
            .select_related("organisation")
            .first()
            if by is not None
            else None
        )
        if by is None or membership is None:
            raise CommandError("A research export needs --by, the e-mail of an administrator.")
        if not organisations.filter(pk=membership.organisation_id).exists():
            raise CommandError("--org must be the administrator's own organisation.")
        try:
            return interchange_research_export(
                folder=folder, organisation=membership.organisation, by=by
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
