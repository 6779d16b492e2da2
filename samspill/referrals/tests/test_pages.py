"""The referral pages: the list (who sees what, filters, search, pagination and a fixed query
count), create, edit, outcome and "make participant". Bad input shows a clear message and
writes nothing; every read of a referral is logged."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from samspill.accounts.models import User
from samspill.audit.models import AccessLog, AuditEvent
from samspill.core.testing import client_for
from samspill.participants.models import Participant
from samspill.referrals.models import Referral, ReferralAccessLog
from samspill.referrals.tests.conftest import make_referral

LIST = reverse("referrals:list")
CREATE = reverse("referrals:create")


def english(user: User) -> Client:
    client = client_for(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def url(name: str, referral: Referral) -> str:
    return reverse(f"referrals:{name}", kwargs={"pk": referral.pk})


def shown(response) -> list[str]:
    return [r.given_name for r in response.context["page"].object_list]


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def form_data(**changes: str) -> dict[str, str]:
    data = {
        "received_on": "2026-03-02",
        "source": "street_team",
        "source_other": "",
        "taken_by": "",
        "need_group": "",
        "asked_for": "Wants a summer job.",
        "given_name": "Åse",
        "family_name": "Øvrebø",
        "birth_date": "",
        "phone": "",
        "email": "",
        "revision": "1",  # an edit sends the revision it was opened at; a new one ignores it
    }
    data.update(changes)
    return data


@pytest.fixture
def everyone(referral, unassigned_referral, colleagues_referral, other_referral):
    return [referral, unassigned_referral, colleagues_referral, other_referral]


class TestWhoSeesWhich:
    def test_a_counselor_sees_their_own_and_the_unassigned(self, counselor, everyone):
        response = client_for(counselor).get(LIST)

        assert response.status_code == 200
        assert sorted(shown(response)) == ["Siri", "Ulf"]

    @pytest.mark.parametrize("who", ["leader", "coordinator"])
    def test_leaders_and_coordinators_see_the_whole_organisation(self, request, who, everyone):
        response = client_for(request.getfixturevalue(who)).get(LIST)

        assert sorted(shown(response)) == ["Cora", "Siri", "Ulf"]

    def test_an_administrator_is_refused_the_list(self, admin, everyone):
        assert client_for(admin).get(LIST).status_code == 403

    def test_another_organisation_sees_only_its_own(self, outsider, everyone):
        assert shown(client_for(outsider).get(LIST)) == ["Otto"]

    def test_the_navigation_links_to_the_referrals_for_staff_who_follow(self, counselor, admin):
        link = f'href="{LIST}"'.encode()

        assert link in client_for(counselor).get(reverse("participants:caseload")).content
        assert link not in client_for(admin).get("/").content


class TestFilters:
    @pytest.fixture
    def many(self, org, counselor, leader):
        make_referral(org, leader, given_name="Anna", family_name="Berg", source="child_welfare")
        make_referral(
            org,
            leader,
            given_name="Bjørn",
            family_name="Dal",
            received_on=datetime.date(2026, 5, 5),
            taken_by=counselor,
        )
        anna_b = make_referral(org, leader, given_name="Anne", family_name="Bø")
        from samspill.referrals import services

        services.referral_set_outcome(referral=anna_b, by=leader, outcome="ordinary_work")

    @pytest.mark.parametrize(
        ("params", "names"),
        [
            ({"source": "child_welfare"}, ["Anna"]),
            ({"outcome": "ordinary_work"}, ["Anne"]),
            ({"outcome": "none"}, ["Anna", "Bjørn"]),
            ({"taken": "mine"}, ["Bjørn"]),
            ({"received_from": "2026-05-01", "received_to": "2026-05-31"}, ["Bjørn"]),
            ({"q": "an"}, ["Anna", "Anne"]),
            ({"q": "anne b"}, ["Anne"]),
            ({"q": "dal"}, ["Bjørn"]),
            ({}, ["Anna", "Anne", "Bjørn"]),
        ],
    )
    def test_it_filters(self, counselor, leader, many, params, names):
        user = counselor if params.get("taken") == "mine" else leader
        response = client_for(user).get(LIST, params)

        assert sorted(shown(response)) == names

    def test_a_range_that_ends_before_it_starts_is_refused_clearly(self, leader, many):
        response = english(leader).get(
            LIST, {"received_from": "2026-06-01", "received_to": "2026-05-01"}
        )

        assert response.status_code == 200
        assert b"The end must be on or after the start." in response.content

    def test_an_unknown_source_is_refused_clearly(self, leader, many):
        response = english(leader).get(LIST, {"source": "the_moon"})

        assert b"Select a valid choice." in response.content


@pytest.mark.parametrize("rows", [3, 40])
def test_the_list_runs_the_same_queries_whatever_the_number_of_rows(
    org, counselor, leader, rows, django_assert_num_queries
):
    for n in range(rows):
        make_referral(org, leader, given_name=f"R{n:02}", taken_by=counselor if n % 2 else None)
    client = client_for(counselor)

    # Session, user, membership, count, page (who takes each referral is joined in).
    with django_assert_num_queries(5):
        response = client.get(LIST, {"page": 2 if rows > 25 else 1})

    assert response.status_code == 200
    assert len(shown(response)) == (15 if rows > 25 else rows)


class TestCreate:
    def test_it_records_a_referral_and_opens_it(self, org, counselor):
        response = client_for(counselor).post(CREATE, form_data(taken_by=str(counselor.pk)))

        referral = Referral.objects.get()
        assert response.status_code == 302
        assert response["Location"] == url("detail", referral)
        assert referral.family_name == "Øvrebø"
        assert referral.taken_by == counselor
        assert referral.organisation == org

    def test_the_taker_choice_is_the_staff_who_can_follow_participants(
        self, counselor, colleague, leader, admin, outsider
    ):
        response = client_for(counselor).get(CREATE)

        choices = set(response.context["form"].fields["taken_by"].queryset)
        assert choices == {counselor, colleague, leader}

    def test_a_referral_for_a_colleague_goes_back_to_the_list(self, counselor, colleague):
        response = english(counselor).post(CREATE, form_data(taken_by=str(colleague.pk)))

        assert response.status_code == 302
        assert response["Location"] == LIST
        assert Referral.objects.get().taken_by == colleague

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"given_name": ""}, b"This field is required."),
            ({"source": "other"}, "Say who referred the person when you choose “Other”.".encode()),
            ({"received_on": "2099-01-01"}, b"The date cannot be in the future."),
            ({"received_on": "31.02.2026"}, b"Enter a valid date."),
            ({"email": "nope"}, b"Enter a valid email address."),
        ],
    )
    def test_bad_input_is_refused_clearly_and_writes_nothing(self, counselor, changes, message):
        response = english(counselor).post(CREATE, form_data(**changes))

        assert response.status_code == 400
        assert message in response.content
        assert not Referral.objects.exists()
        assert not AuditEvent.objects.exists()

    def test_a_taker_from_another_organisation_is_refused(self, counselor, outsider):
        response = english(counselor).post(CREATE, form_data(taken_by=str(outsider.pk)))

        assert response.status_code == 400
        assert not Referral.objects.exists()

    def test_the_messages_are_translated(self, counselor):
        response = client_for(counselor).post(CREATE, form_data(given_name=""))

        assert b"This field is required." not in response.content


class TestDetailAndEdit:
    def test_the_detail_page_shows_the_referral_and_logs_the_read(self, counselor, referral):
        response = english(counselor).get(url("detail", referral))

        assert response.status_code == 200
        assert b"Siri Henvist" in response.content
        assert b"Make participant" in response.content
        [log] = ReferralAccessLog.objects.all()
        assert (log.actor, log.referral_id, log.what, log.why) == (
            counselor,
            referral.pk,
            "page:referral",
            "taker",
        )
        assert not AccessLog.objects.exists()

    def test_the_log_names_the_relationship(self, colleague, coordinator, unassigned_referral):
        client_for(colleague).get(url("detail", unassigned_referral))
        client_for(coordinator).get(url("detail", unassigned_referral))

        assert sorted(ReferralAccessLog.objects.values_list("why", flat=True)) == [
            "coordinator",
            "unassigned",
        ]

    def test_a_converted_referral_is_logged_on_the_participant_too(self, leader, referral):
        client_for(leader).post(url("make_participant", referral))
        referral.refresh_from_db()

        client_for(leader).get(url("detail", referral))

        [log] = AccessLog.objects.filter(what="page:referral")
        assert log.participant_id == referral.participant_id
        assert log.actor == leader
        assert log.why == "referral:leader"

    def test_it_saves_an_edit(self, counselor, referral):
        data = form_data(taken_by=str(counselor.pk), phone="+47 911 22 333")

        response = client_for(counselor).post(url("edit", referral), data)

        assert response.status_code == 302
        referral.refresh_from_db()
        assert referral.phone == "+47 911 22 333"
        assert referral.given_name == "Åse"

    def test_a_bad_edit_writes_nothing(self, counselor, referral):
        data = form_data(taken_by=str(counselor.pk), source="other", source_other="")

        response = english(counselor).post(url("edit", referral), data)

        assert response.status_code == 400
        referral.refresh_from_db()
        assert referral.source == "youth_department"
        assert referral.given_name == "Siri"


class TestOutcome:
    def test_it_sets_the_outcome(self, counselor, referral):
        response = client_for(counselor).post(
            url("outcome", referral),
            {"outcome": "other_measure", "outcome_on": "2026-02-01", "revision": "1"},
        )

        assert response.status_code == 302
        referral.refresh_from_db()
        assert referral.outcome == "other_measure"
        assert referral.outcome_on == datetime.date(2026, 2, 1)

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"outcome": "", "outcome_on": "2026-02-01"}, b"This field is required."),
            (
                {"outcome": "education", "outcome_on": "2026-01-01"},
                b"The outcome cannot be before the referral was received.",
            ),
            ({"outcome": "education", "outcome_on": "2099-01-01"}, b"in the future"),
        ],
    )
    def test_a_bad_outcome_is_refused_clearly(self, counselor, referral, data, message):
        response = english(counselor).post(url("outcome", referral), {**data, "revision": "1"})

        assert response.status_code == 400
        assert message in response.content
        referral.refresh_from_db()
        assert referral.outcome == ""


class TestMakeParticipant:
    def test_one_click_makes_the_participant_and_opens_their_page(self, counselor, referral):
        response = english(counselor).post(url("make_participant", referral))

        participant = Participant.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("participants:detail", kwargs={"pk": participant.pk})
        assert participant.counselor == counselor
        referral.refresh_from_db()
        assert referral.participant == participant
        # Taken in, the referral has no outcome until the follow-up period has one.
        assert referral.outcome == ""
        page = english(counselor).get(url("detail", referral))
        assert b"recorded as the outcome of their follow-up period" in page.content

    def test_it_refuses_twice_with_a_message(self, counselor, referral):
        client = english(counselor)
        client.post(url("make_participant", referral))

        response = client.post(url("make_participant", referral), follow=True)

        assert Participant.objects.count() == 1
        assert "This referral has already been made a participant." in messages_of(response)

    def test_a_coordinator_who_cannot_see_the_participant_stays_on_the_referral(
        self, coordinator, counselor, referral
    ):
        response = client_for(coordinator).post(url("make_participant", referral))

        assert response.status_code == 302
        assert response["Location"] == url("detail", referral)
        assert Participant.objects.get().counselor == counselor

    def test_it_needs_the_csrf_token(self, counselor, referral):
        client = Client(enforce_csrf_checks=True)
        client.force_login(counselor)

        response = client.post(url("make_participant", referral))

        assert response.status_code == 403
        assert not Participant.objects.exists()

    def test_a_get_makes_nothing(self, counselor, referral):
        response = client_for(counselor).get(url("make_participant", referral))

        assert response.status_code == 405
        assert not Participant.objects.exists()
