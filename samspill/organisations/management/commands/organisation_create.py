"""`samspill organisation_create --name ... --kind ... --country ... --admin-email ...
--admin-name ...` makes an organisation with its first administrator (a platform operator's
act: Django admin writes nothing) and prints a one-time link for the administrator to choose a
password. Everything after that the administrator does on the organisation's own pages."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations

from samspill.accounts.links import one_time_link
from samspill.accounts.models import User
from samspill.organisations.models import Organisation
from samspill.organisations.provisioning import organisation_create

# The service's field names, as the options that set them.
OPTION_OF = {
    "name": "--name",
    "kind": "--kind",
    "country": "--country",
    "email": "--admin-email",
    "full_name": "--admin-name",
}


def password_link(user: User) -> str:
    """Django's own password-reset link: it works once, for PASSWORD_RESET_TIMEOUT."""
    return one_time_link(user, "password_reset_confirm")


class Command(BaseCommand):
    help = "Create an organisation with its first administrator."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="The organisation's name.")
        parser.add_argument("--kind", required=True, choices=Organisation.Kind.values)
        parser.add_argument("--country", required=True, choices=Organisation.Country.values)
        parser.add_argument(
            "--admin-email", required=True, help="The first administrator's e-mail address."
        )
        parser.add_argument(
            "--admin-name", required=True, help="The first administrator's full name."
        )

    @no_translations
    def handle(self, *args: Any, **options: Any) -> None:
        try:
            organisation, administrator = organisation_create(
                name=options["name"],
                kind=options["kind"],
                country=options["country"],
                admin_email=options["admin_email"],
                admin_name=options["admin_name"],
            )
        except ValidationError as error:
            raise CommandError(
                " ".join(
                    f"{OPTION_OF.get(field, field)}: {message}"
                    for field, messages in error.message_dict.items()
                    for message in messages
                )
            ) from None
        self.stdout.write(
            f"Created {organisation.name} (id {organisation.pk}) with {administrator.email} as "
            f"its administrator. Send them this link to choose a password (it works once):"
        )
        self.stdout.write(password_link(administrator))
