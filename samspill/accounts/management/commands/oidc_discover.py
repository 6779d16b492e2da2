"""`samspill oidc_discover ISSUER` reads the provider's discovery document
(ISSUER/.well-known/openid-configuration) and prints the OIDC_* variables to set, so that
nothing is fetched when Samspill starts."""

from typing import Any

import requests
from django.core.management.base import BaseCommand, CommandError, CommandParser

# Discovery document field -> our variable.
FIELDS = {
    "issuer": "OIDC_ISSUER",
    "authorization_endpoint": "OIDC_AUTHORIZATION_ENDPOINT",
    "token_endpoint": "OIDC_TOKEN_ENDPOINT",
    "jwks_uri": "OIDC_JWKS_URI",
}


class Command(BaseCommand):
    help = "Print the OIDC_* settings read from an OpenID Connect provider's discovery document."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("issuer", help="The issuer, e.g. https://login.example.org/tenant/v2.0")

    def handle(self, *args: Any, **options: Any) -> None:
        url = options["issuer"].rstrip("/") + "/.well-known/openid-configuration"
        try:
            response = requests.get(url, timeout=10)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as error:
            raise CommandError(f"Could not read {url}: {error}") from error
        missing = [field for field in FIELDS if not document.get(field)]
        if missing:
            raise CommandError(f"{url} has no {', '.join(missing)}.")
        for field, variable in FIELDS.items():
            self.stdout.write(f"{variable}={document[field]}")
        if document.get("end_session_endpoint"):  # optional: RP-initiated logout
            self.stdout.write(f"OIDC_END_SESSION_ENDPOINT={document['end_session_endpoint']}")
        algorithms = document.get("id_token_signing_alg_values_supported") or ["RS256"]
        self.stdout.write(f"OIDC_SIGN_ALGO={'RS256' if 'RS256' in algorithms else algorithms[0]}")
        self.stdout.write("# and OIDC_CLIENT_ID, OIDC_CLIENT_SECRET from your registration")
