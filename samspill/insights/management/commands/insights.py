"""`samspill insights effects [--org KEY] --format json`: the effects analysis on the command
line (all organisations together without --org)."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samspill.insights import effects
from samspill.organisations.models import Organisation


class Command(BaseCommand):
    help = "Insights on the organisation's own data."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="analysis", required=True)
        run = sub.add_parser("effects", help="Hazard ratios of belief and counselor changes.")
        run.add_argument("--org", help="The organisation's external key (default: all).")
        run.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation_id = None
        if options.get("org"):
            organisation = Organisation.objects.filter(external_key=options["org"]).first()
            if organisation is None:
                raise CommandError(f"No organisation with the key {options['org']!r}.")
            organisation_id = organisation.pk
        try:
            result = effects.estimate(organisation_id)
        except effects.TooFewData as refusal:
            raise CommandError(str(refusal)) from refusal
        if options["format"] == "json":
            keys = ("belief", "counselor_change", "n_participants", "n_events")
            self.stdout.write(json.dumps({key: result[key] for key in keys}))
        else:
            for line in effects.reading(result):
                self.stdout.write(line)
            self.stdout.write(
                f"n_participants={result['n_participants']} n_events={result['n_events']}"
            )
