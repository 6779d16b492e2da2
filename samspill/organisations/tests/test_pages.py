"""The organisation pages as an administrator uses them: the staff list, inviting, the
invitation link, roles with a conflict, the token shown once, and the settings."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from samspill.accounts.models import ApiToken, User
from samspill.audit.models import AuditEvent
from samspill.core.testing import client_for, make_staff
from samspill.organisations import services
from samspill.organisations.models import Membership, Organisation


@pytest.fixture(autouse=True)
def english():
    """Pages are read in their English source: the client asks for English."""
    translation.activate("en")


@pytest.fixture
def admin_client(admin):
    client = client_for(admin)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def page_text(response) -> str:
    return response.content.decode()


class TestStaffList:
    def test_it_lists_the_organisations_staff_and_nobody_elses(
        self, admin_client, counselor, colleague, outsider
    ):
        response = admin_client.get(reverse("organisation:staff"))

        text = page_text(response)
        assert counselor.email in text and colleague.email in text
        assert outsider.email not in text

    def test_it_searches_by_name_and_e_mail(self, admin_client, counselor, colleague):
        by_email = page_text(admin_client.get(reverse("organisation:staff"), {"q": "COLLEAGUE@"}))
        by_name = page_text(admin_client.get(reverse("organisation:staff"), {"q": "counsel"}))

        assert colleague.email in by_email and counselor.email not in by_email
        assert counselor.email in by_name and colleague.email not in by_name

    def test_it_asks_the_same_number_of_queries_for_3_or_40_staff(
        self, org, admin, django_assert_num_queries
    ):
        client = client_for(admin)
        url = reverse("organisation:staff")
        for i in range(2):
            make_staff(org, f"few{i}@example.org", Membership.Role.COUNSELOR)
        # session, user, membership, count, the page's rows
        with django_assert_num_queries(5):
            assert client.get(url).status_code == 200
        for i in range(38):
            make_staff(org, f"many{i}@example.org", Membership.Role.COUNSELOR)

        with django_assert_num_queries(5):
            assert client.get(url).status_code == 200

    def test_a_second_page_keeps_the_search(self, org, admin_client):
        for i in range(30):
            make_staff(org, f"many{i}@example.org", Membership.Role.COUNSELOR)

        text = page_text(admin_client.get(reverse("organisation:staff"), {"q": "many"}))

        assert "q=many&amp;page=2" in text or "page=2&amp;q=many" in text

    def test_the_main_menu_shows_the_organisation_only_to_administrators(
        self, admin_client, counselor, leader
    ):
        link = 'href="/organisation/"'
        assert link in page_text(admin_client.get("/"))
        assert link not in page_text(client_for(leader).get("/participants/"))
        assert link not in page_text(client_for(counselor).get("/participants/"))


class TestInvite:
    def test_bad_input_is_explained_and_nothing_changes(self, admin_client, outsider):
        before = (User.objects.count(), Membership.objects.count())

        response = admin_client.post(
            reverse("organisation:invite"),
            {"full_name": "", "email": outsider.email, "role": "counselor"},
        )

        assert response.status_code == 400
        text = page_text(response)
        assert "This field is required." in text
        response = admin_client.post(
            reverse("organisation:invite"),
            {"full_name": "Ola", "email": outsider.email, "role": "counselor"},
        )
        assert response.status_code == 400
        assert "already belongs to another account" in page_text(response)
        assert (User.objects.count(), Membership.objects.count()) == before

    def test_the_form_cannot_make_anyone_staff_or_superuser(self, admin_client):
        admin_client.post(
            reverse("organisation:invite"),
            {
                "full_name": "Ola",
                "email": "ola@example.org",
                "role": "admin",
                "is_staff": "on",
                "is_superuser": "on",
            },
        )

        user = User.objects.get(email="ola@example.org")
        assert not user.is_staff and not user.is_superuser

    def test_the_invited_person_chooses_a_password_once_and_is_logged_in(
        self, admin_client, client, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post(
                reverse("organisation:invite"),
                {"full_name": "Ola Ny", "email": "ola@example.org", "role": "counselor"},
            )
        assert response.status_code == 302
        link = re.search(r"https?://\S+", mailoutbox[0].body)
        assert link is not None
        path = "/" + link.group(0).split("/", 3)[3]

        assert client.get(path).status_code == 200
        response = client.post(
            path, {"new_password1": "a-good-long-pass-42", "new_password2": "a-good-long-pass-42"}
        )

        assert response.status_code == 302
        assert client.get("/participants/").status_code == 200
        assert client.get(path).status_code == 404  # the link works once
        assert AuditEvent.objects.filter(action="membership.invitation_accepted").exists()

    def test_a_deactivated_persons_link_does_not_work(self, org, admin, client):
        member = services.staff_invite(
            organisation=org, by=admin, email="ola@example.org", full_name="Ola", role="counselor"
        )
        url = services.staff_invitation_url(member.user)
        services.membership_deactivate(membership=member, by=admin)

        assert client.get("/" + url.split("/", 3)[3]).status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "counselor", "admin", "outsider", "mentor"])
def test_a_forged_or_foreign_invitation_link_is_a_404_for_everyone(request, org, admin, who):
    member = services.staff_invite(
        organisation=org, by=admin, email="ola@example.org", full_name="Ola", role="counselor"
    )
    user = None if who == "anonymous" else request.getfixturevalue(who)
    client = client_for(user)
    good = "/" + services.staff_invitation_url(member.user).split("/", 3)[3]
    forged = good.rstrip("/").rsplit("/", 1)[0] + "/abc-def/"
    # An account that is not an invited staff member (a portal user) has no staff link.
    staff_uid = good.split("/")[3]
    before = User.objects.get(pk=member.user.pk).password

    assert client.get(forged).status_code == 404
    assert (
        client.post(
            forged, {"new_password1": "x-Long-pass-99", "new_password2": "x-Long-pass-99"}
        ).status_code
        == 404
    )
    assert client.get(good.replace(staff_uid, "MTAwMDA")).status_code == 404
    assert User.objects.get(pk=member.user.pk).password == before


class TestMember:
    def test_a_stale_form_shows_a_conflict_and_changes_nothing(
        self, admin_client, admin, colleague, team_b
    ):
        member = Membership.objects.get(user=colleague)
        services.membership_update(
            membership=member, by=admin, revision=0, role="leader", team=team_b
        )

        response = admin_client.post(
            reverse("organisation:member", kwargs={"pk": member.pk}),
            {"role": "coordinator", "team": "", "revision": "0"},
        )

        assert response.status_code == 400
        assert "Someone else changed the role or team" in page_text(response)
        assert 'name="revision" value="1"' in page_text(response)
        member.refresh_from_db()
        assert (member.role, member.team) == ("leader", team_b)

    def test_own_role_change_is_refused_in_the_form(self, admin_client, admin):
        member = Membership.objects.get(user=admin)

        response = admin_client.post(
            reverse("organisation:member", kwargs={"pk": member.pk}),
            {"role": "leader", "team": "", "revision": "0"},
        )

        assert response.status_code == 400
        assert "You cannot change your own role." in page_text(response)
        assert Membership.objects.get(user=admin).role == "admin"

    def test_own_page_has_no_deactivate_button(self, admin_client, admin, colleague):
        own = admin_client.get(
            reverse("organisation:member", kwargs={"pk": Membership.objects.get(user=admin).pk})
        )
        other = admin_client.get(
            reverse("organisation:member", kwargs={"pk": Membership.objects.get(user=colleague).pk})
        )

        assert "/deactivate/" not in page_text(own)
        assert "/deactivate/" in page_text(other)

    def test_deactivating_oneself_by_a_forged_post_is_refused(self, admin_client, admin):
        member = Membership.objects.get(user=admin)

        response = admin_client.post(
            reverse("organisation:member_deactivate", kwargs={"pk": member.pk}), follow=True
        )

        assert "You cannot deactivate yourself." in page_text(response)
        assert Membership.objects.get(user=admin).is_active


class TestTokens:
    def test_the_secret_is_shown_once_and_never_again(self, admin_client, counselor):
        member = Membership.objects.get(user=counselor)

        response = admin_client.post(
            reverse("organisation:tokens"), {"member": member.pk, "name": "Reports"}
        )

        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        key = re.search(r"ssp_[A-Za-z0-9_-]{43}", page_text(response))
        assert key is not None
        token = ApiToken.objects.get(user=counselor)
        assert token.key_hash == ApiToken.hash_key(key.group(0))
        later = page_text(admin_client.get(reverse("organisation:tokens")))
        assert key.group(0) not in later and token.prefix in later
        assert key.group(0) not in str(list(AuditEvent.objects.values_list("data", flat=True)))

    def test_another_organisations_staff_cannot_be_chosen(self, admin_client, outsider):
        response = admin_client.post(
            reverse("organisation:tokens"),
            {"member": Membership.objects.get(user=outsider).pk, "name": "Sneaky"},
        )

        assert response.status_code == 400
        assert not ApiToken.objects.exists()


class TestSettings:
    def test_a_second_administrator_sees_a_conflict_instead_of_overwriting(
        self, org, admin, admin_client
    ):
        second = make_staff(org, "second@example.org", Membership.Role.ADMIN)
        form = {
            "team_sees_team_participants": "",
            "belief_checkin_weeks": "12",
            "revision": "0",
        }
        first = client_for(second).post(
            reverse("organisation:settings"), {**form, "name": "First AS"}
        )
        assert first.status_code == 302

        response = admin_client.post(reverse("organisation:settings"), {**form, "name": "Mine AS"})

        assert response.status_code == 400
        assert "Another administrator saved the settings" in page_text(response)
        assert "First AS" in page_text(response)
        assert Organisation.objects.get(pk=org.pk).name == "First AS"

    def test_bad_weeks_are_explained_and_nothing_changes(self, org, admin_client):
        response = admin_client.post(
            reverse("organisation:settings"),
            {"name": "X", "belief_checkin_weeks": "0", "revision": "0"},
        )

        assert response.status_code == 400
        assert 'id="id_belief_checkin_weeks_error"' in page_text(response)
        assert Organisation.objects.get(pk=org.pk).revision == 0


def _queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["teams", "tokens", "member", "settings"])
def test_each_page_asks_as_many_queries_for_many_rows_as_for_few(org, admin, page):
    client = client_for(admin)
    url = (
        reverse("organisation:member", kwargs={"pk": Membership.objects.get(user=admin).pk})
        if page == "member"
        else reverse(f"organisation:{page}")
    )

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            user = make_staff(org, f"s{i}@example.org", Membership.Role.COUNSELOR)
            services.team_create(organisation=org, by=admin, name=f"Team {i}")
            services.staff_token_create(
                membership=Membership.objects.get(user=user), by=admin, name=f"T{i}"
            )

    add(2, 0)
    few = _queries(client, url)
    add(12, 2)

    assert _queries(client, url) == few
