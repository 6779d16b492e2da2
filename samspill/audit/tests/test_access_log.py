"""The access log: every read of a participant's record writes one row saying who read what and
why; a refused read writes nothing; only leaders see the log; nobody can edit it in the admin."""

import pytest
from django.contrib import admin as django_admin
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from samspill.accounts.models import User
from samspill.audit import labels
from samspill.audit.models import AccessLog, AuditEvent
from samspill.core.testing import client_for, make_participant, make_staff
from samspill.organisations.models import Membership
from samspill.participants.models import Participant

HTMX = {"HX-Request": "true"}

# (url name, what the log says was read)
PAGES = [
    ("detail", "page:overview"),
    ("edit", "page:edit"),
    ("plan", "page:plan"),
    ("consent", "page:consent"),
    ("follow_up", "page:follow-up"),
]


def url(name: str, participant: Participant) -> str:
    return reverse(f"participants:{name}", kwargs={"pk": participant.pk})


def read_note_partial(client, participant: Participant):
    return client.post(
        url("note_add", participant),
        {"kind": "phone", "occurred_on": "2026-02-10", "text": "Called"},
        headers=HTMX,
    )


class TestEveryReadIsLogged:
    @pytest.mark.parametrize(("name", "what"), PAGES)
    def test_a_counselor_reading_a_page_writes_one_row(self, counselor, participant, name, what):
        response = client_for(counselor).get(url(name, participant))

        assert response.status_code == 200
        row = AccessLog.objects.get()
        assert row.actor == counselor
        assert row.participant == participant
        assert row.organisation_id == participant.organisation_id
        assert row.what == what
        assert row.why == "counselor"
        assert row.accessed_at is not None

    @pytest.mark.parametrize(("name", "what"), [*PAGES, ("access_log", "page:access-log")])
    def test_a_leader_reading_a_page_writes_one_row_with_leader_as_the_reason(
        self, leader, participant, name, what
    ):
        response = client_for(leader).get(url(name, participant))

        assert response.status_code == 200
        row = AccessLog.objects.get()
        assert (row.actor, row.participant, row.what, row.why) == (
            leader,
            participant,
            what,
            "leader",
        )

    @pytest.mark.parametrize(("name", "what"), PAGES)
    def test_a_team_member_reading_a_page_writes_team_as_the_reason(
        self, org, colleague, participant, name, what
    ):
        org.team_sees_team_participants = True
        org.save()

        response = client_for(colleague).get(url(name, participant))

        assert response.status_code == 200
        row = AccessLog.objects.get()
        assert (row.actor, row.what, row.why) == (colleague, what, "team")

    def test_a_leader_who_follows_the_participant_reads_as_counselor(self, org, leader):
        own = make_participant(org, leader, given_name="Leif")

        client_for(leader).get(url("detail", own))

        assert AccessLog.objects.get().why == "counselor"

    def test_the_htmx_note_partial_writes_one_row(self, counselor, participant):
        response = read_note_partial(client_for(counselor), participant)

        assert response.status_code == 200
        row = AccessLog.objects.get()
        assert (row.actor, row.participant, row.what, row.why) == (
            counselor,
            participant,
            "htmx:timeline",
            "counselor",
        )

    def test_a_refused_htmx_note_still_logs_the_partial_it_shows(self, counselor, participant):
        response = client_for(counselor).post(
            url("note_add", participant),
            {"kind": "phone", "occurred_on": "2026-02-10", "text": ""},
            headers=HTMX,
        )

        assert response.status_code == 400
        assert AccessLog.objects.get().what == "htmx:timeline"

    def test_a_write_that_shows_the_page_again_writes_one_row(self, counselor, participant):
        client_for(counselor).post(
            url("consent", participant), {"recipient": "nobody", "information": "plan"}
        )

        assert AccessLog.objects.get().what == "page:consent"

    def test_each_read_writes_its_own_row(self, counselor, participant):
        client = client_for(counselor)

        for _ in range(3):
            client.get(url("detail", participant))

        assert AccessLog.objects.filter(participant=participant).count() == 3

    def test_the_caseload_is_not_a_read_of_a_record(self, counselor, participant):
        client_for(counselor).get(reverse("participants:caseload"))

        assert not AccessLog.objects.exists()

    def test_reading_writes_no_audit_event(self, counselor, participant):
        events = AuditEvent.objects.count()

        client_for(counselor).get(url("detail", participant))

        assert AuditEvent.objects.count() == events


class TestRefusedReadsAreNotLogged:
    @pytest.mark.parametrize("reader", ["colleague", "other_team_counselor", "outsider", "admin"])
    @pytest.mark.parametrize(("name", "what"), [*PAGES, ("access_log", "page:access-log")])
    def test_a_refused_read_writes_no_row(self, request, participant, reader, name, what):
        user: User = request.getfixturevalue(reader)

        response = client_for(user).get(url(name, participant))

        assert response.status_code in (403, 404)
        assert not AccessLog.objects.exists()

    @pytest.mark.parametrize("reader", ["colleague", "other_team_counselor", "outsider"])
    def test_a_refused_htmx_note_writes_no_row(self, request, participant, reader):
        user: User = request.getfixturevalue(reader)

        response = read_note_partial(client_for(user), participant)

        assert response.status_code == 404
        assert not AccessLog.objects.exists()
        assert not participant.notes.exists()

    def test_a_counselor_asking_for_the_access_log_writes_no_row(self, counselor, participant):
        response = client_for(counselor).get(url("access_log", participant))

        assert response.status_code == 403
        assert not AccessLog.objects.exists()

    def test_an_anonymous_visitor_writes_no_row(self, participant):
        response = client_for(None).get(url("detail", participant))

        assert response.status_code == 302
        assert not AccessLog.objects.exists()


class TestAccessLogPage:
    def test_only_a_leader_sees_the_access_log(self, counselor, leader, participant):
        assert client_for(counselor).get(url("access_log", participant)).status_code == 403
        assert client_for(leader).get(url("access_log", participant)).status_code == 200

    def test_it_lists_who_read_the_record(self, counselor, leader, participant):
        client_for(counselor).get(url("detail", participant))

        response = client_for(leader).get(url("access_log", participant))

        rows = list(response.context["page"].object_list)
        # Newest first: the leader's own read of the log, then the counselor's read.
        assert [(r.actor, r.what) for r in rows] == [
            (leader, "page:access-log"),
            (counselor, "page:overview"),
        ]
        assert counselor.full_name.encode() in response.content

    def test_it_says_what_and_why_in_words_not_codes(self, counselor, leader, participant):
        client_for(counselor).get(url("detail", participant))

        page = client_for(leader).get(url("access_log", participant)).content.decode()

        # Norwegian, the default language: plain words for the page and the relationship.
        for words in ("Denne tilgangsloggen", "Oversikt", "Leder", "Deltakerens veileder"):
            assert words in page
        for code in ("page:access-log", "page:overview", "<td>counselor</td>", "<td>leader</td>"):
            assert code not in page

    def test_a_code_it_does_not_know_reads_as_words(self):
        with translation.override("en"):
            assert labels.what_label("page:new-thing") == "New thing"
            assert labels.what_label("api:placement") == "Placement, through the API"
            assert labels.why_label("referral:taker") == "Took the referral (referral)"

    def test_a_leader_of_another_organisation_gets_a_404(self, other_org, participant):
        other_leader = make_staff(other_org, "boss@example.org", Membership.Role.LEADER)

        response = client_for(other_leader).get(url("access_log", participant))

        assert response.status_code == 404
        assert not AccessLog.objects.exists()


class TestAccessLogAdmin:
    @pytest.fixture
    def superuser(self, db) -> User:
        return User.objects.create_superuser(
            email="root@example.org", password="x-very-long-password", full_name="Root"
        )

    @pytest.fixture
    def row(self, counselor, participant) -> AccessLog:
        client_for(counselor).get(url("detail", participant))
        return AccessLog.objects.get()

    @pytest.mark.parametrize("model", [AccessLog, AuditEvent])
    def test_the_admin_grants_no_add_change_or_delete_even_to_a_superuser(self, superuser, model):
        model_admin = django_admin.site._registry[model]
        request = RequestFactory().get("/admin/")
        request.user = superuser

        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)
        assert model_admin.has_view_permission(request)

    def test_a_superuser_can_list_the_rows(self, superuser, row):
        response = client_for(superuser).get(reverse("admin:audit_accesslog_changelist"))

        assert response.status_code == 200

    def test_a_superuser_cannot_add_a_row(self, superuser, row):
        client = client_for(superuser)

        assert client.get(reverse("admin:audit_accesslog_add")).status_code == 403
        assert AccessLog.objects.count() == 1

    def test_a_superuser_cannot_change_a_row(self, superuser, row):
        response = client_for(superuser).post(
            reverse("admin:audit_accesslog_change", args=[row.pk]),
            {"what": "page:nothing", "why": "leader"},
        )

        assert response.status_code == 403
        row.refresh_from_db()
        assert row.what == "page:overview"

    def test_a_superuser_cannot_delete_a_row(self, superuser, row):
        client = client_for(superuser)

        response = client.post(
            reverse("admin:audit_accesslog_delete", args=[row.pk]), {"post": "yes"}
        )
        bulk = client.post(
            reverse("admin:audit_accesslog_changelist"),
            {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"},
        )

        assert response.status_code == 403
        assert bulk.status_code in (200, 302, 403)
        assert AccessLog.objects.filter(pk=row.pk).exists()
