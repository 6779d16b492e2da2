"""The caseload page: whom each role sees, search, quick filters and their counts, sort,
pagination, the htmx partial, and a query count that does not grow with the page size."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samspill.audit.models import AccessLog
from samspill.core.testing import client_for, make_participant
from samspill.participants import queries, services
from samspill.participants.models import Participant

URL = reverse("participants:caseload")


def shown(response) -> list[str]:
    """The names on the page, in the order shown."""
    return [p.given_name for p in response.context["page"].object_list]


def set_dates(participant: Participant, **dates: datetime.date | None) -> None:
    Participant.objects.filter(pk=participant.pk).update(**dates)


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def colleagues_participant(org, colleague) -> Participant:
    return make_participant(org, colleague, given_name="Colla", family_name="Teamsen")


@pytest.fixture
def other_teams_participant(org, other_team_counselor) -> Participant:
    return make_participant(org, other_team_counselor, given_name="Bea", family_name="Bteam")


@pytest.fixture
def everyone(participant, colleagues_participant, other_teams_participant, other_participant):
    return [participant, colleagues_participant, other_teams_participant, other_participant]


class TestWhoSeesWhom:
    def test_a_counselor_sees_only_their_own_participants(self, counselor, everyone):
        response = client_for(counselor).get(URL)

        assert response.status_code == 200
        assert shown(response) == ["Kari"]
        assert response.context["scopes"] == ["mine"]

    def test_a_counselor_cannot_widen_the_scope_through_the_query_string(self, counselor, everyone):
        for scope in ("team", "organisation"):
            response = client_for(counselor).get(URL, {"scope": scope})

            assert shown(response) == ["Kari"]
            assert response.context["flt"].scope == "mine"

    def test_a_counselor_sees_the_team_scope_when_the_organisation_allows_it(
        self, org, counselor, everyone
    ):
        org.team_sees_team_participants = True
        org.save()

        mine = client_for(counselor).get(URL)
        team = client_for(counselor).get(URL, {"scope": "team"})

        assert mine.context["scopes"] == ["mine", "team"]
        assert shown(mine) == ["Kari"]
        assert sorted(shown(team)) == ["Colla", "Kari"]

    def test_a_leader_sees_the_whole_organisation(self, leader, everyone):
        response = client_for(leader).get(URL)

        assert response.context["flt"].scope == "organisation"
        assert sorted(shown(response)) == ["Bea", "Colla", "Kari"]

    def test_a_leader_can_filter_by_team(self, leader, team_a, team_b, everyone):
        team_a_page = client_for(leader).get(URL, {"team": team_a.pk})
        team_b_page = client_for(leader).get(URL, {"team": team_b.pk})

        assert sorted(shown(team_a_page)) == ["Colla", "Kari"]
        assert shown(team_b_page) == ["Bea"]

    def test_a_counselor_cannot_use_the_team_filter(self, counselor, team_b, everyone):
        response = client_for(counselor).get(URL, {"team": team_b.pk})

        assert response.context["flt"].team is None
        assert shown(response) == ["Kari"]

    def test_a_leader_sees_only_their_own_participants_in_the_mine_scope(
        self, org, leader, everyone
    ):
        make_participant(org, leader, given_name="Leif", family_name="Leder")

        response = client_for(leader).get(URL, {"scope": "mine"})

        assert shown(response) == ["Leif"]

    def test_a_reassigned_participant_leaves_the_old_caseload(
        self, counselor, colleague, leader, participant
    ):
        services.counselor_assign(
            participant=participant, counselor=colleague, by=leader, reason="long_leave"
        )

        assert shown(client_for(counselor).get(URL)) == []
        assert shown(client_for(colleague).get(URL)) == ["Kari"]


class TestSearchAndStatus:
    def test_it_finds_participants_by_the_start_of_a_name(self, org, counselor, participant):
        make_participant(org, counselor, given_name="Per", family_name="Hansen")
        make_participant(org, counselor, given_name="Anne", family_name="Persen")

        assert sorted(shown(client_for(counselor).get(URL, {"q": "per"}))) == ["Anne", "Per"]
        assert shown(client_for(counselor).get(URL, {"q": "nord"})) == ["Kari"]
        assert shown(client_for(counselor).get(URL, {"q": "per hans"})) == ["Per"]
        assert shown(client_for(counselor).get(URL, {"q": "ordmann"})) == []

    def test_it_finds_a_name_written_as_the_list_shows_it(self, org, counselor, participant):
        make_participant(org, counselor, given_name="Per", family_name="Hansen")

        assert shown(client_for(counselor).get(URL, {"q": "Hansen, Per"})) == ["Per"]
        assert shown(client_for(counselor).get(URL, {"q": "Nordmann,Kari"})) == ["Kari"]

    def test_a_whole_national_id_finds_its_participant_and_the_lookup_is_logged(
        self, org, counselor, participant
    ):
        found = make_participant(
            org, counselor, given_name="Nina", family_name="Nilsen", national_id="17059006819"
        )

        response = client_for(counselor).get(URL, {"q": "170590 06819"})

        assert shown(response) == ["Nina"]
        log = AccessLog.objects.get(what="search:national_id")
        assert (log.participant_id, log.actor_id, log.why) == (found.pk, counselor.pk, "counselor")

    def test_a_national_id_of_someone_outside_the_caseload_finds_nothing_and_logs_nothing(
        self, org, counselor, colleague
    ):
        make_participant(org, colleague, given_name="Nina", national_id="17059006819")

        assert shown(client_for(counselor).get(URL, {"q": "17059006819"})) == []
        assert not AccessLog.objects.filter(what="search:national_id").exists()

    def test_a_phone_number_finds_its_participant_however_it_is_written(
        self, org, counselor, participant
    ):
        make_participant(org, counselor, given_name="Ola", phone="+47 912 34 567")

        for q in ("91234567", "912 34 567", "+4791234567"):
            assert shown(client_for(counselor).get(URL, {"q": q})) == ["Ola"]
        assert shown(client_for(counselor).get(URL, {"q": "91234568"})) == []
        assert not AccessLog.objects.filter(what="search:national_id").exists()

    def test_it_shows_active_participants_unless_asked_for_ended_ones(
        self, org, counselor, leader, participant
    ):
        ended = make_participant(org, counselor, given_name="Erik")
        services.period_end(
            participant=ended,
            by=counselor,
            end_date=datetime.date(2026, 2, 1),
            outcome="ordinary_work",
        )

        client = client_for(leader)
        assert shown(client.get(URL)) == ["Kari"]
        assert shown(client.get(URL, {"status": "ended"})) == ["Erik"]
        assert sorted(shown(client.get(URL, {"status": "all"}))) == ["Erik", "Kari"]


class TestQuickFilters:
    @pytest.fixture
    def caseload(self, org, counselor) -> dict[str, Participant]:
        people = {
            name: make_participant(org, counselor, given_name=name)
            for name in ("Overdue", "Soon", "Later", "Unplanned")
        }
        set_dates(people["Overdue"], next_follow_up_on=days(-3), last_contact_on=days(-40))
        set_dates(people["Soon"], next_follow_up_on=days(5), last_contact_on=days(-20))
        set_dates(people["Later"], next_follow_up_on=days(30), last_contact_on=days(-2))
        set_dates(people["Unplanned"], next_follow_up_on=None, last_contact_on=None)
        return people

    @pytest.mark.parametrize(
        ("quick", "expected"),
        [
            ("all", ["Later", "Overdue", "Soon", "Unplanned"]),
            ("due", ["Overdue", "Soon"]),
            ("overdue", ["Overdue"]),
            ("no_contact", ["Overdue", "Unplanned"]),
            ("no_follow_up", ["Unplanned"]),
        ],
    )
    def test_each_quick_filter_shows_the_right_participants(
        self, counselor, caseload, quick, expected
    ):
        response = client_for(counselor).get(URL, {"quick": quick})

        assert sorted(shown(response)) == expected

    def test_the_counts_are_given_for_every_quick_filter(self, counselor, caseload):
        response = client_for(counselor).get(URL, {"quick": "overdue"})

        assert response.context["counts"] == {
            "all": 4,
            "due": 2,
            "overdue": 1,
            "no_contact": 2,
            "no_follow_up": 1,
        }

    def test_no_contact_takes_the_number_of_days(self, counselor, caseload):
        response = client_for(counselor).get(URL, {"quick": "no_contact", "no_contact_days": "10"})

        assert sorted(shown(response)) == ["Overdue", "Soon", "Unplanned"]
        assert response.context["counts"]["no_contact"] == 3
        assert response.context["flt"].no_contact_days == 10

    def test_the_counts_follow_the_search(self, counselor, caseload):
        response = client_for(counselor).get(URL, {"q": "over"})

        assert response.context["counts"]["all"] == 1
        assert response.context["counts"]["overdue"] == 1
        assert response.context["counts"]["no_follow_up"] == 0

    def test_an_unknown_quick_filter_shows_everyone(self, counselor, caseload):
        response = client_for(counselor).get(URL, {"quick": "secret"})

        assert len(shown(response)) == 4


class TestSort:
    @pytest.fixture
    def caseload(self, org, counselor) -> None:
        for name, family, follow_up, contact in [
            ("Anna", "Berg", 10, -5),
            ("Bo", "Aas", 3, -50),
            ("Cecilie", "Dahl", 20, -1),
        ]:
            person = make_participant(org, counselor, given_name=name, family_name=family)
            set_dates(person, next_follow_up_on=days(follow_up), last_contact_on=days(contact))

    @pytest.mark.parametrize(
        ("sort", "expected"),
        [
            ("name", ["Bo", "Anna", "Cecilie"]),
            ("-name", ["Cecilie", "Anna", "Bo"]),
            ("next_follow_up", ["Bo", "Anna", "Cecilie"]),
            ("last_contact", ["Bo", "Anna", "Cecilie"]),
        ],
    )
    def test_it_sorts(self, counselor, caseload, sort, expected):
        assert shown(client_for(counselor).get(URL, {"sort": sort})) == expected

    def test_an_unknown_sort_is_refused_and_the_default_is_used(self, counselor, caseload):
        response = client_for(counselor).get(URL, {"sort": "national_id"})

        assert response.status_code == 200
        assert shown(response) == ["Bo", "Anna", "Cecilie"]


class TestPaginationAndHtmx:
    @pytest.fixture
    def sixty(self, org, counselor) -> None:
        for n in range(60):
            make_participant(org, counselor, given_name=f"P{n:02d}", family_name=f"F{n:02d}")

    def test_it_pages_through_the_caseload(self, counselor, sixty):
        client = client_for(counselor)

        first = client.get(URL, {"size": 25})
        third = client.get(URL, {"size": 25, "page": 3})

        assert first.context["page"].paginator.num_pages == 3
        assert shown(first)[0] == "P00"
        assert len(shown(first)) == 25
        assert shown(third) == [f"P{n}" for n in range(50, 60)]

    def test_it_falls_back_to_25_for_a_size_it_does_not_offer(self, counselor, sixty):
        for size in ("7", "1000", "many"):
            response = client_for(counselor).get(URL, {"size": size})

            assert response.context["size"] == 25
            assert len(shown(response)) == 25

    def test_a_page_beyond_the_end_shows_the_last_page(self, counselor, sixty):
        response = client_for(counselor).get(URL, {"size": 50, "page": 99})

        assert response.context["page"].number == 2
        assert len(shown(response)) == 10

    def test_the_number_of_queries_does_not_grow_with_the_page_size(self, counselor, sixty):
        client = client_for(counselor)
        client.get(URL)  # warm up anything cached per process

        with CaptureQueriesContext(connection) as ten:
            small = client.get(URL, {"size": "10", "sort": "last_contact", "scope": "mine"})
        with CaptureQueriesContext(connection) as fifty:
            large = client.get(URL, {"size": "50", "sort": "last_contact", "scope": "mine"})

        assert len(shown(small)) == 10
        assert len(shown(large)) == 50
        assert len(ten) == len(fifty), [q["sql"] for q in fifty]
        assert len(fifty) <= 8, [q["sql"] for q in fifty]

    def test_the_query_count_is_the_same_for_a_leader_in_the_organisation_scope(
        self, leader, sixty
    ):
        client = client_for(leader)

        with CaptureQueriesContext(connection) as ten:
            client.get(URL, {"size": 10})
        with CaptureQueriesContext(connection) as fifty:
            response = client.get(URL, {"size": 50})

        assert len(shown(response)) == 50
        assert len(ten) == len(fifty)

    def test_an_htmx_request_gets_only_the_results(self, counselor, participant):
        response = client_for(counselor).get(URL, {"q": "kari"}, headers={"HX-Request": "true"})

        assert response.status_code == 200
        assert [t.name for t in response.templates][0] == "participants/_caseload_results.html"
        assert b"<html" not in response.content
        assert b"Nordmann, Kari" in response.content

    def test_a_plain_request_gets_the_whole_page(self, counselor, participant):
        response = client_for(counselor).get(URL)

        assert [t.name for t in response.templates][0] == "participants/caseload.html"
        assert b"<html" in response.content
        assert b"Nordmann, Kari" in response.content


class TestBroadSearchCounts:
    """A search over the organisation stops counting at COUNT_CAP (here 2 of 4 matches)."""

    @pytest.fixture(autouse=True)
    def small_cap(self, monkeypatch):
        monkeypatch.setattr("samspill.participants.queries.COUNT_CAP", 2)

    @pytest.fixture
    def four(self, org, counselor) -> None:
        for n, family in enumerate(["Haug", "Hansen", "Holm", "Hagen"]):
            person = make_participant(org, counselor, given_name=f"H{n}", family_name=family)
            set_dates(person, next_follow_up_on=days(-1) if n < 3 else None)

    def test_it_says_more_than_and_shows_the_first_matches(self, leader, four):
        response = client_for(leader).get(URL, {"scope": "organisation", "q": "h"})

        assert response.context["capped"] is True
        assert response.context["counts"]["all"] == 3  # COUNT_CAP + 1: "more than"
        assert response.context["page"].paginator.count == 2
        assert shown(response) == ["H3", "H1", "H0"][:2]  # by family name: Hagen, Hansen
        assert "Mer enn 2 deltakere passer" in response.content.decode()
        assert b'<span class="count">2+</span>' in response.content

    def test_a_quick_filter_is_counted_on_its_own_up_to_the_cap(self, leader, four):
        client = client_for(leader)

        overdue = client.get(URL, {"scope": "organisation", "q": "h", "quick": "overdue"})
        unplanned = client.get(URL, {"scope": "organisation", "q": "h", "quick": "no_follow_up"})

        assert (overdue.context["capped"], overdue.context["page"].paginator.count) == (True, 2)
        assert (unplanned.context["capped"], unplanned.context["page"].paginator.count) == (
            False,
            1,
        )
        assert shown(unplanned) == ["H3"]
        # The chosen filter's own count is known and shown; the others' are not whole.
        assert unplanned.context["counts"]["no_follow_up"] == 1
        assert unplanned.context["counts_whole"] is False

    @pytest.mark.parametrize(
        ("q", "few", "sorted_by_keys"),
        [("h", False, False), ("h", True, True), ("han", False, True), ("x q", True, True)],
    )
    def test_only_a_short_search_with_many_matches_walks_the_name_index(
        self, q, few, sorted_by_keys
    ):
        flt = queries.CaseloadFilter(scope="organisation", q=q)

        first = queries._order(flt, few)[0]

        # The walk is the name index's own order; the sort puts NULLS FIRST, which it cannot.
        assert (first != "family_name") is sorted_by_keys

    def test_a_narrow_search_is_counted_in_full(self, leader, four):
        response = client_for(leader).get(URL, {"scope": "organisation", "q": "han"})

        assert response.context["capped"] is False
        assert response.context["counts_whole"] is True
        assert response.context["counts"]["all"] == 1

    def test_a_counselors_own_participants_are_always_counted_in_full(self, counselor, four):
        response = client_for(counselor).get(URL, {"q": "h"})

        assert response.context["capped"] is False
        assert response.context["counts"]["all"] == 4
        assert len(shown(response)) == 4

    def test_the_capped_page_asks_at_most_one_query_more(self, leader, four):
        client = client_for(leader)
        client.get(URL)

        with CaptureQueriesContext(connection) as plain:
            client.get(URL, {"scope": "organisation"})
        with CaptureQueriesContext(connection) as capped:
            client.get(URL, {"scope": "organisation", "q": "h", "quick": "overdue"})

        assert len(capped) <= len(plain) + 1, [q["sql"] for q in capped]


class TestWideCounts:
    """An unsearched team's or organisation's counts from WIDE_COUNTS_FROM up (here 3) are
    reused for a minute; a user's own and a search's are always counted."""

    @pytest.fixture(autouse=True)
    def small_threshold(self, monkeypatch):
        monkeypatch.setattr("samspill.participants.queries.WIDE_COUNTS_FROM", 3)
        cache.clear()
        yield
        cache.clear()

    @pytest.fixture
    def three(self, org, counselor) -> None:
        for n in range(3):
            make_participant(org, counselor, given_name=f"W{n}", family_name="Wide")

    def test_the_second_page_reuses_the_counts_without_a_query(self, leader, three):
        client = client_for(leader)

        with CaptureQueriesContext(connection) as first:
            client.get(URL, {"quick": "overdue"})
        with CaptureQueriesContext(connection) as second:
            response = client.get(URL, {"quick": "overdue"})

        assert len(second) == len(first) - 1, [q["sql"] for q in second]
        assert response.context["counts"]["all"] == 3
        assert not any("COUNT(" in q["sql"] for q in second)

    def test_the_rows_are_live_while_the_counts_lag(self, org, counselor, leader, three):
        client = client_for(leader)
        client.get(URL)

        make_participant(org, counselor, given_name="New", family_name="Aasen")
        response = client.get(URL)

        assert response.context["counts"]["all"] == 3  # for up to WIDE_COUNTS_SECONDS
        # The new participant is on the page, which ends a row early for that minute.
        assert shown(response) == ["New", "W0", "W1"]

    def test_the_next_day_is_counted_afresh(self, org, counselor, leader, three):
        client_for(leader).get(URL)
        make_participant(org, counselor, given_name="W3", family_name="Wide")

        with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
            response = client_for(leader).get(URL)  # a session of that day

        assert response.context["counts"]["all"] == 4

    def test_below_the_threshold_and_in_a_search_it_always_counts(self, leader, counselor, org):
        client = client_for(leader)
        make_participant(org, counselor, given_name="W0", family_name="Wide")
        client.get(URL)

        make_participant(org, counselor, given_name="W1", family_name="Wide")

        assert client.get(URL).context["counts"]["all"] == 2
        assert client.get(URL, {"q": "wide"}).context["counts"]["all"] == 2

    def test_a_counselors_own_caseload_is_always_counted(self, org, counselor, three):
        client = client_for(counselor)
        client.get(URL)

        make_participant(org, counselor, given_name="W3", family_name="Wide")

        assert client.get(URL).context["counts"]["all"] == 4


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the union is PostgreSQL's path")
class TestNameSearchStreams:
    """On PostgreSQL a clustered name search reads its keys as the union of the family name's
    and the given name's matches (queries.name_search_streams): the same rows, order and
    counts as the door's OR."""

    @pytest.fixture
    def names(self, org, counselor, other_team_counselor) -> None:
        people = [
            ("Hans", "Berg", 1),
            ("Anne", "Hansen", None),
            ("Hanna", "Hansen", 3),
            ("Arne", "Hansen", -2),
            ("Per", "Hanssen", None),
            ("Hansine", "Haug", 10),
            ("Ola", "Nordmann", 2),
            ("Hanne", "Aas", -5),
        ]
        for given, family, due in people:
            person = make_participant(org, counselor, given_name=given, family_name=family)
            set_dates(person, next_follow_up_on=days(due) if due is not None else None)

    @staticmethod
    def expected(q: str, sort: str, quick: str) -> list[str]:
        flt = queries.CaseloadFilter(scope="organisation", q=q, quick=quick)
        today = timezone.localdate()
        rows = [
            p
            for p in Participant.objects.all()
            if all(
                p.given_name.upper().startswith(t.upper())
                or p.family_name.upper().startswith(t.upper())
                for t in queries.search_terms(q)
            )
            and Participant.objects.filter(
                queries.quick_filter_q(quick, today=today, no_contact_days=flt.no_contact_days),
                pk=p.pk,
            ).exists()
        ]
        rows.sort(key=lambda p: (p.family_name, p.given_name, p.pk), reverse=sort == "-name")
        return [p.given_name for p in rows]

    @pytest.mark.parametrize("q", ["han", "hansen", "Hansen, A", "hans h", "nobody"])
    @pytest.mark.parametrize("sort", ["name", "-name"])
    @pytest.mark.parametrize("quick", ["all", "due", "no_follow_up"])
    def test_the_union_shows_what_the_door_shows(self, leader, names, q, sort, quick):
        params = {"scope": "organisation", "q": q, "sort": sort, "quick": quick, "size": 10}
        response = client_for(leader).get(URL, params)

        assert shown(response) == self.expected(q, sort, quick)
        assert response.context["counts"][quick] == len(self.expected(q, sort, quick))

    def test_a_page_of_the_union(self, leader, names):
        membership = leader.memberships.get()
        for sort in ("name", "-name"):
            flt = queries.CaseloadFilter(scope="organisation", q="han", sort=sort)
            base = queries.caseload_base(leader, membership, flt)
            rows = queries.caseload_rows(base, flt)
            streams = queries.name_search_streams(leader, membership, flt)

            page = queries.caseload_slice(rows, 2, 5, streams)

            assert [p.given_name for p in page] == self.expected("han", sort, "all")[2:5]

    def test_capped_counts_from_the_union(self, leader, names, monkeypatch):
        monkeypatch.setattr("samspill.participants.queries.COUNT_CAP", 2)

        response = client_for(leader).get(URL, {"scope": "organisation", "q": "hansen"})

        assert response.context["capped"] is True
        assert response.context["counts"]["all"] == 3  # COUNT_CAP + 1: "more than"
        assert shown(response) == ["Anne", "Arne"]

    def test_the_streams_are_used(self, leader, names):
        membership = leader.memberships.get()
        flt = queries.CaseloadFilter(scope="organisation", q="hansen")

        assert queries.name_search_streams(leader, membership, flt) is not None
        flt.sort = "next_follow_up"
        assert queries.name_search_streams(leader, membership, flt) is None
        assert queries.name_search_streams(leader, membership, flt, quick=False) is not None
