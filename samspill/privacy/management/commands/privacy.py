"""`samspill privacy export|erase|retention|rule|hold|lift`: the data-protection operations for an
administrator of the installation.

- `export --participant ID --output FILE` (or `--user ID` for a staff member): everything
  about the person, as JSON, or as PDF when FILE ends in .pdf;
- `erase --participant ID --reason TEXT [--force]`: anonymise the person everywhere, keeping a
  tombstone; refused while a follow-up period is open or a legal hold exists, unless --force;
- `retention [--apply]`: what the retention rules say is due (a dry run), or do it;
- `rule --organisation ID --category C --months N`: set a retention rule;
- `hold --participant ID --reason TEXT`, `lift --hold ID`: legal holds.
"""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from samspill.accounts.models import User
from samspill.participants.models import Participant
from samspill.privacy import exporting, services
from samspill.privacy.models import LegalHold, RetentionRule


class Command(BaseCommand):
    help = "Data protection: export everything about a person, erase a person."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="Everything about one person, as JSON or PDF.")
        who = export.add_mutually_exclusive_group(required=True)
        who.add_argument("--participant", type=int, help="A participant's number.")
        who.add_argument("--user", type=int, help="A staff member's user number.")
        export.add_argument("--output", required=True, help="FILE.json, or FILE.pdf for a PDF.")
        erase = sub.add_parser("erase", help="Anonymise a participant everywhere.")
        erase.add_argument("--participant", type=int, required=True)
        erase.add_argument("--reason", required=True)
        erase.add_argument(
            "--force",
            action="store_true",
            help="Erase although a follow-up period is open or a legal hold exists.",
        )
        retention = sub.add_parser("retention", help="What the retention rules say is due.")
        retention.add_argument("--apply", action="store_true", help="Do what is due.")
        rule = sub.add_parser("rule", help="Set how long a category is kept in an organisation.")
        rule.add_argument("--organisation", type=int, required=True)
        rule.add_argument("--category", required=True, choices=RetentionRule.Category.values)
        rule.add_argument("--months", type=int, required=True)
        hold = sub.add_parser("hold", help="Place a legal hold on a participant's record.")
        hold.add_argument("--participant", type=int, required=True)
        hold.add_argument("--reason", required=True)
        lift = sub.add_parser("lift", help="Lift a legal hold.")
        lift.add_argument("--hold", type=int, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error

    def _export(self, options: dict[str, Any]) -> None:
        if options["participant"] is not None:
            participant = _participant(options["participant"])
            document = services.participant_export(participant=participant, by=None)
        else:
            user = User.objects.filter(pk=options["user"]).first()
            if user is None:
                raise CommandError(f"No user {options['user']}.")
            document = services.user_export(user=user, by=None)
        output = Path(options["output"])
        if output.suffix.lower() == ".pdf":
            output.write_bytes(exporting.as_pdf(document))
        else:
            output.write_bytes(exporting.as_json(document))
        rows = sum(len(table["rows"]) for table in document["tables"])
        self.stdout.write(f"wrote {output}: {len(document['tables'])} tables, {rows} rows")

    def _erase(self, options: dict[str, Any]) -> None:
        participant = _participant(options["participant"])
        erasure = services.participant_erase(
            participant=participant, reason=options["reason"], by=None, force=options["force"]
        )
        rows = sum(erasure.counts.values())
        self.stdout.write(
            f"erased participant {erasure.participant_id}: {rows} rows anonymised"
            + (" (forced)" if erasure.forced else "")
        )

    def _retention(self, options: dict[str, Any]) -> None:
        from samspill.privacy import retention

        report = retention.retention_run(apply=options["apply"])
        for line in report.lines():
            self.stdout.write(line)

    def _rule(self, options: dict[str, Any]) -> None:
        from samspill.organisations.models import Organisation
        from samspill.privacy import retention

        organisation = Organisation.objects.filter(pk=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation {options['organisation']}.")
        rule = retention.retention_rule_set(
            organisation=organisation,
            category=options["category"],
            months=options["months"],
            by=None,
        )
        self.stdout.write(f"{organisation.name}: {rule.category} kept {rule.months} months")

    def _hold(self, options: dict[str, Any]) -> None:
        participant = _participant(options["participant"])
        hold = services.legal_hold_place(participant=participant, reason=options["reason"], by=None)
        self.stdout.write(f"legal hold {hold.pk} placed on participant {participant.pk}")

    def _lift(self, options: dict[str, Any]) -> None:
        hold = LegalHold.objects.filter(pk=options["hold"]).first()
        if hold is None:
            raise CommandError(f"No legal hold {options['hold']}.")
        services.legal_hold_lift(hold=hold, by=None)
        self.stdout.write(f"legal hold {hold.pk} lifted")


def _participant(pk: int) -> Participant:
    participant = Participant.objects.select_related("organisation", "portal_user").filter(pk=pk)
    found = participant.first()
    if found is None:
        raise CommandError(f"No participant {pk}.")
    return found
