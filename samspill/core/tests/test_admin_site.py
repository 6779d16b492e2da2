"""Django admin is a platform operator's tool (issue 16): only an active superuser of the
installation who works in no organisation gets in; it shows no case data, shows a person only
by number, and writes nothing (every write goes through a service that audits it)."""

import datetime
import io
from typing import Any

import pytest
from django.contrib import admin as django_admin
from django.core.management import call_command
from django.db import models
from django.test import Client, RequestFactory
from django.urls import reverse

from samspill.accounts.auth import api_token_create
from samspill.accounts.models import ApiToken, User
from samspill.audit.models import AccessLog, AuditEvent
from samspill.core.admin_site import is_platform_operator
from samspill.core.testing import PASSWORD, client_for
from samspill.employers.services import contact_add
from samspill.organisations.models import Membership, Organisation
from samspill.participants.models import Participant
from samspill.participants.services import participant_update
from samspill.portal.services import participant_invite, portal_invite
from samspill.referrals.models import Referral, ReferralAccessLog, Source


@pytest.fixture
def operator(db) -> User:
    """A superuser of the installation (`samspill createsuperuser`), in no organisation."""
    return User.objects.create_superuser(
        email="operator@example.org", password=PASSWORD, full_name="Platform Operator"
    )


@pytest.fixture
def superuser_member(org) -> User:
    """A superuser who also works in an organisation: an administrator made superuser the way
    the demo data used to."""
    user = User.objects.create_superuser(
        email="root-admin@example.org", password=PASSWORD, full_name="Root Admin"
    )
    Membership.objects.create(user=user, organisation=org, role=Membership.Role.ADMIN)
    return user


def registered() -> list[type[models.Model]]:
    return list(django_admin.site._registry)


def admin_login(email: str) -> Any:
    return Client().post("/admin/login/", {"username": email, "password": PASSWORD})


def admin_url(model: type[models.Model], view: str, *args: object) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


class TestWhoGetsIn:
    def test_an_organisation_administrator_gets_no_admin(self, admin):
        client = client_for(admin)

        response = client.get("/admin/")

        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")

    @pytest.mark.parametrize(
        "path", ["/admin/", "/admin/accounts/user/", "/admin/organisations/membership/"]
    )
    def test_a_superuser_who_works_in_an_organisation_gets_no_admin(self, superuser_member, path):
        response = client_for(superuser_member).get(path)

        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")

    def test_a_superuser_who_works_in_an_organisation_cannot_sign_in_to_the_admin(
        self, superuser_member
    ):
        response = admin_login(superuser_member.email)

        assert response.status_code == 200
        assert "_auth_user_id" not in response.wsgi_request.session

    def test_a_superuser_who_works_in_an_organisation_cannot_raise_their_membership(
        self, superuser_member, org, other_org
    ):
        membership = Membership.objects.get(user=superuser_member)

        response = client_for(superuser_member).post(
            admin_url(Membership, "change", membership.pk),
            {"user": superuser_member.pk, "organisation": other_org.pk, "role": "leader"},
        )

        assert response.status_code == 302
        membership.refresh_from_db()
        assert (membership.organisation, membership.role) == (org, Membership.Role.ADMIN)

    def test_the_demo_administrator_gets_no_admin(self, db):
        call_command("demo_data", stdout=io.StringIO())
        demo_admin = User.objects.get(email="admin@demo.samspill.no")

        response = client_for(demo_admin).get("/admin/")

        assert response.status_code == 302
        assert not is_platform_operator(demo_admin)

    def test_an_operators_account_made_a_participants_login_is_no_operator_any_more(
        self, operator, counselor, participant
    ):
        participant_update(participant=participant, by=counselor, email=operator.email)
        login = participant_invite(participant=participant, by=counselor)

        assert login == operator
        assert not is_platform_operator(login)
        assert client_for(login).get("/admin/").status_code == 302

    def test_an_operators_account_made_an_employer_contacts_login_is_no_operator_any_more(
        self, operator, counselor, employer
    ):
        contact = contact_add(employer=employer, by=counselor, name="Ola", email=operator.email)
        login = portal_invite(contact=contact, by=counselor)

        assert login == operator
        assert not is_platform_operator(login)
        assert client_for(login).get("/admin/").status_code == 302

    def test_a_platform_operator_opens_the_admin(self, operator):
        response = client_for(operator).get("/admin/")

        assert response.status_code == 200
        assert is_platform_operator(operator)

    def test_a_platform_operator_is_shown_the_way_to_the_admin(self, operator):
        response = client_for(operator).get("/")

        assert response.status_code == 200
        assert b'href="/admin/"' in response.content

    def test_an_organisation_administrator_is_shown_their_own_pages_not_the_admin(self, admin):
        response = client_for(admin).get("/")

        assert b'href="/admin/"' not in response.content
        assert b'href="/organisation/' in response.content

    def test_a_platform_operator_can_sign_in_to_the_admin(self, operator):
        response = admin_login(operator.email)

        assert response.status_code == 302
        assert response.wsgi_request.user == operator


class TestCaseDataIsNotInTheAdmin:
    @pytest.mark.parametrize(
        "path",
        [
            "/admin/participants/participant/",
            "/admin/referrals/referral/",
            "/admin/placements/placement/",
            "/admin/placements/concern/",
            "/admin/placements/mentornote/",
            "/admin/employers/employer/",
            "/admin/employers/contactpersonchange/",
            "/admin/loops/loop/",
        ],
    )
    def test_a_platform_operator_gets_a_404_for_case_and_business_data(self, operator, path):
        assert client_for(operator).get(path).status_code == 404

    def test_no_case_model_is_registered(self):
        case_apps = {
            "participants",
            "plans",
            "placements",
            "followup",
            "loops",
            "employers",
            "portal",
            "insights",
            "interchange",
            "privacy",
        }

        assert not [m for m in registered() if m._meta.app_label in case_apps]
        assert Referral not in registered()

    def test_only_the_trails_refer_to_a_participant_or_a_referral(self):
        """The remaining pages that name a person's record are the audit trail and the access
        logs; they show the record by number only (tested below), so reading them reads no
        one's data and writes no access-log row."""
        pointing = {
            model
            for model in registered()
            for field in model._meta.get_fields()
            if field.is_relation
            and field.related_model in (Participant, Referral)
            and field.concrete
        }

        assert pointing == {AuditEvent, AccessLog, ReferralAccessLog}

    def test_the_trails_show_a_participant_by_number_only(
        self, operator, counselor, leader, participant
    ):
        client_for(counselor).get(reverse("participants:detail", kwargs={"pk": participant.pk}))
        client = client_for(operator)
        pages = [
            admin_url(AccessLog, "changelist"),
            admin_url(AccessLog, "change", AccessLog.objects.get().pk),
            admin_url(AuditEvent, "changelist"),
            *(admin_url(AuditEvent, "change", event.pk) for event in AuditEvent.objects.all()),
        ]
        logged = AccessLog.objects.count()
        assert AuditEvent.objects.filter(participant=participant).exists()

        for page in pages:
            response = client.get(page)
            assert response.status_code == 200, page
            assert participant.family_name not in response.content.decode(), page

        assert AccessLog.objects.count() == logged

    def test_every_registered_page_opens_read_only_without_naming_a_person(
        self, operator, counselor, participant
    ):
        """A row of every registered model, made through the services and pages; each one's
        page opens for the operator, shows no form to save, and names neither the participant
        nor the referred person."""
        from samspill.referrals.services import referral_create

        referral = referral_create(
            organisation=participant.organisation,
            by=counselor,
            taken_by=counselor,
            source=Source.YOUTH_DEPARTMENT,
            received_on=datetime.date(2026, 1, 12),
            given_name="Siri",
            family_name="Henvist",
            phone="+47 900 00 000",
            asked_for="Help to find a practice place.",
        )
        client_for(counselor).get(reverse("referrals:detail", kwargs={"pk": referral.pk}))
        client_for(counselor).get(reverse("participants:detail", kwargs={"pk": participant.pk}))
        api_token_create(user=counselor, name="Integration")
        call_command("reminders", stdout=io.StringIO())  # a row of the task queue
        client = client_for(operator)
        logged = (AccessLog.objects.count(), ReferralAccessLog.objects.count())

        for model, model_admin in django_admin.site._registry.items():
            row = model_admin.get_queryset(RequestFactory().get("/")).first()
            assert row is not None, model
            for page in (admin_url(model, "changelist"), admin_url(model, "change", row.pk)):
                response = client.get(page)
                content = response.content.decode()
                assert response.status_code == 200, page
                assert 'name="_save"' not in content, page
                for secret in ("Nordmann", "Henvist", "900 00 000", "Sensitive health detail"):
                    assert secret not in content, (page, secret)

        assert (AccessLog.objects.count(), ReferralAccessLog.objects.count()) == logged

    def test_the_user_list_leaves_out_the_participants_own_logins(
        self, operator, participant, counselor
    ):
        participant_update(participant=participant, by=counselor, email="kari@example.org")
        login = participant_invite(participant=participant, by=counselor)

        client = client_for(operator)
        listing = client.get(admin_url(User, "changelist")).content.decode()

        assert "kari@example.org" not in listing
        assert counselor.email in listing
        assert client.get(admin_url(User, "change", login.pk)).status_code == 302


class TestTheAdminWritesNothing:
    @pytest.mark.parametrize("model", registered(), ids=lambda m: m._meta.label)
    def test_no_registered_model_can_be_added_changed_or_deleted(self, operator, model):
        model_admin = django_admin.site._registry[model]
        request = RequestFactory().get("/admin/")
        request.user = operator

        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)
        assert model_admin.has_view_permission(request)
        assert not model_admin.get_actions(request)
        for inline in model_admin.get_inline_instances(request):
            assert not inline.has_add_permission(request, None)
            assert not inline.has_change_permission(request)
            assert not inline.has_delete_permission(request)

    @pytest.mark.parametrize("model", registered(), ids=lambda m: m._meta.label)
    def test_a_platform_operator_can_list_every_registered_model(self, operator, admin, model):
        response = client_for(operator).get(admin_url(model, "changelist"))

        assert response.status_code == 200
        assert client_for(operator).get(admin_url(model, "add")).status_code == 403

    def test_a_platform_operator_cannot_change_a_user(self, operator, admin):
        response = client_for(operator).post(
            admin_url(User, "change", admin.pk),
            {"email": admin.email, "full_name": "Renamed", "is_superuser": "on", "is_staff": "on"},
        )
        password = client_for(operator).post(
            f"/admin/accounts/user/{admin.pk}/password/",
            {"password1": "new-password-9876", "password2": "new-password-9876"},
        )

        assert response.status_code == 403
        assert password.status_code in (302, 403, 404)
        admin.refresh_from_db()
        assert (admin.full_name, admin.is_superuser, admin.is_staff) == ("Admin", False, False)
        assert admin.check_password(PASSWORD)

    def test_a_platform_operator_cannot_change_or_delete_a_membership(self, operator, admin):
        membership = Membership.objects.get(user=admin)
        client = client_for(operator)

        change = client.post(
            admin_url(Membership, "change", membership.pk),
            {"user": admin.pk, "organisation": membership.organisation_id, "role": "leader"},
        )
        delete = client.post(admin_url(Membership, "delete", membership.pk), {"post": "yes"})

        assert (change.status_code, delete.status_code) == (403, 403)
        membership.refresh_from_db()
        assert membership.role == Membership.Role.ADMIN

    def test_a_platform_operator_cannot_change_or_delete_an_organisation(self, operator, org):
        client = client_for(operator)

        change = client.post(
            admin_url(Organisation, "change", org.pk),
            {"name": "Renamed", "kind": org.kind, "country": org.country},
        )
        delete = client.post(admin_url(Organisation, "delete", org.pk), {"post": "yes"})

        assert (change.status_code, delete.status_code) == (403, 403)
        org.refresh_from_db()
        assert org.name == "Inkludering AS"

    def test_the_token_admin_neither_mints_nor_shows_a_secret(self, operator, admin):
        token, key = api_token_create(user=admin, name="Integration")
        client = client_for(operator)

        add = client.get(admin_url(ApiToken, "add"))
        response = client.get(admin_url(ApiToken, "change", token.pk))
        page = response.content.decode()
        revoke = client.post(
            admin_url(ApiToken, "change", token.pk),
            {"name": "x", "user": admin.pk, "revoked_at_0": "2026-01-01", "revoked_at_1": "10:00"},
        )

        assert add.status_code == 403
        assert response.status_code == 200
        assert token.prefix in page
        assert key not in page
        assert token.key_hash not in page
        assert revoke.status_code == 403
        token.refresh_from_db()
        assert (token.name, token.revoked_at) == ("Integration", None)
        assert ApiToken.objects.count() == 1
