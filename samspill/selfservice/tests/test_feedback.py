import datetime

import pytest
from django.urls import reverse

from samspill.core.testing import client_for, make_participant
from samspill.selfservice import services
from samspill.selfservice.models import Feedback
from samspill.selfservice.tests.conftest import own_login

MINE = reverse("selfservice:my_feedback")
SUMMARY = reverse("selfservice:feedback_summary")
ANSWERS = {"listened": 5, "reachable": 4, "helps": 3}


def test_the_participant_answers_once_a_half_year(me, participant, time_machine):
    time_machine.move_to(datetime.datetime(2026, 8, 1, 9, tzinfo=datetime.UTC))
    client = client_for(me)
    assert client.post(MINE, ANSWERS).status_code == 302
    assert Feedback.objects.get().round == "2026-H2"
    assert client.get(MINE).context["answered"]
    assert client.post(MINE, ANSWERS).status_code == 400
    assert Feedback.objects.count() == 1
    time_machine.move_to(datetime.datetime(2027, 1, 2, 9, tzinfo=datetime.UTC))
    assert client_for(me).post(MINE, ANSWERS).status_code == 302
    assert Feedback.objects.count() == 2


@pytest.mark.parametrize("bad", [{"helps": 9}, {"helps": ""}, {"listened": "x"}])
def test_a_bad_answer_is_refused(me, bad):
    assert client_for(me).post(MINE, {**ANSWERS, **bad}).status_code == 400
    assert not Feedback.objects.exists()


def test_leaders_see_counts_with_small_ones_hidden(org, counselor, leader, time_machine):
    time_machine.move_to(datetime.datetime(2026, 8, 1, 9, tzinfo=datetime.UTC))
    for index in range(6):
        p = make_participant(org, counselor, family_name=f"P{index}")
        login = own_login(p, counselor, f"p{index}@example.org")
        services.feedback_give(
            participant=p, by=login, listened=5, reachable=5 if index else 1, helps=4
        )
    page = client_for(leader).get(SUMMARY)
    [round_] = page.context["rounds"]
    listened, reachable, _helps = round_.questions
    assert listened[1] == [0, 0, 0, 0, 6] and listened[2] == 6
    assert None in reachable[1]  # the one "disagree" (and a cell it could be worked out from)
    assert round_.suppressed
    body = page.content.decode()
    assert "P1" not in body and "Kari" not in body


def test_the_summary_is_for_leaders_only(counselor, admin, me, mentor):
    for user in (counselor, admin, me, mentor):
        assert client_for(user).get(SUMMARY).status_code == 403


def test_the_feedback_page_is_the_participants_alone(counselor, leader, mentor):
    for user in (counselor, leader, mentor):
        assert client_for(user).get(MINE).status_code == 403
        assert client_for(user).post(MINE, ANSWERS).status_code == 403
    assert not Feedback.objects.exists()


def test_the_pages_run_a_fixed_number_of_queries(me, leader, django_assert_num_queries):
    client = client_for(me)
    client.post(MINE, ANSWERS)
    # Session, user, participant, access log, answered, loop evaluations, workplaces, unread;
    # the layout's three.
    with django_assert_num_queries(11):
        assert client.get(MINE).status_code == 200
    staff = client_for(leader)
    # Session, user, membership, a query a question.
    with django_assert_num_queries(6):
        assert staff.get(SUMMARY).status_code == 200


def test_leaders_find_the_summary_beside_their_other_insights(leader, admin):
    outcomes = reverse("insights:outcomes")

    leaders_page = client_for(leader).get(outcomes).content.decode()
    summary = client_for(leader).get(SUMMARY).content.decode()

    assert f'href="{SUMMARY}"' in leaders_page
    # On the summary itself: the same tabs, this one marked as the page shown.
    assert f'href="{SUMMARY}" aria-current="page"' in summary
    assert f'href="{outcomes}"' in summary
    # An administrator sees the insights but not what participants answered.
    assert f'href="{SUMMARY}"' not in client_for(admin).get(outcomes).content.decode()


def test_the_questionnaire_offers_the_five_answers_and_no_blank_one(me):
    body = client_for(me).get(MINE).content.decode()

    assert "---------" not in body
    assert body.count('type="radio"') == 3 * len(Feedback.Answer.choices)
