"""The administrator's services: invitations, roles, access, teams, tokens and settings."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from samspill.accounts.auth import api_token_create, user_for_token
from samspill.accounts.models import ApiToken, User
from samspill.audit.models import AuditEvent
from samspill.core.testing import client_for, make_staff
from samspill.organisations import services
from samspill.organisations.models import Membership, Organisation, Team
from samspill.participants.models import Participant
from samspill.portal.services import portal_invite


@pytest.fixture(autouse=True)
def english():
    """The messages are asserted in their English source."""
    translation.activate("en")


def invite(org, admin, email="nina@example.org", **fields):
    fields.setdefault("full_name", "Nina Ny")
    fields.setdefault("role", Membership.Role.COUNSELOR)
    return services.staff_invite(organisation=org, by=admin, email=email, **fields)


def counts():
    return (User.objects.count(), Membership.objects.count(), AuditEvent.objects.count())


class TestInvite:
    def test_it_creates_an_account_without_a_password_and_an_active_membership(
        self, org, team_a, admin, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            member = invite(org, admin, email="Nina@Example.org", team=team_a)

        assert member.is_active and member.organisation == org and member.team == team_a
        assert member.invited_at is not None
        assert not member.user.has_usable_password()
        assert not member.user.is_staff and not member.user.is_superuser
        event = AuditEvent.objects.get(action="membership.invited")
        assert event.actor == admin and event.organisation == org
        assert len(mailoutbox) == 1
        assert mailoutbox[0].to == [member.user.email]
        assert "/organisation/invitation/" in mailoutbox[0].body

    def test_it_sends_the_e_mail_only_after_the_transaction_commits(
        self, org, admin, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            invite(org, admin)

        assert mailoutbox == []
        assert len(callbacks) == 1

    @pytest.mark.parametrize("email", ["outsider@example.org", "OUTSIDER@example.org"])
    def test_an_address_with_an_active_membership_elsewhere_is_refused(
        self, org, admin, outsider, email
    ):
        before = counts()

        with pytest.raises(ValidationError) as error:
            invite(org, admin, email=email)

        assert "already belongs to another account" in str(error.value)
        assert counts() == before
        assert Membership.objects.get(user=outsider).organisation != org

    def test_a_portal_users_address_is_refused(self, org, admin, mentor):
        before = counts()

        with pytest.raises(ValidationError):
            invite(org, admin, email=mentor.email)

        assert counts() == before

    def test_an_address_on_the_staff_list_is_refused_with_a_pointer_to_the_list(
        self, org, admin, colleague
    ):
        with pytest.raises(ValidationError) as error:
            invite(org, admin, email=colleague.email)

        assert "already on your staff list" in str(error.value)

    def test_a_team_of_another_organisation_is_refused(self, org, other_org, admin):
        other_team = Team.objects.create(organisation=other_org, name="Theirs")
        before = counts()

        with pytest.raises(ValidationError) as error:
            invite(org, admin, team=other_team)

        assert "team" in error.value.message_dict
        assert counts() == before

    def test_it_resends_a_new_link_until_the_password_is_chosen(
        self, org, admin, mailoutbox, django_capture_on_commit_callbacks
    ):
        member = invite(org, admin)
        with django_capture_on_commit_callbacks(execute=True):
            services.staff_invitation_resend(membership=member, by=admin)
        assert len(mailoutbox) == 1

        member.user.set_password("a-long-password-1")
        member.user.save()
        with pytest.raises(ValidationError):
            services.staff_invitation_resend(membership=member, by=admin)


def member_of(user: User) -> Membership:
    return Membership.objects.get(user=user)


class TestRolesAndTeams:
    def test_an_administrator_changes_a_role_and_team(self, org, team_b, admin, colleague):
        member = member_of(colleague)

        services.membership_update(
            membership=member, by=admin, revision=0, role="coordinator", team=team_b
        )

        member.refresh_from_db()
        assert (member.role, member.team, member.revision) == ("coordinator", team_b, 1)
        event = AuditEvent.objects.get(action="membership.changed")
        assert event.actor == admin and event.organisation == org
        assert event.data["before"]["role"] == "counselor"

    def test_an_administrator_cannot_change_their_own_role(self, org, admin):
        member = member_of(admin)

        with pytest.raises(ValidationError) as error:
            services.membership_update(
                membership=member, by=admin, revision=0, role="leader", team=None
            )

        assert "your own role" in str(error.value)
        member.refresh_from_db()
        assert member.role == Membership.Role.ADMIN and member.revision == 0

    def test_an_administrator_may_change_their_own_team(self, org, team_a, admin):
        member = services.membership_update(
            membership=member_of(admin), by=admin, revision=0, role="admin", team=team_a
        )

        assert member.team == team_a

    def test_the_last_active_administrator_keeps_the_role(self, org, admin, leader):
        with pytest.raises(ValidationError) as error:
            services.membership_update(
                membership=member_of(admin), by=leader, revision=0, role="leader", team=None
            )

        assert "at least one active administrator" in str(error.value)
        assert member_of(admin).role == Membership.Role.ADMIN

    def test_a_second_administrator_may_be_demoted(self, org, admin):
        second = invite(org, admin, email="second@example.org", role="admin")

        services.membership_update(
            membership=second, by=admin, revision=0, role="leader", team=None
        )

        assert member_of(second.user).role == Membership.Role.LEADER

    def test_a_stale_revision_is_a_conflict_and_changes_nothing(self, org, admin, colleague):
        member = member_of(colleague)
        services.membership_update(
            membership=member, by=admin, revision=0, role="leader", team=None
        )

        with pytest.raises(services.ConflictError):
            services.membership_update(
                membership=member, by=admin, revision=0, role="coordinator", team=None
            )

        assert member_of(colleague).role == Membership.Role.LEADER

    def test_a_counselors_participants_move_to_their_new_team(
        self, org, team_a, team_b, admin, counselor, participant
    ):
        assert Participant.objects.get(pk=participant.pk).team == team_a

        services.membership_update(
            membership=member_of(counselor), by=admin, revision=0, role="counselor", team=team_b
        )

        assert Participant.objects.get(pk=participant.pk).team == team_b

    def test_a_team_of_another_organisation_is_refused(self, org, other_org, admin, colleague):
        other_team = Team.objects.create(organisation=other_org, name="Theirs")

        with pytest.raises(ValidationError):
            services.membership_update(
                membership=member_of(colleague),
                by=admin,
                revision=0,
                role="counselor",
                team=other_team,
            )

        team = member_of(colleague).team
        assert team is not None and team.organisation == org


class TestAccess:
    def test_deactivating_ends_the_session_the_login_and_the_tokens(self, org, admin, colleague):
        client = client_for(colleague)
        assert client.get("/participants/").status_code == 200
        token, key = api_token_create(user=colleague, name="Mine")

        services.membership_deactivate(membership=member_of(colleague), by=admin)

        assert client.get("/participants/").status_code == 302
        assert not client.login(email=colleague.email, password="test-password-123")
        assert user_for_token(key) is None
        assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
        assert AuditEvent.objects.filter(action="membership.deactivated", actor=admin).exists()

    def test_an_administrator_cannot_deactivate_themselves(self, org, admin):
        with pytest.raises(ValidationError) as error:
            services.membership_deactivate(membership=member_of(admin), by=admin)

        assert "yourself" in str(error.value)
        assert member_of(admin).is_active

    def test_the_last_administrator_cannot_be_deactivated(self, org, admin, leader):
        with pytest.raises(ValidationError):
            services.membership_deactivate(membership=member_of(admin), by=leader)

        assert member_of(admin).is_active

    def test_reactivating_gives_the_access_back(self, org, admin, colleague):
        member = services.membership_deactivate(membership=member_of(colleague), by=admin)

        services.membership_reactivate(membership=member, by=admin)

        assert member_of(colleague).is_active
        assert client_for(colleague).get("/participants/").status_code == 200

    def test_an_account_now_in_use_elsewhere_is_not_reactivated(
        self, org, admin, colleague, counselor, employer
    ):
        member = services.membership_deactivate(membership=member_of(colleague), by=admin)
        # Since then the address was given to an employer contact's portal account.
        from samspill.employers.services import contact_add

        contact = contact_add(employer=employer, by=counselor, name="C", email=colleague.email)
        portal_invite(contact=contact, by=counselor)

        with pytest.raises(ValidationError):
            services.membership_reactivate(membership=member, by=admin)

        assert not Membership.objects.get(pk=member.pk).is_active


class TestTeams:
    def test_names_are_unique_in_an_organisation_whatever_the_case(self, org, team_a, admin):
        with pytest.raises(ValidationError) as error:
            services.team_create(organisation=org, by=admin, name=" team a ")

        assert "already has a team called" in str(error.value)
        assert Team.objects.filter(organisation=org).count() == 1

    def test_another_organisation_may_use_the_same_name(self, org, other_org, team_a, admin):
        team = services.team_create(organisation=other_org, by=admin, name="Team A")

        assert team.organisation == other_org

    def test_a_team_is_renamed_with_an_audit_row(self, org, team_a, admin):
        services.team_rename(team=team_a, by=admin, name="Team Nord")

        assert Team.objects.get(pk=team_a.pk).name == "Team Nord"
        assert AuditEvent.objects.get(action="team.renamed").data["before"] == "Team A"

    def test_a_team_with_staff_or_participants_is_not_deleted(
        self, org, team_a, admin, counselor, participant
    ):
        with pytest.raises(ValidationError) as error:
            services.team_delete(team=team_a, by=admin)

        assert "Move them to another team first" in str(error.value)
        assert Team.objects.filter(pk=team_a.pk).exists()

    def test_an_empty_team_is_deleted(self, org, team_b, admin):
        services.team_delete(team=team_b, by=admin)

        assert not Team.objects.filter(pk=team_b.pk).exists()
        assert AuditEvent.objects.filter(action="team.deleted", organisation=org).exists()


class TestTokens:
    def test_a_token_for_a_deactivated_member_is_refused(self, org, admin, colleague):
        member = services.membership_deactivate(membership=member_of(colleague), by=admin)

        with pytest.raises(ValidationError):
            services.staff_token_create(membership=member, by=admin, name="Late")

        assert not ApiToken.objects.exists()

    def test_a_token_is_created_and_revoked_once(self, org, admin, counselor):
        token, key = services.staff_token_create(
            membership=member_of(counselor), by=admin, name="Reports"
        )
        assert user_for_token(key) == counselor

        services.staff_token_revoke(token=token, by=admin)
        with pytest.raises(ValidationError):
            services.staff_token_revoke(token=token, by=admin)

        assert user_for_token(key) is None
        actions = set(AuditEvent.objects.filter(actor=admin).values_list("action", flat=True))
        assert {"api_token.created", "api_token.revoked"} <= actions


class TestSettings:
    def change(self, org, admin, revision=0, **changes):
        values = {"name": org.name, "team_sees_team_participants": False}
        values["belief_checkin_weeks"] = 12
        values.update(changes)
        return services.organisation_update(organisation=org, by=admin, revision=revision, **values)

    def test_the_settings_change_with_an_audit_row(self, org, admin):
        self.change(org, admin, name="Nytt AS", belief_checkin_weeks=8)

        org = Organisation.objects.get(pk=org.pk)
        assert (org.name, org.belief_checkin_weeks, org.revision) == ("Nytt AS", 8, 1)
        event = AuditEvent.objects.get(action="organisation.settings_changed")
        assert event.data["after"] == {"name": "Nytt AS", "belief_checkin_weeks": 8}

    def test_a_second_administrator_working_from_the_old_revision_gets_a_conflict(self, org, admin):
        self.change(org, admin, name="First AS")

        with pytest.raises(services.ConflictError):
            self.change(org, admin, name="Second AS")

        assert Organisation.objects.get(pk=org.pk).name == "First AS"

    @pytest.mark.parametrize("weeks", [0, 53])
    def test_weeks_out_of_range_are_refused(self, org, admin, weeks):
        with pytest.raises(ValidationError) as error:
            self.change(org, admin, belief_checkin_weeks=weeks)

        assert "belief_checkin_weeks" in error.value.message_dict
        assert Organisation.objects.get(pk=org.pk).revision == 0


def test_nothing_here_makes_anyone_staff_or_superuser(org, admin, colleague):
    second = invite(org, admin, email="second@example.org", role="admin")
    services.membership_update(membership=second, by=admin, revision=0, role="leader", team=None)
    services.membership_deactivate(membership=member_of(colleague), by=admin)
    services.membership_reactivate(membership=member_of(colleague), by=admin)

    assert not User.objects.filter(is_staff=True).exists()
    assert not User.objects.filter(is_superuser=True).exists()


def test_a_platform_operators_account_is_not_locked_by_an_organisation(org, admin):
    operator = make_staff(org, "op@example.org", Membership.Role.COUNSELOR)
    operator.is_staff = True
    operator.save()

    services.membership_deactivate(membership=member_of(operator), by=admin)

    assert User.objects.get(pk=operator.pk).is_active
    assert not member_of(operator).is_active
