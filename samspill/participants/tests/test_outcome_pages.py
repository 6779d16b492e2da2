"""The follow-up tab's outcomes and statuses after follow-up, the former counselor's statuses
page and the participant's own answer in the portal: who may do what, and bad input that
changes nothing (issue 17, items 2, 4 and 9)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from samspill.audit.models import AccessLog
from samspill.core.testing import client_for, make_participant
from samspill.participants import outcomes, services
from samspill.participants.models import (
    FollowUpStatus,
    Outcome,
    OutcomeSource,
    PeriodOutcome,
    PeriodOutcomeChange,
)
from samspill.placements.models import Placement
from samspill.placements.services import placement_end
from samspill.placements.tests import cast

NOW = datetime.datetime(2026, 12, 5, 10, tzinfo=datetime.UTC)
TODAY = NOW.date()
START = datetime.date(2026, 1, 5)  # the cast's participant starts here
END = datetime.date(2026, 5, 4)  # +6 due 2026-11-04 (overdue on TODAY), +12 due 2027-05-04


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW)


def english(user):
    client = client_for(user)
    client.cookies["django_language"] = "en"
    return client


def follow_up(participant):
    return reverse("participants:follow_up", kwargs={"pk": participant.pk})


def record_url(participant):
    return reverse("participants:outcome_record", kwargs={"pk": participant.pk})


def correct_url(record):
    return reverse(
        "participants:outcome_correct",
        kwargs={"pk": record.period.participant_id, "outcome_pk": record.pk},
    )


def status_url(status):
    return reverse(
        "participants:status_record",
        kwargs={"pk": status.period.participant_id, "status_pk": status.pk},
    )


def form_url(status):
    return reverse("participants:status_form", kwargs={"status_pk": status.pk})


def recorded(**values):
    return {f"record-{k}": v for k, v in values.items()}


def snapshot():
    """Every row the outcome pages write."""
    return (
        list(PeriodOutcome.objects.order_by("pk").values()),
        list(PeriodOutcomeChange.objects.values()),
        list(FollowUpStatus.objects.order_by("pk").values()),
    )


@pytest.fixture
def ended(participant, counselor):
    """The cast's participant, followed by `counselor`, ended in work on END."""
    services.period_end(
        participant=participant,
        by=counselor,
        end_date=END,
        outcome=Outcome.ORDINARY_WORK,
        hours_per_week=Decimal(30),
    )
    return participant


def six_months(participant):
    return FollowUpStatus.objects.get(period__participant=participant, months=6)


class TestRecordAnOutcome:
    def test_the_counselor_records_an_outcome_while_follow_up_goes_on(self, counselor, participant):
        response = english(counselor).post(
            record_url(participant),
            recorded(
                date="2026-11-02", outcome="ordinary_work", hours_per_week="20", wage_subsidy="on"
            ),
        )

        assert response.status_code == 302
        record = PeriodOutcome.objects.get()
        assert (record.date, record.outcome, record.hours_per_week) == (
            datetime.date(2026, 11, 2),
            "ordinary_work",
            Decimal(20),
        )
        assert record.wage_subsidy and record.recorded_by == counselor
        assert record.source == OutcomeSource.STAFF
        participant.refresh_from_db()
        assert participant.active_period is not None  # follow-up goes on
        page = english(counselor).get(follow_up(participant)).content.decode()
        assert "Ordinary work" in page and "20.0 hours a week" in page

    def test_a_leader_may_record_one(self, leader, participant):
        response = english(leader).post(
            record_url(participant), recorded(date="2026-11-02", outcome="education")
        )

        assert response.status_code == 302
        assert PeriodOutcome.objects.get().recorded_by == leader

    @pytest.mark.parametrize(
        "who", ["colleague", "other_team_counselor", "coordinator", "admin", "outsider"]
    )
    def test_staff_who_do_not_follow_the_participant_get_404(self, who, request, participant):
        user = request.getfixturevalue(who)

        response = client_for(user).post(
            record_url(participant), recorded(date="2026-11-02", outcome="education")
        )

        assert response.status_code == 404
        assert not PeriodOutcome.objects.exists()

    @pytest.mark.parametrize("who", ["mentor", "employer_user"])
    def test_portal_users_get_404(self, who, request, participant):
        user = request.getfixturevalue(who)

        assert client_for(user).get(follow_up(participant)).status_code == 404
        response = client_for(user).post(
            record_url(participant), recorded(date="2026-11-02", outcome="education")
        )
        assert response.status_code == 404
        assert not PeriodOutcome.objects.exists()

    def test_an_ended_period_takes_no_new_outcome(self, leader, ended):
        before = snapshot()

        response = client_for(leader).post(
            record_url(ended), recorded(date="2026-05-01", outcome="education")
        )

        assert response.status_code == 404
        assert snapshot() == before

    @pytest.mark.parametrize(
        ("values", "field", "message"),
        [
            (
                {"date": "2026-01-04", "outcome": "education"},
                "date",
                "cannot be dated before the follow-up period started",
            ),
            (
                {"date": "2026-11-02", "outcome": "education", "hours_per_week": "20"},
                "hours_per_week",
                "Hours per week apply to ordinary work only.",
            ),
            (
                {"date": "2026-11-02", "outcome": "not_ready", "wage_subsidy": "on"},
                "wage_subsidy",
                "A wage subsidy applies to ordinary work only.",
            ),
            ({"date": "2026-11-02", "outcome": ""}, "outcome", "This field is required."),
            ({"date": "2026-12-24", "outcome": "education"}, "date", "in the future"),
        ],
    )
    def test_bad_input_is_refused_in_place_and_changes_nothing(
        self, counselor, participant, values, field, message
    ):
        before = snapshot()

        response = english(counselor).post(record_url(participant), recorded(**values))

        assert response.status_code == 400
        errors = response.context["record_form"].errors
        assert list(errors) == [field]
        assert message in errors[field][0]
        assert snapshot() == before

    def test_a_second_outcome_on_the_same_day_is_refused(self, counselor, participant):
        english(counselor).post(
            record_url(participant), recorded(date="2026-11-02", outcome="education")
        )
        before = snapshot()

        response = english(counselor).post(
            record_url(participant), recorded(date="2026-11-02", outcome="apprenticeship")
        )

        assert response.status_code == 400
        assert response.context["record_form"].errors["date"] == [
            "An outcome is already recorded on 02/11/2026: correct that one instead."
        ]
        assert snapshot() == before

    def test_every_wrong_field_of_the_end_form_shows_at_once(self, counselor, participant):
        before = snapshot()

        response = english(counselor).post(
            follow_up(participant),
            {
                "action": "end",
                "end_date": "2025-12-01",
                "outcome": "education",
                "hours_per_week": "20",
                "wage_subsidy": "on",
            },
        )

        assert response.status_code == 400
        errors = response.context["end_form"].errors
        assert set(errors) == {"end_date", "hours_per_week", "wage_subsidy"}
        body = response.content.decode()
        assert 'id="id_hours_per_week_error"' in body and 'id="id_end_date_error"' in body
        assert snapshot() == before
        participant.refresh_from_db()
        assert participant.active_period is not None


class TestCorrectAnOutcome:
    @pytest.fixture
    def record(self, participant, counselor):
        return outcomes.outcome_record(
            period=participant.active_period,
            by=counselor,
            date=datetime.date(2026, 11, 2),
            outcome=Outcome.EDUCATION,
        )

    def correction(self, record, **values):
        values.setdefault("date", "2026-11-02")
        values.setdefault("outcome", "apprenticeship")
        values.setdefault("revision", record.revision)
        values.setdefault("reason", "It is an apprenticeship")
        return {f"o{record.pk}-{k}": v for k, v in values.items()}

    @pytest.mark.parametrize("who", ["counselor", "leader"])
    def test_it_is_corrected_with_its_history_shown(self, who, request, record):
        user = request.getfixturevalue(who)

        response = english(user).post(correct_url(record), self.correction(record))

        assert response.status_code == 302
        record.refresh_from_db()
        assert (record.outcome, record.revision) == ("apprenticeship", 2)
        change = record.changes.get()
        assert change.before["outcome"] == "education" and change.changed_by == user
        page = english(user).get(follow_up(record.period.participant)).content.decode()
        assert "Corrected 1 time" in page and "It is an apprenticeship" in page

    @pytest.mark.parametrize("who", ["colleague", "coordinator", "outsider", "mentor"])
    def test_others_get_404(self, who, request, record):
        before = snapshot()

        response = client_for(request.getfixturevalue(who)).post(
            correct_url(record), self.correction(record)
        )

        assert response.status_code == 404
        assert snapshot() == before

    def test_a_correction_needs_a_reason(self, counselor, record):
        before = snapshot()

        response = english(counselor).post(correct_url(record), self.correction(record, reason=""))

        assert response.status_code == 400
        form = response.context["periods"][0].outcomes.all()[0].correct_form
        assert list(form.errors) == ["reason"]
        assert snapshot() == before

    def test_a_stale_correction_is_refused(self, counselor, leader, record):
        english(leader).post(correct_url(record), self.correction(record))
        before = snapshot()

        response = english(counselor).post(
            correct_url(record), self.correction(record, outcome="not_ready")
        )

        assert response.status_code == 400
        assert "Someone else corrected this outcome" in response.content.decode()
        assert snapshot() == before


class TestProposals:
    @pytest.fixture
    def placement(self, participant, employer, counselor, mentor_contact, employer_user):
        return cast.approve_all(
            cast.draft(
                participant, employer, counselor, mentor_contact, start=datetime.date(2026, 6, 1)
            ),
            counselor,
            employer_user,
        )

    def test_a_placement_that_ended_in_work_proposes_the_outcome(
        self, counselor, participant, placement
    ):
        placement_end(
            placement=placement,
            by=counselor,
            ended_on=datetime.date(2026, 11, 1),
            outcome=Outcome.ORDINARY_WORK,
        )
        client = english(counselor)
        page = client.get(follow_up(participant)).content.decode()
        assert "Record ordinary work from 01/11/2026 as the period's outcome" in page

        url = reverse(
            "participants:outcome_propose",
            kwargs={"pk": participant.pk, "placement_pk": placement.pk},
        )
        assert client.post(url).status_code == 302

        record = PeriodOutcome.objects.get()
        assert (record.date, record.outcome) == (datetime.date(2026, 11, 1), "ordinary_work")
        assert "Record ordinary work" not in client.get(follow_up(participant)).content.decode()
        assert client.post(url).status_code == 404  # no longer proposed

    def test_another_outcome_proposes_nothing(self, counselor, participant, placement):
        placement_end(
            placement=placement,
            by=counselor,
            ended_on=datetime.date(2026, 11, 1),
            outcome=Outcome.OTHER_MEASURE,
        )

        response = english(counselor).get(follow_up(participant))

        assert response.context["proposals"] == []

    def test_the_end_form_says_why_follow_up_into_a_job_goes_on(
        self, counselor, participant, employer, mentor_contact, employer_user
    ):
        job = cast.approve_all(
            cast.draft(
                participant,
                employer,
                counselor,
                mentor_contact,
                start=datetime.date(2026, 11, 1),
                kind=Placement.Kind.ORDINARY_JOB,
            ),
            counselor,
            employer_user,
        )
        assert job.follow_up_until is not None

        page = english(counselor).get(follow_up(participant)).content.decode()

        assert "The period cannot end yet" in page
        assert "Follow-up into the job at Bakeriet AS goes on until" in page


class TestStatusesOnTheRecord:
    def test_the_leader_records_and_corrects_a_status(self, leader, ended):
        status = six_months(ended)
        client = english(leader)
        page = client.get(follow_up(ended)).content.decode()
        assert "6 months after" in page and "overdue" in page

        prefix = f"s{status.pk}-"
        data = {prefix + "outcome": "education", prefix + "as_of": "2026-11-04"}
        response = client.post(status_url(status), {**data, prefix + "revision": 1})
        assert response.status_code == 302
        status.refresh_from_db()
        assert (status.outcome, status.recorded_by, status.revision) == ("education", leader, 2)

        stale = client.post(status_url(status), {**data, prefix + "revision": 1})
        assert stale.status_code == 400
        assert "Someone else recorded this status" in stale.content.decode()

    def test_a_status_dated_before_the_end_is_refused(self, leader, ended):
        status = six_months(ended)
        prefix = f"s{status.pk}-"
        before = snapshot()

        response = english(leader).post(
            status_url(status),
            {
                prefix + "outcome": "education",
                prefix + "as_of": "2026-05-01",
                prefix + "revision": 1,
            },
        )

        assert response.status_code == 400
        assert "must be dated after the period ended" in response.content.decode()
        assert snapshot() == before

    def test_the_former_counselor_cannot_reach_the_record(self, counselor, ended):
        status = six_months(ended)
        client = client_for(counselor)

        assert client.get(follow_up(ended)).status_code == 404
        response = client.post(
            status_url(status),
            {f"s{status.pk}-outcome": "education", f"s{status.pk}-as_of": "2026-11-04"},
        )
        assert response.status_code == 404


class TestStatusesPage:
    def test_the_former_counselor_sees_the_name_period_and_form(self, counselor, ended):
        status = six_months(ended)
        client = english(counselor)

        listed = client.get(reverse("participants:statuses"))
        assert listed.status_code == 200
        body = listed.content.decode()
        assert "Kari Nordmann" in body and "overdue" in body
        assert "Sensitive health detail" not in body
        assert [s.pk for s in listed.context["page"]] == [status.pk]  # +12 is not due yet

        opened = client.get(form_url(status))
        assert opened.status_code == 200
        assert "Sensitive health detail" not in opened.content.decode()
        log = AccessLog.objects.get(actor=counselor, what="page:status-after-follow-up")
        assert (log.participant_id, log.why) == (ended.pk, "status_after_follow_up")

        prefix = f"s{status.pk}-"
        response = client.post(
            form_url(status),
            {
                prefix + "outcome": "ordinary_work",
                prefix + "as_of": "2026-12-01",
                prefix + "hours_per_week": "37.5",
                prefix + "revision": 1,
            },
        )
        assert response.status_code == 302
        status.refresh_from_db()
        assert (status.outcome, status.hours_per_week, status.source) == (
            "ordinary_work",
            Decimal("37.5"),
            "staff",
        )
        # Recorded: gone from the list, and its form closed again.
        assert client.get(reverse("participants:statuses")).context["page"].paginator.count == 0
        assert client.get(form_url(status)).status_code == 404

    def test_hours_on_a_status_that_is_not_work_are_refused(self, counselor, ended):
        status = six_months(ended)
        prefix = f"s{status.pk}-"
        before = snapshot()

        response = english(counselor).post(
            form_url(status),
            {
                prefix + "outcome": "education",
                prefix + "as_of": "2026-12-01",
                prefix + "hours_per_week": "10",
                prefix + "revision": 1,
            },
        )

        assert response.status_code == 400
        assert response.context["form"].errors["hours_per_week"] == [
            "Hours per week apply to ordinary work only."
        ]
        assert snapshot() == before

    @pytest.mark.parametrize("who", ["colleague", "leader", "outsider", "mentor"])
    def test_nobody_else_reaches_the_form(self, who, request, ended):
        status = six_months(ended)
        user = request.getfixturevalue(who)

        response = client_for(user).get(form_url(status))

        assert response.status_code in (403, 404)
        assert not AccessLog.objects.filter(what="page:status-after-follow-up").exists()

    def test_today_counts_them_and_marks_the_overdue(self, counselor, colleague, ended):
        response = english(counselor).get(reverse("followup:today"))

        assert response.context["lists"]["statuses"].count == 1
        body = response.content.decode()
        assert "1 status after follow-up to record" in body
        assert reverse("participants:statuses") in body
        assert form_url(six_months(ended)) in body
        assert 'badge warn">overdue' in body
        assert (
            english(colleague).get(reverse("followup:today")).context["lists"]["statuses"].count
            == 0
        )

    def test_a_status_not_yet_due_is_not_listed(self, counselor, ended):
        twelve = FollowUpStatus.objects.get(period__participant=ended, months=12)

        assert client_for(counselor).get(form_url(twelve)).status_code == 404

    @pytest.mark.parametrize("rows", [1, 6])
    def test_the_page_runs_a_fixed_number_of_queries(
        self, rows, org, counselor, django_assert_num_queries
    ):
        for index in range(rows):
            person = make_participant(org, counselor, family_name=f"P{index}")
            services.period_end(
                participant=person, by=counselor, end_date=END, outcome=Outcome.EDUCATION
            )
        client = client_for(counselor)
        # Session, user, membership; the count and the page's rows.
        with django_assert_num_queries(5):
            response = client.get(reverse("participants:statuses"))
        assert response.context["page"].paginator.count == rows


class TestFollowUpTabQueries:
    @pytest.mark.parametrize("corrections", [0, 3])
    def test_the_tab_runs_a_fixed_number_of_queries(
        self, corrections, leader, participant, counselor, django_assert_num_queries
    ):
        period = participant.active_period
        for day in range(corrections):
            record = outcomes.outcome_record(
                period=period,
                by=counselor,
                date=datetime.date(2026, 3, 1 + day),
                outcome=Outcome.EDUCATION,
            )
            outcomes.outcome_correct(
                record=record,
                by=counselor,
                revision=record.revision,
                date=record.date,
                outcome=Outcome.APPRENTICESHIP,
                reason="Mixed up",
            )
        services.period_end(
            participant=participant, by=counselor, end_date=END, outcome=Outcome.NOT_READY
        )
        client = client_for(leader)
        client.get(follow_up(participant))
        # 13 with the Messages tab's count of unread messages.
        with django_assert_num_queries(13):
            assert client.get(follow_up(participant)).status_code == 200


class TestOwnStatusInThePortal:
    @pytest.fixture
    def own_login(self, participant, counselor):
        from samspill.portal.services import participant_invite

        services.participant_update(participant=participant, by=counselor, email="kari@example.org")
        return participant_invite(participant=participant, by=counselor)

    def test_the_participant_answers_where_they_are_now(self, own_login, participant, counselor):
        services.period_end(
            participant=participant, by=counselor, end_date=END, outcome=Outcome.NOT_READY
        )
        client = english(own_login)
        home = client.get(reverse("portal:home")).content.decode()
        assert reverse("portal:my_status") in home

        page = client.get(reverse("portal:my_status"))
        assert page.status_code == 200
        assert "I have a job" in page.content.decode()
        response = client.post(
            reverse("portal:my_status"), {"outcome": "ordinary_work", "hours_per_week": "20"}
        )

        assert response.status_code == 302
        status = six_months(participant)
        assert (status.outcome, status.source, status.as_of) == (
            "ordinary_work",
            OutcomeSource.PARTICIPANT,
            TODAY,
        )
        assert (
            reverse("portal:my_status") not in client.get(reverse("portal:home")).content.decode()
        )

    def test_nothing_to_answer_is_404(self, own_login):
        assert client_for(own_login).get(reverse("portal:my_status")).status_code == 404

    def test_staff_and_mentors_have_no_own_status(self, counselor, mentor):
        assert client_for(counselor).get(reverse("portal:my_status")).status_code == 403
        assert client_for(mentor).get(reverse("portal:my_status")).status_code == 403

    def test_a_bad_answer_changes_nothing(self, own_login, participant, counselor):
        services.period_end(
            participant=participant, by=counselor, end_date=END, outcome=Outcome.NOT_READY
        )
        before = snapshot()
        with translation.override("en"):
            response = english(own_login).post(
                reverse("portal:my_status"), {"outcome": "education", "hours_per_week": "20"}
            )

        assert response.status_code == 400
        assert "Hours per week apply to ordinary work only." in response.content.decode()
        assert snapshot() == before
