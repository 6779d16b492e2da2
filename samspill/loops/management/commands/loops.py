"""`samspill loops seat INSTANCE.json [--format json|text]`: seat candidates in loops."""

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from samspill.loops.explain import explain_seat, explain_waiting
from samspill.loops.formation import (
    DEFAULT_TIME_LIMIT,
    Instance,
    InvalidInstanceError,
    Method,
    Seating,
    Status,
    parse_instance,
    seat,
)


class Command(BaseCommand):
    help = "jobbLOOP tools. `seat`: seat candidates in loops optimally (issue 6 instance format)."
    # Pure computation: no database, no need for the system checks.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="subcommand")
        seat_parser = subcommands.add_parser(
            "seat",
            help="Seat the candidates of an instance in its loops.",
            description="Reads an instance ({loops, candidates, interest, forbidden}) and "
            'prints {"objective", "seated", "seats", "waiting"}.',
        )
        seat_parser.add_argument("instance", help="the instance as JSON; - reads standard input")
        seat_parser.add_argument("--format", choices=["json", "text"], default="json")
        seat_parser.add_argument(
            "--method",
            choices=[m.value for m in Method],
            default=Method.AUTO.value,
            help="auto: the exact assignment for loops of 2-3 employers, CP-SAT otherwise",
        )
        seat_parser.add_argument(
            "--time-limit",
            type=float,
            default=DEFAULT_TIME_LIMIT,
            help="seconds CP-SAT may take; after that the best seating found is printed",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        instance = self._read(options["instance"])
        seating = seat(instance, method=Method(options["method"]), time_limit=options["time_limit"])
        if options["format"] == "json":
            self.stdout.write(json.dumps(seating.as_dict(), ensure_ascii=False))
            if seating.status != Status.OPTIMAL:
                self.stderr.write(_("Feasible, not proven optimal (time limit reached)."))
        else:
            self.stdout.write(self._text(instance, seating))

    def _read(self, path: str) -> Instance:
        try:
            if path == "-":
                data = json.load(sys.stdin)
            else:
                with open(path, encoding="utf-8") as file:
                    data = json.load(file)
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from error
        except json.JSONDecodeError as error:
            raise CommandError(f"{path} is not valid JSON: {error}") from error
        try:
            return parse_instance(data)
        except InvalidInstanceError as error:
            raise CommandError(f"invalid instance {path}: {error}") from error

    def _text(self, instance: Instance, seating: Seating) -> str:
        status = (
            _("optimal") if seating.status == Status.OPTIMAL else _("feasible, not proven optimal")
        )
        lines = [
            _(
                "Seated %(seated)s of %(candidates)s candidates, total value %(objective)s "
                "(%(status)s; %(method)s, %(seconds).2f s)."
            )
            % {
                "seated": seating.seated,
                "candidates": len(instance.candidates),
                "objective": seating.objective,
                "status": status,
                "method": seating.method.value,
                "seconds": seating.seconds,
            }
        ]
        for loop in instance.loops:
            lines += ["", _("Loop %(loop)s") % {"loop": loop.key}]
            for s in (s for s in seating.seats if s.loop == loop.key):
                lines.append(
                    "  "
                    + _("%(candidate)s: %(order)s (value %(value)s)")
                    % {"candidate": s.candidate, "order": " → ".join(s.order), "value": s.value}
                )
                lines += [f"    {sentence}" for sentence in explain_seat(instance, s)]
        if seating.waiting:
            lines += ["", _("Waiting list:")]
            lines += [f"  {explain_waiting(instance, c)}" for c in seating.waiting]
        return "\n".join(lines)
