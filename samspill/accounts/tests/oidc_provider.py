"""A tiny OpenID Connect provider on a thread, for the sign-in tests: discovery, JWKS, an
authorization endpoint that signs in whoever the test chose, and a token endpoint that checks
the client secret and the PKCE verifier and answers with an RS256 ID token."""

import base64
import hashlib
import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client, override_settings

CLIENT_ID = "samspill-test"
CLIENT_SECRET = "test-secret-" + "x" * 20
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
KID = "test-key-1"


class Provider:
    """The provider's state: the identity the next authorization signs in, and the codes."""

    def __init__(self) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.provider = self  # type: ignore[attr-defined]
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.codes: dict[str, dict[str, Any]] = {}
        self.next_claims: dict[str, Any] = {}
        # The ID tokens it issued, and the `id_token_hint`s of the sign-outs it was asked for.
        self.issued: list[str] = []
        self.ended: list[str] = []

    def settings(self) -> dict[str, Any]:
        return {
            "OIDC_ISSUER": self.issuer,
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.issuer}/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.issuer}/token",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.issuer}/jwks",
            "OIDC_OP_LOGOUT_ENDPOINT": f"{self.issuer}/logout",
        }

    def issue_code(
        self, claims: dict[str, Any], *, nonce: str, code_challenge: str, redirect_uri: str = ""
    ) -> str:
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "claims": claims,
            "nonce": nonce,
            "code_challenge": code_challenge,
            "redirect_uri": redirect_uri,
        }
        return code

    def id_token(self, claims: dict[str, Any], nonce: str) -> str:
        now = int(time.time())
        payload = {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            **claims,
        }
        token = jwt.encode(payload, KEY, algorithm="RS256", headers={"kid": KID})
        self.issued.append(token)
        return token


class _Handler(BaseHTTPRequestHandler):
    server: Any

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _json(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        provider: Provider = self.server.provider
        url = urlsplit(self.path)
        if url.path == "/.well-known/openid-configuration":
            self._json(
                200,
                {
                    "issuer": provider.issuer,
                    "authorization_endpoint": f"{provider.issuer}/authorize",
                    "token_endpoint": f"{provider.issuer}/token",
                    "jwks_uri": f"{provider.issuer}/jwks",
                    "end_session_endpoint": f"{provider.issuer}/logout",
                    "id_token_signing_alg_values_supported": ["RS256"],
                },
            )
        elif url.path == "/jwks":
            jwk = jwt.algorithms.RSAAlgorithm.to_jwk(KEY.public_key(), as_dict=True)
            self._json(200, {"keys": [{**jwk, "kid": KID, "alg": "RS256", "use": "sig"}]})
        elif url.path == "/authorize":
            query = {key: values[0] for key, values in parse_qs(url.query).items()}
            code = provider.issue_code(
                provider.next_claims,
                nonce=query["nonce"],
                code_challenge=query["code_challenge"],
                redirect_uri=query["redirect_uri"],
            )
            self.send_response(302)
            target = urlencode({"code": code, "state": query["state"]})
            self.send_header("Location", f"{query['redirect_uri']}?{target}")
            self.end_headers()
        elif url.path == "/logout":
            # RP-initiated logout: a hint it issued for this client, then back to the client.
            query = {key: values[0] for key, values in parse_qs(url.query).items()}
            hint = query.get("id_token_hint", "")
            if hint not in provider.issued or query.get("client_id") != CLIENT_ID:
                self._json(400, {"error": "invalid_request"})
                return
            provider.ended.append(hint)
            self.send_response(302)
            self.send_header("Location", query["post_logout_redirect_uri"])
            self.end_headers()
        else:
            self._json(404, {"error": "not_found"})

    def do_POST(self) -> None:
        provider: Provider = self.server.provider
        length = int(self.headers.get("Content-Length", "0"))
        form = {
            key: values[0] for key, values in parse_qs(self.rfile.read(length).decode()).items()
        }
        grant = provider.codes.pop(form.get("code", ""), None)
        verifier = form.get("code_verifier", "")
        challenge = (
            base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
        ).decode()
        if (
            urlsplit(self.path).path != "/token"
            or grant is None
            or form.get("client_id") != CLIENT_ID
            or form.get("client_secret") != CLIENT_SECRET
            or challenge != grant["code_challenge"]
        ):
            self._json(400, {"error": "invalid_grant"})
            return
        self._json(
            200,
            {
                "access_token": secrets.token_urlsafe(16),
                "token_type": "Bearer",
                "id_token": provider.id_token(grant["claims"], grant["nonce"]),
            },
        )


@contextmanager
def running_provider() -> Iterator[Provider]:
    """A provider serving on a free port, with Samspill's settings pointing at it."""
    provider = Provider()
    thread = threading.Thread(target=provider.server.serve_forever, daemon=True)
    thread.start()
    try:
        with override_settings(**provider.settings()):
            yield provider
    finally:
        provider.server.shutdown()
        provider.server.server_close()


def start_params(client: Client) -> dict[str, str]:
    """`/oidc/start/` in `client`; the parameters it sends to the provider."""
    response = client.get("/oidc/start/")
    assert response.status_code == 302, response.status_code
    return {
        key: values[0] for key, values in parse_qs(urlsplit(response["Location"]).query).items()
    }


def sign_in(
    client: Client,
    provider: Provider,
    claims: dict[str, Any],
    *,
    nonce: str | None = None,
    state: str | None = None,
) -> Any:
    """The whole round trip, with the provider signing `claims` (a wrong `nonce` or `state`
    when given). Answers the callback's response."""
    params = start_params(client)
    code = provider.issue_code(
        claims, nonce=nonce or params["nonce"], code_challenge=params["code_challenge"]
    )
    return client.get("/oidc/callback/", {"code": code, "state": state or params["state"]})
