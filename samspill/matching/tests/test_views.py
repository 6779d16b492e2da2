"""Matching pages: candidates for a need, suggestions for a person, decisions, hit rates."""

import pytest

from samspill.audit.models import AccessLog
from samspill.core.testing import client_for, make_participant
from samspill.employers.services import need_add
from samspill.matching.models import Proposal
from samspill.matching.queries import hit_rates
from samspill.participants.models import ConsentRecord
from samspill.participants.services import consent_give
from samspill.placements.models import Placement

pytestmark = pytest.mark.django_db


@pytest.fixture
def need(employer, counselor):
    return need_add(
        employer=employer, by=counselor, role="Lagermedarbeider", tasks="truck", hours_per_week=30
    )


@pytest.fixture
def shared(org, counselor):
    p = make_participant(org, counselor, given_name="Truls", what_i_can="Truckfører")
    consent_give(
        participant=p,
        by=counselor,
        recipient=ConsentRecord.Recipient.WORKPLACE,
        information=ConsentRecord.Information.STRENGTHS,
    )
    return p


def need_url(need):
    return f"/matching/needs/{need.pk}/"


def person_url(p):
    return f"/matching/participants/{p.pk}/"


def test_the_employer_page_links_an_open_need_to_its_candidates(counselor, employer, need):
    response = client_for(counselor).get(f"/employers/{employer.pk}/")
    assert need_url(need) in response.content.decode()


def test_a_counselor_sees_ranked_candidates_with_explanations(counselor, need, shared, participant):
    response = client_for(counselor).get(need_url(need))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("Truls") < page.index(participant.given_name + " " + participant.family_name)
    assert "truck" in page
    assert "Sensitive health detail" not in page
    assert AccessLog.objects.filter(actor=counselor, what=f"matching:need:{need.pk}").count() == 2


def test_a_counselor_never_sees_candidates_they_may_not_follow(other_team_counselor, need, shared):
    response = client_for(other_team_counselor).get(need_url(need))
    assert response.status_code == 200
    assert "Truls" not in response.content.decode()
    assert not AccessLog.objects.filter(actor=other_team_counselor).exists()


@pytest.mark.parametrize("who", ["admin", "employer_user", "mentor"])
def test_others_in_the_organisation_get_403_on_a_need(request, who, need):
    user = request.getfixturevalue(who)
    assert client_for(user).get(need_url(need)).status_code == 403


def test_another_organisation_gets_404(outsider, need, shared):
    assert client_for(outsider).get(need_url(need)).status_code == 404
    assert client_for(outsider).get(person_url(shared)).status_code == 404


@pytest.mark.parametrize("who", ["admin", "employer_user", "other_team_counselor"])
def test_a_person_page_is_404_to_those_who_may_not_see_them(request, who, shared):
    user = request.getfixturevalue(who)
    assert client_for(user).get(person_url(shared)).status_code == 404


def test_anonymous_is_sent_to_log_in(need):
    assert client_for(None).get(need_url(need)).status_code == 302


def test_proposing_from_a_need_records_the_factors(counselor, need, shared):
    response = client_for(counselor).post(need_url(need), {"action": "propose", "other": shared.pk})
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.action == Proposal.Action.PROPOSED
    assert proposal.by == counselor
    assert proposal.factors["skills"] > 0
    assert proposal.score > 0


def test_passing_over_needs_a_reason(counselor, need, shared):
    client = client_for(counselor)
    response = client.post(need_url(need), {"action": "pass", "other": shared.pk})
    assert response.status_code == 400
    assert not Proposal.objects.exists()
    client.post(need_url(need), {"action": "pass", "other": shared.pk, "reason": "Moving away"})
    assert Proposal.objects.get().reason == "Moving away"


def test_a_person_not_suggested_cannot_be_proposed(counselor, colleague, org, need):
    theirs = make_participant(org, colleague, given_name="Other")
    response = client_for(counselor).post(need_url(need), {"action": "propose", "other": theirs.pk})
    assert response.status_code == 404
    assert not Proposal.objects.exists()


def test_favouring_those_who_waited_is_offered_and_creaming_is_flagged(org, counselor, need):
    for i in range(6):
        p = make_participant(
            org, counselor, given_name=f"Easy{i}", what_i_can="truck", need_group="good_prospects"
        )
        consent_give(
            participant=p,
            by=counselor,
            recipient=ConsentRecord.Recipient.WORKPLACE,
            information=ConsentRecord.Information.STRENGTHS,
        )
    for i in range(6):
        make_participant(org, counselor, given_name=f"Hard{i}", need_group="little_prospect")
    client = client_for(counselor)
    page = client.get(need_url(need) + "?favour=waited_longest").content.decode()
    assert "ventet lengst" in page
    # 12 in the pool, half the hardest group; all suggested shown (limit 20): no creaming.
    assert 'role="alert"' not in page
    from samspill.matching import views

    views.LIMIT, old = 6, views.LIMIT
    try:
        page = client.get(need_url(need)).content.decode()
    finally:
        views.LIMIT = old
    assert "tydelig lettere" in page


def test_the_person_page_suggests_needs_and_starts_a_draft(counselor, need, shared):
    client = client_for(counselor)
    page = client.get(person_url(shared)).content.decode()
    assert "Lagermedarbeider" in page
    assert AccessLog.objects.filter(participant=shared, what="matching").exists()
    response = client.post(person_url(shared), {"action": "draft", "other": need.pk})
    placement = Placement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/placements/{placement.pk}/agreement/parties/"
    assert placement.title == "Lagermedarbeider"
    assert placement.employer_id == need.employer_id
    assert Proposal.objects.get().placement == placement


def test_the_person_page_proposes_to_the_coordinator(counselor, need, shared):
    client_for(counselor).post(person_url(shared), {"action": "propose", "other": need.pk})
    assert Proposal.objects.get().action == Proposal.Action.PROPOSED


def test_an_outcome_is_recorded_and_a_stale_one_refused(counselor, need, shared):
    client = client_for(counselor)
    client.post(need_url(need), {"action": "propose", "other": shared.pk})
    proposal = Proposal.objects.get()
    url = f"/matching/proposals/{proposal.pk}/outcome/"
    client.post(url, {"outcome": "meeting", "revision": 0})
    client.post(url, {"outcome": "declined", "revision": 0})
    proposal.refresh_from_db()
    assert proposal.outcome == "meeting"
    assert proposal.revision == 1


def test_hit_rates_count_placements_that_followed(org, counselor, need, shared):
    client = client_for(counselor)
    client.post(person_url(shared), {"action": "draft", "other": need.pk})
    rows, total = hit_rates(org.pk)
    assert total == 1
    for row in rows:  # one proposal: its side is a hidden 1, the other side a shown 0
        assert sorted([row.high, row.low], key=str) == [0, None]
        assert row.high_hits == row.low_hits == 0  # a draft is not yet a placement
    page = client.get("/matching/hit-rates/")
    assert page.status_code == 200
    assert client_for(None).get("/matching/hit-rates/").status_code == 302


def test_the_pages_take_constant_queries(
    org, counselor, need, shared, django_assert_max_num_queries
):
    client = client_for(counselor)
    client.get(need_url(need))
    client.get(person_url(shared))
    for i in range(5):
        make_participant(org, counselor, given_name=f"More{i}", what_i_can="truck")
        need_add(employer=need.employer, by=counselor, role=f"Truck {i}", tasks="truck")
    with django_assert_max_num_queries(30) as first:
        client.get(need_url(need))
    with django_assert_max_num_queries(30) as second:
        client.get(person_url(shared))
    n_need, n_person = len(first.captured_queries), len(second.captured_queries)
    for i in range(5):
        make_participant(org, counselor, given_name=f"Even{i}", what_i_can="truck")
        need_add(employer=need.employer, by=counselor, role=f"Lager {i}", tasks="truck")
    with django_assert_max_num_queries(n_need):
        client.get(need_url(need))
    with django_assert_max_num_queries(n_person):
        client.get(person_url(shared))
