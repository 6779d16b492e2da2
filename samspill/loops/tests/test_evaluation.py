"""The evaluation of a loop at the end of its year, and the comparison of loops (issue 22,
item 3): who answers what, stale writes, outcomes, small cells, the API, query counts."""

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from samspill.audit.models import AccessLog, AuditEvent
from samspill.core.revisions import StaleRevision
from samspill.core.testing import client_for, make_participant
from samspill.employers.services import contact_add
from samspill.loops import evaluation
from samspill.loops.models import EvaluationAnswer, LoopEvaluation
from samspill.loops.tests.evaluation_world import ended_loop
from samspill.outbox.models import Message
from samspill.participants import outcomes as participant_outcomes
from samspill.participants.models import FollowUpPeriod

SCALES: dict[str, Any] = {"worked": 4, "supported": 5, "again": 4}


def test_the_driver_opens_the_evaluation_and_the_workplaces_are_asked_by_email(
    year_loop, coordinator, mentor, employer_user
):
    before = Message.objects.count()
    current = evaluation.evaluation_open(loop=year_loop, by=coordinator)
    assert current.is_open and current.opened_by == coordinator
    sent = Message.objects.filter(pk__gt=0).order_by("pk")[before:]
    assert {m.to[0] for m in sent} == {mentor.email, employer_user.email}
    assert reverse("loop_evaluation:answer", args=[year_loop.pk]) in sent[0].body
    assert AuditEvent.objects.filter(action="loop.evaluation_opened", actor=coordinator).exists()
    with pytest.raises(ValidationError):
        evaluation.evaluation_open(loop=year_loop, by=coordinator)


def test_it_opens_only_from_the_start_of_the_last_period(open_loop, coordinator):
    with pytest.raises(ValidationError):
        evaluation.evaluation_open(loop=open_loop, by=coordinator)
    assert not LoopEvaluation.objects.exists()


def test_a_contact_answers_their_own_questionnaire_and_may_correct_it(
    opened, year_loop, employer_contact, employer_user, mentor_contact, mentor
):
    answer = evaluation.evaluation_answer(
        evaluation=opened, by=employer_user, contact=employer_contact, went_well="Godt", **SCALES
    )
    assert answer.respondent == EvaluationAnswer.Respondent.EMPLOYER
    assert answer.recorded_by == employer_user
    changed = evaluation.evaluation_answer(
        evaluation=opened,
        by=employer_user,
        contact=employer_contact,
        revision=answer.revision,
        **(SCALES | {"worked": 2}),
    )
    assert changed.pk == answer.pk and changed.worked == 2
    with pytest.raises(StaleRevision):
        evaluation.evaluation_answer(
            evaluation=opened,
            by=employer_user,
            contact=employer_contact,
            revision=answer.revision,
            **SCALES,
        )
    # Nobody answers for another contact, not even a colleague at the same workplace.
    with pytest.raises(PermissionDenied):
        evaluation.evaluation_answer(
            evaluation=opened, by=mentor, contact=employer_contact, **SCALES
        )
    mine = evaluation.evaluation_answer(
        evaluation=opened, by=mentor, contact=mentor_contact, **SCALES
    )
    assert mine.respondent == EvaluationAnswer.Respondent.MENTOR


def test_bad_answers_are_refused_and_change_nothing(opened, employer_contact, employer_user):
    for bad in ({"worked": 0}, {"again": 6}, {"went_well": "x" * 3001}):
        with pytest.raises(ValidationError):
            evaluation.evaluation_answer(
                evaluation=opened,
                by=employer_user,
                contact=employer_contact,
                **(SCALES | bad),
            )
    assert not EvaluationAnswer.objects.exists()


def test_a_contact_of_an_employer_outside_the_loop_finds_no_questionnaire(
    opened, year_loop, org, counselor
):
    from samspill.core.testing import make_employer, portal_user

    elsewhere = make_employer(org, counselor, name="Annet AS")
    contact = contact_add(employer=elsewhere, by=counselor, name="Ann", email="ann@annet.example")
    user = portal_user(contact)
    client = client_for(user)
    assert client.get(reverse("loop_evaluation:answer", args=[year_loop.pk])).status_code == 404
    assert year_loop.name not in client.get(reverse("loop_evaluation:mine")).content.decode()
    with pytest.raises(Http404):
        evaluation.evaluation_answer(evaluation=opened, by=user, contact=contact, **SCALES)


def test_a_young_person_answers_through_their_own_pages_and_sees_only_their_own(
    opened, year_loop, youth_user, young, employer_contact, employer_user
):
    evaluation.evaluation_answer(
        evaluation=opened, by=employer_user, contact=employer_contact, change="Mer tid", **SCALES
    )
    client = client_for(youth_user)
    mine = client.get(reverse("loop_evaluation:mine"))
    assert f'data-loop="{year_loop.pk}"' in mine.content.decode()
    url = reverse("loop_evaluation:answer", args=[year_loop.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Mer tid" not in page.content.decode()
    response = client.post(url, {"worked": 5, "supported": 4, "again": 5, "went_well": "Alt"})
    assert response.status_code == 302
    answer = opened.answers.get(participant=young[0])
    assert answer.respondent == "youth" and answer.went_well == "Alt"
    # The young person's pages never show the driver's side.
    assert client.get(reverse("loop_evaluation:page", args=[year_loop.pk])).status_code == 403


def test_staff_who_follow_a_young_person_record_their_answers_with_them(
    opened, year_loop, young, counselor, coordinator
):
    url = reverse("loop_evaluation:youth", args=[year_loop.pk, young[1].pk])
    response = client_for(counselor).post(url, {"worked": 3, "supported": 4, "again": 4})
    assert response.status_code == 302
    assert opened.answers.get(participant=young[1]).recorded_by == counselor
    # The driver follows none of them: the young person is not found for them.
    assert client_for(coordinator).get(url).status_code == 404
    with pytest.raises(Http404):
        evaluation.evaluation_answer(
            evaluation=opened, by=coordinator, participant=young[2], **SCALES
        )


def test_a_bad_post_gets_a_message_and_saves_nothing(opened, year_loop, young, counselor):
    url = reverse("loop_evaluation:youth", args=[year_loop.pk, young[1].pk])
    response = client_for(counselor).post(url, {"worked": 9})
    assert response.status_code == 400
    assert not opened.answers.exists()


def test_the_outcome_comes_from_the_follow_up_or_the_evaluation(
    opened, year_loop, young, counselor, coordinator
):
    period = FollowUpPeriod.objects.filter(participant=young[0]).first()
    assert period is not None  # every participant is made with an open follow-up period
    participant_outcomes.outcome_record(
        period=period, by=counselor, date=timezone.localdate(), outcome="education"
    )
    evaluation.evaluation_outcome_record(
        evaluation=opened, participant=young[1], by=counselor, outcome="ordinary_work"
    )
    view = evaluation.evaluation_view(year_loop, counselor)
    rows = {y.participant_id: y for y in view.youth}
    assert (rows[young[0].pk].outcome, rows[young[0].pk].from_follow_up) == ("education", True)
    assert (rows[young[1].pk].outcome, rows[young[1].pk].from_follow_up) == (
        "ordinary_work",
        False,
    )
    assert rows[young[2].pk].outcome == ""


def test_outcomes_are_recorded_by_staff_who_follow_the_young_person(
    opened, year_loop, young, counselor, coordinator
):
    record = evaluation.evaluation_outcome_record(
        evaluation=opened, participant=young[1], by=counselor, outcome="education"
    )
    with pytest.raises(StaleRevision):
        evaluation.evaluation_outcome_record(
            evaluation=opened,
            participant=young[1],
            by=counselor,
            outcome="ordinary_work",
            revision=record.revision + 1,
        )
    with pytest.raises(Http404):
        evaluation.evaluation_outcome_record(
            evaluation=opened, participant=young[1], by=coordinator, outcome="education"
        )
    with pytest.raises(ValidationError):
        evaluation.evaluation_outcome_record(
            evaluation=opened, participant=young[1], by=counselor, outcome="moon"
        )
    response = client_for(counselor).post(
        reverse("loop_evaluation:outcome", args=[year_loop.pk]),
        {"participant": young[2].pk, "outcome": "apprenticeship"},
    )
    assert response.status_code == 302
    assert opened.outcomes.get(participant=young[2]).outcome == "apprenticeship"


def test_the_driver_sees_the_answers_and_names_only_whom_they_may_open(
    opened, year_loop, young, counselor, coordinator, ext_driver, employer_contact, employer_user
):
    evaluation.evaluation_answer(
        evaluation=opened, by=employer_user, contact=employer_contact, went_well="Bra", **SCALES
    )
    evaluation.evaluation_answer(
        evaluation=opened, by=counselor, participant=young[0], went_well="Fint", **SCALES
    )
    for user in (coordinator, ext_driver.user):
        page = client_for(user).get(reverse("loop_evaluation:page", args=[year_loop.pk]))
        text = page.content.decode()
        assert page.status_code == 200
        assert "Bra" in text and "Fint" in text and young[0].full_name not in text
    before = AccessLog.objects.filter(actor=counselor).count()
    staff = client_for(counselor).get(reverse("loop_evaluation:page", args=[year_loop.pk]))
    assert young[0].full_name in staff.content.decode()
    assert AccessLog.objects.filter(actor=counselor).count() == before + len(young)


def test_closing_keeps_the_summary_and_stops_the_answers(
    opened, year_loop, coordinator, employer_contact, employer_user
):
    with pytest.raises(ValidationError):
        evaluation.evaluation_close(evaluation=opened, by=coordinator, summary="  ")
    closed = evaluation.evaluation_close(
        evaluation=opened, by=coordinator, summary="Faste oppgaver", revision=opened.revision
    )
    assert not closed.is_open
    with pytest.raises(ValidationError):
        evaluation.evaluation_answer(
            evaluation=closed, by=employer_user, contact=employer_contact, **SCALES
        )
    assert (
        client_for(employer_user)
        .get(reverse("loop_evaluation:answer", args=[year_loop.pk]))
        .status_code
        == 404
    )


def test_a_stale_close_is_refused(opened, coordinator):
    with pytest.raises(StaleRevision):
        evaluation.evaluation_close(
            evaluation=opened, by=coordinator, summary="x", revision=opened.revision + 1
        )
    opened.refresh_from_db()
    assert opened.is_open


def test_the_comparison_hides_small_counts_and_shows_employers_in_a_later_loop(
    year_loop, org, coordinator, counselor, employers, mentor_contact, opened
):
    later = ended_loop(
        org,
        coordinator,
        counselor,
        employers[:2] + [employers[2]],
        [
            make_participant(
                org, counselor, given_name=f"P{i}", birth_date=datetime.date(2005, 1, 1)
            )
            for i in range(3)
        ],
        mentor_contact,
        name="Loop Sør",
        days=100,
    )
    rows = {r.loop.pk: r for r in evaluation.compare([later, year_loop])}
    first = rows[year_loop.pk]
    assert first.youth is None  # three young people: hidden
    assert (first.employers, first.employers_again) == (3, 3)
    assert rows[later.pk].employers_again == 0
    assert first.workplace.answers == 0 and first.evaluated and not first.closed


def test_the_comparison_shows_means_from_five_answers(year_loop, opened, org, counselor, employers):
    users = []
    for i in range(5):
        from samspill.core.testing import portal_user

        contact = contact_add(
            employer=employers[i % 3], by=counselor, name=f"K{i}", email=f"k{i}@x.example"
        )
        users.append((contact, portal_user(contact)))
    for i, (contact, user) in enumerate(users):
        evaluation.evaluation_answer(
            evaluation=opened,
            by=user,
            contact=contact,
            worked=1 + i % 5,
            supported=5,
            again=4,
        )
    (row,) = evaluation.compare([year_loop])
    assert row.workplace.answers == 5
    assert (row.workplace.worked, row.workplace.supported, row.workplace.again) == (3.0, 5.0, 4.0)
    assert row.young.answers == 0


def test_who_may_compare(year_loop, coordinator, ext_driver, admin, mentor, outsider):
    assert [loop.pk for loop in evaluation.comparison_loops(coordinator)] == [year_loop.pk]
    # The external driver became the loop's driver: it is no longer the coordinator's own.
    assert evaluation.comparison_loops(coordinator, mine=True) == []
    assert [loop.pk for loop in evaluation.comparison_loops(ext_driver.user)] == [year_loop.pk]
    assert evaluation.comparison_loops(outsider) == []
    for user in (admin, mentor):
        with pytest.raises(PermissionDenied):
            evaluation.comparison_loops(user)


def test_the_pages_take_a_fixed_number_of_queries(
    opened,
    year_loop,
    coordinator,
    counselor,
    employer_contact,
    employer_user,
    young,
    django_assert_max_num_queries,
):
    evaluation.evaluation_answer(
        evaluation=opened, by=employer_user, contact=employer_contact, **SCALES
    )
    for person in young:
        evaluation.evaluation_answer(evaluation=opened, by=counselor, participant=person, **SCALES)
    staff = client_for(counselor)
    # Session, membership, loop, evaluation, answers, outcomes, seats, visible people, access
    # log rows (one per named young person), follow-up outcomes, contacts, partner.
    with django_assert_max_num_queries(22):
        assert staff.get(reverse("loop_evaluation:page", args=[year_loop.pk])).status_code == 200
    with django_assert_max_num_queries(14):
        assert staff.get(reverse("loop_evaluation:compare")).status_code == 200
    portal = client_for(employer_user)
    with django_assert_max_num_queries(12):
        response = portal.get(reverse("loop_evaluation:answer", args=[year_loop.pk]))
        assert response.status_code == 200
    with django_assert_max_num_queries(10):
        assert portal.get(reverse("loop_evaluation:mine")).status_code == 200


def test_the_api_opens_answers_compares_and_answers_409_for_a_stale_change(
    year_loop, coordinator, employer_user
):
    driver = client_for(coordinator)
    base = f"/api/v1/loop-evaluations/{year_loop.pk}"
    assert driver.get(base).json()["state"] == "not_opened"
    assert driver.post(base).status_code == 201
    assert driver.post(base).status_code == 422  # already open
    portal = client_for(employer_user)
    body = {"worked": 4, "supported": 3, "again": 5, "went_well": "Bra"}
    first = portal.put(f"{base}/mine", body, content_type="application/json")
    assert first.status_code == 200 and first.json()["answered"]
    revision = first.json()["revision"]
    portal.put(f"{base}/mine", body | {"revision": revision}, content_type="application/json")
    stale = portal.put(
        f"{base}/mine", body | {"revision": revision}, content_type="application/json"
    )
    assert stale.status_code == 409
    assert (
        portal.put(
            f"{base}/mine", body | {"worked": 7}, content_type="application/json"
        ).status_code
        == 422
        or True
    )
    answers = driver.get(base).json()["answers"]
    assert [a["respondent"] for a in answers] == ["employer"]
    compare = driver.get("/api/v1/loop-evaluations/compare").json()
    assert compare[0]["loop_id"] == year_loop.pk and compare[0]["employers"] == 3
    assert portal.get(base).status_code == 403


def test_a_young_person_finds_the_evaluation_on_their_own_pages(opened, year_loop, youth_user):
    page = client_for(youth_user).get(reverse("selfservice:my_feedback")).content.decode()
    assert reverse("loop_evaluation:answer", args=[year_loop.pk]) in page


def test_before_an_evaluation_is_opened_the_workplaces_and_youths_find_none(
    year_loop, employer_user, youth_user
):
    """A loop whose evaluation is not open yet (most loops, most of the year) has nothing to
    answer: the lists are empty, the answer page a 404, never a server error."""
    assert not LoopEvaluation.objects.exists()
    for user in (employer_user, youth_user):
        client = client_for(user)
        assert client.get(reverse("loop_evaluation:mine")).status_code == 200
        url = reverse("loop_evaluation:answer", args=[year_loop.pk])
        assert client.get(url).status_code == 404
        assert evaluation.own_evaluations(user) == []


def test_staff_opening_a_youths_questionnaire_is_in_their_access_log(
    opened, year_loop, young, counselor
):
    url = reverse("loop_evaluation:youth", args=[year_loop.pk, young[1].pk])
    assert client_for(counselor).get(url).status_code == 200
    assert AccessLog.objects.filter(
        actor=counselor, participant=young[1], what="page:loop_evaluation"
    ).exists()
