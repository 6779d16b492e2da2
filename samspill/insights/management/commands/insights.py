"""`samspill insights effects|fidelity|creaming`: the insights on the command line.

- `effects [--org KEY] --format json`: hazard ratios of belief and counselor changes (all
  organisations together without --org);
- `fidelity --date D [--org KEY] --format json`: fidelity per counselor, team and organisation,
  keyed by external keys (every organisation without --org);
- `creaming [--org KEY] [--start D] [--end D] --format json`: need groups of those referred
  against those placed (the last 12 months by default).
"""

import datetime
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from samspill.insights import creaming, effects, fidelity
from samspill.organisations.models import Organisation


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value!r}") from error


class Command(BaseCommand):
    help = "Insights on the organisation's own data."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="analysis", required=True)
        run = sub.add_parser("effects", help="Hazard ratios of belief and counselor changes.")
        run.add_argument("--org", help="The organisation's external key (default: all).")
        run.add_argument("--format", choices=["json", "text"], default="text")
        run = sub.add_parser("fidelity", help="IPS fidelity on a date.")
        run.add_argument("--date", required=True, type=_date)
        run.add_argument("--org", help="The organisation's external key (default: each).")
        run.add_argument("--format", choices=["json", "text"], default="text")
        run = sub.add_parser("creaming", help="Need groups of those referred and placed.")
        run.add_argument("--org", help="The organisation's external key (default: each).")
        run.add_argument("--start", type=_date)
        run.add_argument("--end", type=_date)
        run.add_argument("--format", choices=["json", "text"], default="text")

    def _organisations(self, key: str | None) -> list[Organisation]:
        if not key:
            return list(Organisation.objects.order_by("id"))
        organisation = Organisation.objects.filter(external_key=key).first()
        if organisation is None:
            raise CommandError(f"No organisation with the key {key!r}.")
        return [organisation]

    def handle(self, *args: Any, **options: Any) -> None:
        analysis = options["analysis"]
        if analysis == "effects":
            self._effects(options)
            return
        organisations = self._organisations(options.get("org"))
        results = {}
        for organisation in organisations:
            key = organisation.external_key or f"organisation:{organisation.pk}"
            if analysis == "fidelity":
                results[key] = fidelity.compute(organisation, options["date"])
            else:
                end = options.get("end") or timezone.localdate()
                start = options.get("start") or end - datetime.timedelta(days=365)
                if start > end:
                    raise CommandError("The start must be on or before the end.")
                results[key] = creaming.compute(organisation, start, end)
        output = results[next(iter(results))] if options.get("org") else results
        if options["format"] == "json":
            self.stdout.write(json.dumps(output, ensure_ascii=False))
        else:
            self.stdout.write(json.dumps(output, ensure_ascii=False, indent=2))

    def _effects(self, options: dict[str, Any]) -> None:
        organisation_id = None
        if options.get("org"):
            organisation_id = self._organisations(options["org"])[0].pk
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
