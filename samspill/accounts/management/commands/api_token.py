"""`samspill api_token create EMAIL NAME` prints a new API token once (only its hash is kept);
`samspill api_token revoke PREFIX` revokes the live token whose prefix that is."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from samspill.accounts.auth import api_token_create, api_token_revoke, token_prefix
from samspill.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = "Create or revoke API tokens for integrations."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Create a token and print it once.")
        create.add_argument("email", help="The e-mail address of the user the token acts as.")
        create.add_argument("name", help="What the token is for, e.g. the integration's name.")
        revoke = actions.add_parser("revoke", help="Revoke a token by its prefix.")
        revoke.add_argument("prefix", help="The prefix printed when the token was created.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "create":
            self.create(options["email"], options["name"])
        else:
            self.revoke(options["prefix"])

    def create(self, email: str, name: str) -> None:
        user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
        if user is None:
            raise CommandError(f"No active user with the e-mail address {email!r}.")
        try:
            token, key = api_token_create(user=user, name=name)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(key)
        self.stderr.write(
            f"Token {token.prefix!r} for {user.email}. Store it now: it cannot be shown again."
        )

    def revoke(self, prefix: str) -> None:
        tokens = list(
            ApiToken.objects.select_related("user").filter(
                prefix=token_prefix(prefix.strip()), revoked_at__isnull=True
            )[:2]
        )
        if not tokens:
            raise CommandError(f"No live token with the prefix {prefix!r}.")
        if len(tokens) > 1:
            raise CommandError(f"More than one live token has the prefix {prefix!r}.")
        token = api_token_revoke(token=tokens[0])
        self.stdout.write(f"Revoked {token} of {token.user.email}.")
