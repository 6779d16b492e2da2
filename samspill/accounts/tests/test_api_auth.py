"""API authentication: bearer tokens for integrations, the session (with CSRF) for the browser,
and the `api_token` command."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from samspill.accounts.auth import api_token_create, api_token_revoke
from samspill.accounts.models import ApiToken
from samspill.audit.models import AuditEvent
from samspill.core.testing import client_for
from samspill.plans.models import Note

CSRF_SECRET = "s3cr3t" * 5 + "ab"  # 32 characters, like Django's own
NOTE = {"kind": "phone", "text": "Called.", "occurred_on": "2026-02-02"}


def bearer(key: str) -> dict[str, str]:
    return {"authorization": f"Bearer {key}"}


def test_it_accepts_a_bearer_token(counselor, participant):
    _token, key = api_token_create(user=counselor, name="Integration")

    response = Client().get("/api/v1/participants", headers=bearer(key))

    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_it_stores_only_the_hash(counselor):
    token, key = api_token_create(user=counselor, name="Integration")

    assert key.startswith("ssp_")
    assert token.key_hash == ApiToken.hash_key(key) != key
    assert key[4:12] == token.prefix
    assert not ApiToken.objects.filter(key_hash=key).exists()


@pytest.mark.parametrize(
    "header",
    ["Bearer ssp_wrong", "Bearer ", "Bearer ssp_a b", "Basic dXNlcjpwYXNz", "Bearer \u00e6\u00f8"],
)
def test_it_refuses_a_bad_authorization_header(counselor, participant, header):
    response = Client().get("/api/v1/participants", headers={"authorization": header})

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["detail"]


def test_it_refuses_a_revoked_token(counselor, participant):
    token, key = api_token_create(user=counselor, name="Integration")
    api_token_revoke(token=token)

    response = Client().get("/api/v1/participants", headers=bearer(key))

    assert response.status_code == 401


def test_it_refuses_a_token_of_a_deactivated_user(counselor, participant):
    _token, key = api_token_create(user=counselor, name="Integration")
    counselor.is_active = False
    counselor.save(update_fields=["is_active"])

    response = Client().get("/api/v1/participants", headers=bearer(key))

    assert response.status_code == 401


def test_a_bad_token_is_refused_even_with_a_valid_session(counselor, participant):
    response = client_for(counselor).get("/api/v1/participants", headers=bearer("ssp_wrong"))

    assert response.status_code == 401


def test_it_notes_when_a_token_was_last_used_at_most_once_a_minute(counselor, participant):
    token, key = api_token_create(user=counselor, name="Integration")
    client = Client(headers=bearer(key))

    client.get("/api/v1/participants")
    token.refresh_from_db()
    first_use = token.last_used_at
    client.get("/api/v1/participants")
    token.refresh_from_db()

    assert first_use is not None
    assert token.last_used_at == first_use

    long_ago = timezone.now() - datetime.timedelta(minutes=2)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=long_ago)
    client.get("/api/v1/participants")
    token.refresh_from_db()

    assert token.last_used_at > long_ago


def test_a_token_call_runs_no_write_within_the_minute(
    counselor, participant, django_assert_num_queries
):
    _token, key = api_token_create(user=counselor, name="Integration")
    client = Client(headers=bearer(key))
    client.get("/api/v1/participants")

    # Token and user, membership, count, page: no session, and no update of last_used_at.
    with django_assert_num_queries(4):
        client.get("/api/v1/participants")


def test_a_session_post_needs_the_csrf_token(counselor, participant):
    client = Client(enforce_csrf_checks=True)
    client.force_login(counselor)
    url = f"/api/v1/participants/{participant.pk}/notes"

    refused = client.post(url, NOTE, content_type="application/json")
    # What a page's CSRF cookie gives the browser's script, sent back in the header.
    client.cookies["csrftoken"] = CSRF_SECRET
    accepted = client.post(
        url, NOTE, content_type="application/json", headers={"x-csrftoken": CSRF_SECRET}
    )

    assert refused.status_code == 403
    assert refused.json()["detail"]
    assert accepted.status_code == 201
    assert Note.objects.count() == 1


def test_a_token_post_needs_no_csrf_token(counselor, participant):
    _token, key = api_token_create(user=counselor, name="Integration")
    client = Client(enforce_csrf_checks=True, headers=bearer(key))

    response = client.post(
        f"/api/v1/participants/{participant.pk}/notes",
        json.dumps(NOTE),
        content_type="application/json",
    )

    assert response.status_code == 201


def test_a_revoked_token_post_is_401_not_a_csrf_403(counselor, participant):
    token, key = api_token_create(user=counselor, name="Integration")
    api_token_revoke(token=token)
    client = Client(enforce_csrf_checks=True, headers=bearer(key))

    response = client.post(
        f"/api/v1/participants/{participant.pk}/notes",
        json.dumps(NOTE),
        content_type="application/json",
    )

    assert response.status_code == 401
    assert not Note.objects.exists()


def test_the_command_creates_a_token_and_prints_it_once(counselor, participant):
    out, err = io.StringIO(), io.StringIO()

    call_command(
        "api_token", "create", "Counselor@Example.org", "HR system", stdout=out, stderr=err
    )

    key = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert (token.user, token.name, token.key_hash) == (
        counselor,
        "HR system",
        ApiToken.hash_key(key),
    )
    assert token.prefix in err.getvalue()
    assert key not in err.getvalue()
    assert Client().get("/api/v1/participants", headers=bearer(key)).status_code == 200
    assert AuditEvent.objects.filter(action="api_token.created").count() == 1


def test_the_command_refuses_an_unknown_user(db):
    with pytest.raises(CommandError):
        call_command("api_token", "create", "nobody@example.org", "HR system")

    assert not ApiToken.objects.exists()


def test_the_command_revokes_a_token_by_its_prefix(counselor, participant):
    token, key = api_token_create(user=counselor, name="HR system")
    out = io.StringIO()

    call_command("api_token", "revoke", token.prefix, stdout=out)

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Client().get("/api/v1/participants", headers=bearer(key)).status_code == 401
    assert AuditEvent.objects.filter(action="api_token.revoked").count() == 1


def test_the_command_accepts_the_prefix_as_printed_with_ssp(counselor):
    token, _key = api_token_create(user=counselor, name="HR system")

    call_command("api_token", "revoke", f"ssp_{token.prefix}", stdout=io.StringIO())

    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_command_refuses_an_unknown_prefix(counselor):
    token, _key = api_token_create(user=counselor, name="HR system")
    api_token_revoke(token=token)

    with pytest.raises(CommandError):
        call_command("api_token", "revoke", token.prefix)


def test_an_anonymous_post_is_401_not_a_csrf_403(participant):
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        f"/api/v1/participants/{participant.pk}/notes", NOTE, content_type="application/json"
    )

    assert response.status_code == 401
    assert not Note.objects.exists()
