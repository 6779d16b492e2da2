"""Staff sign-in with OpenID Connect, against a provider started for each test."""

import datetime
import io
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from samspill.accounts.checks import staff_sign_in
from samspill.accounts.models import User
from samspill.accounts.tests.oidc_provider import running_provider, sign_in, start_params
from samspill.audit.models import AuditEvent
from samspill.core.testing import PASSWORD, client_for
from samspill.organisations import services as org_services
from samspill.organisations.models import Membership
from samspill.outbox.models import Message


@pytest.fixture
def provider(db):
    with running_provider() as provider:
        yield provider


def english() -> Client:
    """A browser that asks for English: the messages are read in their source language."""
    return Client(headers={"accept-language": "en"})


def identity(user: User, sub: str = "sub-123", **claims):
    return {"sub": sub, "email": user.email, "email_verified": True, **claims}


def signed_in_as(client: Client) -> User | None:
    response = client.get(reverse("account_settings"))
    if response.status_code != 200:
        return None
    return response.wsgi_request.user  # type: ignore[return-value]


def messages_of(client: Client, response) -> str:
    return client.get(response["Location"]).content.decode()


def test_the_login_page_offers_the_organisation_button_only_when_configured(db, provider):
    assert "/oidc/start/" in english().get("/login/").content.decode()
    with override_settings(OIDC_RP_CLIENT_ID=""):
        assert "/oidc/start/" not in english().get("/login/").content.decode()
        assert english().get("/oidc/start/").status_code == 404


def test_start_sends_state_nonce_and_a_pkce_challenge(provider):
    params = start_params(english())
    assert params["client_id"] == "samspill-test"
    assert params["redirect_uri"] == "http://testserver/oidc/callback/"
    assert params["scope"] == "openid email profile"
    assert params["code_challenge_method"] == "S256"
    assert len(params["state"]) >= 32 and len(params["nonce"]) >= 32


def test_a_counselor_signs_in_and_is_linked_by_email_then_by_sub(counselor, provider):
    client = english()
    response = sign_in(client, provider, identity(counselor))
    assert response.status_code == 302 and response["Location"] == "/"
    assert signed_in_as(client) == counselor
    counselor.refresh_from_db()
    assert counselor.oidc_subject == "sub-123"
    # Next time the `sub` finds them, whatever the address says now.
    client = english()
    sign_in(client, provider, identity(counselor, email="new-address@example.org"))
    assert signed_in_as(client) == counselor
    actions = list(
        AuditEvent.objects.filter(object_id=str(counselor.pk))
        .order_by("id")
        .values_list("action", "data")
    )
    assert actions == [
        ("user.oidc_linked", {"subject": "sub-123"}),
        ("user.signed_in", {"method": "oidc"}),
        ("user.signed_in", {"method": "oidc"}),
    ]


def test_next_is_kept_through_the_round_trip(counselor, provider):
    client = english()
    start_params(client)  # an earlier, abandoned start does not matter
    response = client.get("/oidc/start/", {"next": "/participants/"})
    params = {k: v[0] for k, v in parse_qs(urlsplit(response["Location"]).query).items()}
    code = provider.issue_code(
        identity(counselor), nonce=params["nonce"], code_challenge=params["code_challenge"]
    )
    response = client.get("/oidc/callback/", {"code": code, "state": params["state"]})
    assert response["Location"] == "/participants/"


def test_an_unverified_email_links_nobody(counselor, provider):
    client = english()
    response = sign_in(client, provider, identity(counselor, email_verified=False))
    assert response["Location"] == "/login/"
    assert signed_in_as(client) is None
    assert "not linked to anyone" in messages_of(client, response)
    counselor.refresh_from_db()
    assert counselor.oidc_subject is None


def test_an_unknown_person_is_refused_and_no_account_is_made(org, provider):
    client = english()
    users = User.objects.count()
    response = sign_in(
        client, provider, {"sub": "stranger", "email": "who@example.org", "email_verified": True}
    )
    assert response["Location"] == "/login/"
    assert "not linked to anyone" in messages_of(client, response)
    assert signed_in_as(client) is None
    assert User.objects.count() == users
    assert not AuditEvent.objects.exists()


def test_a_portal_user_is_never_signed_in(mentor, provider):
    client = english()
    sign_in(client, provider, identity(mentor))
    assert signed_in_as(client) is None
    mentor.refresh_from_db()
    assert mentor.oidc_subject is None


def test_a_deactivated_member_is_refused_and_the_refusal_audited(counselor, admin, provider):
    client = english()
    sign_in(client, provider, identity(counselor))  # linked while active
    membership = Membership.objects.get(user=counselor)
    org_services.membership_deactivate(membership=membership, by=admin)
    # Their open session ends at the next request.
    assert signed_in_as(client) is None
    client = english()
    response = sign_in(client, provider, identity(counselor))
    assert "Your account is deactivated" in messages_of(client, response)
    assert signed_in_as(client) is None
    refused = AuditEvent.objects.get(action="user.sign_in_refused")
    assert refused.organisation_id == membership.organisation_id
    assert refused.data == {"method": "oidc", "reason": "deactivated", "subject": "sub-123"}


def test_a_deactivated_member_is_refused_on_a_first_sign_in_by_email(counselor, admin, provider):
    org_services.membership_deactivate(membership=counselor.memberships.get(), by=admin)
    client = english()
    sign_in(client, provider, identity(counselor))
    assert signed_in_as(client) is None
    assert AuditEvent.objects.filter(action="user.sign_in_refused").count() == 1


def test_an_account_linked_to_another_identity_is_not_taken_over_by_email(counselor, provider):
    sign_in(english(), provider, identity(counselor, sub="first"))
    client = english()
    sign_in(client, provider, identity(counselor, sub="second"))
    assert signed_in_as(client) is None
    counselor.refresh_from_db()
    assert counselor.oidc_subject == "first"
    assert AuditEvent.objects.get(action="user.sign_in_refused").data["reason"] == (
        "linked_elsewhere"
    )


def test_a_wrong_nonce_is_refused(counselor, provider):
    client = english()
    response = sign_in(client, provider, identity(counselor), nonce="not-the-session-nonce")
    assert response["Location"] == "/login/"
    assert "did not work" in messages_of(client, response)
    assert signed_in_as(client) is None
    assert not AuditEvent.objects.exists()


def test_a_wrong_state_is_refused(counselor, provider):
    client = english()
    response = sign_in(client, provider, identity(counselor), state="forged-state")
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert signed_in_as(client) is None


def test_a_callback_without_a_started_sign_in_is_refused(counselor, provider):
    code = provider.issue_code(identity(counselor), nonce="n", code_challenge="c")
    response = english().get("/oidc/callback/", {"code": code, "state": "s"})
    assert response["Location"] == "/login/"


def test_a_state_is_used_once(counselor, provider):
    client = english()
    params = start_params(client)
    code = provider.issue_code(
        identity(counselor), nonce=params["nonce"], code_challenge=params["code_challenge"]
    )
    client.get("/oidc/callback/", {"code": code, "state": params["state"]})
    client.logout()
    again = client.get("/oidc/callback/", {"code": code, "state": params["state"]})
    assert again["Location"] == "/login/"
    assert signed_in_as(client) is None


def test_an_expired_token_is_refused(counselor, provider):
    client = english()
    past = int(time.time()) - 3600
    sign_in(client, provider, identity(counselor, iat=past - 300, exp=past))
    assert signed_in_as(client) is None


@pytest.mark.parametrize("claim", [{"aud": "another-client"}, {"iss": "https://elsewhere"}])
def test_a_token_for_another_client_or_from_another_issuer_is_refused(counselor, provider, claim):
    client = english()
    sign_in(client, provider, identity(counselor, **claim))
    assert signed_in_as(client) is None


def test_a_provider_that_does_not_answer_is_a_message_not_an_error(counselor, provider):
    client = english()
    with override_settings(OIDC_OP_TOKEN_ENDPOINT="http://127.0.0.1:9/token"):
        response = sign_in(client, provider, identity(counselor))
    assert response["Location"] == "/login/"
    assert "did not work" in messages_of(client, response)


def test_the_callback_costs_a_fixed_number_of_queries(
    counselor, provider, django_assert_num_queries
):
    sign_in(english(), provider, identity(counselor))  # linked
    client = english()
    params = start_params(client)
    code = provider.issue_code(
        identity(counselor), nonce=params["nonce"], code_challenge=params["code_challenge"]
    )
    # Most are the session's: the state is consumed, then the signed-in session replaces it.
    with django_assert_num_queries(20):
        client.get("/oidc/callback/", {"code": code, "state": params["state"]})


# Password sign-in kept or turned off (STAFF_PASSWORD_LOGIN) -------------------------------


def test_staff_keep_their_password_by_default(counselor):
    response = english().post("/login/", {"username": counselor.email, "password": PASSWORD})
    assert response.status_code == 302


@override_settings(STAFF_PASSWORD_LOGIN=False)
def test_with_password_login_off_staff_are_sent_to_their_organisation(counselor, provider):
    client = english()
    response = client.post("/login/", {"username": counselor.email, "password": PASSWORD})
    assert response.status_code == 200
    assert response.context["form"].refused_message
    assert signed_in_as(client) is None
    # A wrong password still reads as a wrong password: nothing tells that the account exists.
    wrong = english().post("/login/", {"username": counselor.email, "password": "nope-nope-1"})
    assert wrong.context["form"].errors and not wrong.context["form"].refused_message


@override_settings(STAFF_PASSWORD_LOGIN=False)
def test_with_password_login_off_portal_users_keep_their_password(mentor):
    response = english().post("/login/", {"username": mentor.email, "password": PASSWORD})
    assert response.status_code == 302


@override_settings(STAFF_PASSWORD_LOGIN=False)
def test_with_password_login_off_no_reset_link_goes_to_staff(counselor, mentor):
    for user in (counselor, mentor):
        english().post("/password-reset/", {"email": user.email})
    assert [message.to for message in Message.objects.all()] == [[mentor.email]]


@override_settings(STAFF_PASSWORD_LOGIN=False)
def test_with_password_login_off_an_invitation_sets_no_password(org, admin, provider):
    membership = org_services.staff_invite(
        organisation=org, by=admin, email="new@example.org", full_name="Ny Ansatt", role="counselor"
    )
    (body,) = [m.body for m in Message.objects.all() if m.to == ["new@example.org"]]
    assert "organisation" in body and "password" not in body
    url = org_services.staff_invitation_url(membership.user).removeprefix("http://127.0.0.1:8000")
    page = english().get(url)
    assert page.status_code == 200 and "/oidc/start/" in page.content.decode()
    posted = english().post(
        url, {"new_password1": "a-long-pass-123", "new_password2": "a-long-pass-123"}
    )
    assert posted.status_code == 400
    membership.user.refresh_from_db()
    assert not membership.user.has_usable_password()
    # They sign in with the provider, linked by their address, and count as accepted.
    client = english()
    sign_in(client, provider, identity(membership.user))
    assert signed_in_as(client) == membership.user
    staff_list = client_for(admin).get(reverse("organisation:staff")).content.decode()
    assert "Invited, not accepted yet" not in staff_list


def test_oidc_discover_prints_the_settings_from_the_discovery_document(provider):
    out = io.StringIO()
    call_command("oidc_discover", provider.issuer, stdout=out)
    assert out.getvalue().splitlines()[:6] == [
        f"OIDC_ISSUER={provider.issuer}",
        f"OIDC_AUTHORIZATION_ENDPOINT={provider.issuer}/authorize",
        f"OIDC_TOKEN_ENDPOINT={provider.issuer}/token",
        f"OIDC_JWKS_URI={provider.issuer}/jwks",
        f"OIDC_END_SESSION_ENDPOINT={provider.issuer}/logout",
        "OIDC_SIGN_ALGO=RS256",
    ]
    with pytest.raises(CommandError, match="Could not read"):
        call_command("oidc_discover", provider.issuer + "/nowhere")


def test_check_refuses_password_login_off_without_a_provider():
    assert staff_sign_in() == []
    with override_settings(STAFF_PASSWORD_LOGIN=False):
        (error,) = staff_sign_in()
    assert error.id == "accounts.E001" and "OIDC_CLIENT_ID" in error.msg
    with override_settings(OIDC_RP_CLIENT_ID="samspill"):
        (error,) = staff_sign_in()
    assert "OIDC_AUTHORIZATION_ENDPOINT, OIDC_TOKEN_ENDPOINT, OIDC_JWKS_URI" in error.msg


def test_check_accepts_a_complete_provider(provider):
    with override_settings(STAFF_PASSWORD_LOGIN=False):
        assert staff_sign_in() == []


@pytest.mark.parametrize("who", ["counselor", "admin", "outsider", "mentor", None])
def test_the_routes_answer_everyone_alike_and_take_no_post(request, provider, who):
    user = request.getfixturevalue(who) if who else None
    client = client_for(user)
    events = AuditEvent.objects.count()
    start = client.get("/oidc/start/")
    assert start.status_code == 302 and start["Location"].startswith(provider.issuer)
    assert client.get("/oidc/callback/")["Location"] == "/login/"
    assert client.post("/oidc/start/").status_code == 405
    assert client.post("/oidc/callback/").status_code in {403, 405}  # CSRF or method
    assert AuditEvent.objects.count() == events


def test_a_configured_organisation_gets_a_counselor_at_a_first_sign_in(org, provider, mentor):
    claims = {"sub": "new-1", "email": "ny@example.org", "email_verified": True, "name": "Ny"}
    with override_settings(OIDC_CREATE_STAFF_IN=str(org.pk)):
        client = english()
        sign_in(client, provider, claims)
        # A portal user's address is never turned into a member.
        sign_in(english(), provider, identity(mentor, sub="mentor-1"))
    user = signed_in_as(client)
    assert user is not None and user.full_name == "Ny" and not user.has_usable_password()
    membership = Membership.objects.get(user=user)
    assert (membership.organisation, membership.role, membership.team) == (org, "counselor", None)
    assert AuditEvent.objects.filter(action="membership.created_by_sign_in").count() == 1
    assert not Membership.objects.filter(user=mentor).exists()


def test_check_refuses_a_create_setting_that_is_not_an_id():
    with override_settings(OIDC_CREATE_STAFF_IN="Kopano"):
        (error,) = staff_sign_in()
    assert error.id == "accounts.E002"


def test_a_session_from_the_provider_ends_after_an_idle_hour_like_any_other(counselor, provider):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = english()
        sign_in(client, provider, identity(counselor))
        clock.shift(datetime.timedelta(minutes=50))
        assert signed_in_as(client) == counselor  # active: the hour starts again
        clock.shift(datetime.timedelta(minutes=61))
        assert signed_in_as(client) is None


# Signing out (RP-initiated logout) ---------------------------------------------------------


def test_signing_out_ends_the_providers_session_too(counselor, provider):
    client = english()
    sign_in(client, provider, identity(counselor))

    response = client.post(reverse("logout"))

    assert signed_in_as(client) is None
    target = urlsplit(response["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{provider.issuer}/logout"
    query = {key: values[0] for key, values in parse_qs(target.query).items()}
    assert query["id_token_hint"] == provider.issued[-1]
    assert query["post_logout_redirect_uri"] == "http://testserver/login/"
    # The provider ends its session and sends the browser back to the login page.
    back = requests.get(response["Location"], allow_redirects=False, timeout=5)
    assert back.status_code == 302 and back.headers["Location"] == "http://testserver/login/"
    assert provider.ended == [provider.issued[-1]]


def test_signing_out_after_a_password_sign_in_stays_at_samspill(counselor, provider):
    client = english()
    assert client.login(email=counselor.email, password=PASSWORD)

    response = client.post(reverse("logout"))

    assert response["Location"] == "/login/"
    assert signed_in_as(client) is None
    assert provider.ended == []


def test_without_an_end_session_endpoint_only_samspills_session_ends(counselor, provider):
    with override_settings(OIDC_OP_LOGOUT_ENDPOINT=""):
        client = english()
        sign_in(client, provider, identity(counselor))
        assert "oidc_id_token" not in client.session  # nothing kept that is not needed

        response = client.post(reverse("logout"))

    assert response["Location"] == "/login/"
    assert signed_in_as(client) is None


def test_a_refused_sign_in_keeps_no_id_token(mentor, provider):
    client = english()
    sign_in(client, provider, identity(mentor))
    assert "oidc_id_token" not in client.session


# An administrator unlinks an organisation account -----------------------------------------


def test_an_administrator_unlinks_an_account_and_the_next_sign_in_links_again(
    counselor, admin, provider
):
    sign_in(english(), provider, identity(counselor, sub="old-account"))
    membership = Membership.objects.get(user=counselor)
    page = reverse("organisation:member", kwargs={"pk": membership.pk})
    unlink = reverse("organisation:member_oidc_unlink", kwargs={"pk": membership.pk})
    administrator = client_for(admin)
    assert unlink in administrator.get(page).content.decode()

    response = administrator.post(unlink)

    assert response.status_code == 302 and response["Location"] == page
    counselor.refresh_from_db()
    assert counselor.oidc_subject is None
    event = AuditEvent.objects.get(action="user.oidc_unlinked")
    assert (event.actor_id, event.object_id, event.data) == (
        admin.pk,
        str(counselor.pk),
        {"subject": "old-account"},
    )
    assert event.organisation_id == membership.organisation_id
    assert unlink not in administrator.get(page).content.decode()
    # The replaced account at the provider no longer signs in; the new one links by e-mail.
    client = english()
    sign_in(client, provider, identity(counselor, sub="new-account"))
    assert signed_in_as(client) == counselor
    counselor.refresh_from_db()
    assert counselor.oidc_subject == "new-account"


def test_unlinking_someone_not_linked_is_refused_with_a_message(counselor, admin):
    membership = Membership.objects.get(user=counselor)
    client = client_for(admin)

    response = client.post(
        reverse("organisation:member_oidc_unlink", kwargs={"pk": membership.pk}),
        headers={"accept-language": "en"},
        follow=True,
    )

    assert "not linked to an organisation account" in response.content.decode()
    assert not AuditEvent.objects.filter(action="user.oidc_unlinked").exists()


@pytest.mark.parametrize("who", ["counselor", "leader", "colleague"])
def test_only_an_administrator_may_unlink(request, who, counselor, provider):
    sign_in(english(), provider, identity(counselor))
    membership = Membership.objects.get(user=counselor)

    response = client_for(request.getfixturevalue(who)).post(
        reverse("organisation:member_oidc_unlink", kwargs={"pk": membership.pk})
    )

    assert response.status_code == 403
    counselor.refresh_from_db()
    assert counselor.oidc_subject == "sub-123"
