"""The outcomes API: who may read and record outcomes and statuses after follow-up, what the
routes answer, that bad input changes nothing, and that a stale revision is a 409."""

import datetime
import json
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from samspill.audit.models import AccessLog, AuditEvent
from samspill.core.testing import client_for, make_participant
from samspill.organisations.models import Organisation
from samspill.participants import outcomes, services
from samspill.participants.models import (
    FollowUpPeriod,
    FollowUpStatus,
    Participant,
    PeriodOutcome,
)

pytestmark = pytest.mark.django_db
ENGLISH = {"accept-language": "en"}


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def send(client: Client, method: str, url: str, body: object, **extra):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json", **extra)


@pytest.fixture
def followed(org, counselor) -> Participant:
    """A participant with an ended period (education, statuses scheduled) and an open one."""
    participant = make_participant(org, counselor, start_date=days_ago(400))
    services.period_end(
        participant=participant, by=counselor, end_date=days_ago(200), outcome="education"
    )
    services.period_start(
        participant=participant, by=counselor, counselor=counselor, start_date=days_ago(199)
    )
    participant.refresh_from_db()
    return participant


def ended_period(participant: Participant) -> FollowUpPeriod:
    return participant.periods.get(end_date__isnull=False)


def six_months(participant: Participant) -> FollowUpStatus:
    return FollowUpStatus.objects.get(period=ended_period(participant), months=6)


def periods_url(participant: Participant) -> str:
    return f"/api/v1/participants/{participant.pk}/periods"


def outcomes_url(participant: Participant, period: FollowUpPeriod | None) -> str:
    assert period is not None
    return f"/api/v1/participants/{participant.pk}/periods/{period.pk}/outcomes"


def outcome_url(participant: Participant, record: PeriodOutcome) -> str:
    return f"/api/v1/participants/{participant.pk}/outcomes/{record.pk}"


def status_url(participant: Participant, status: FollowUpStatus) -> str:
    return f"/api/v1/participants/{participant.pk}/statuses/{status.pk}"


def allow_team_view(org: Organisation) -> None:
    org.team_sees_team_participants = True
    org.save(update_fields=["team_sees_team_participants"])


# Reading ------------------------------------------------------------------------------------


def test_the_counselor_reads_the_periods_with_outcomes_and_statuses(followed, counselor):
    response = client_for(counselor).get(periods_url(followed))

    assert response.status_code == 200
    current, ended = response.json()
    assert (current["end_date"], current["outcomes"], current["statuses"]) == (None, [], [])
    assert ended["end_outcome"] == "education"
    [outcome] = ended["outcomes"]
    assert (outcome["date"], outcome["outcome"], outcome["source"]) == (
        days_ago(200).isoformat(),
        "education",
        "staff",
    )
    assert [(s["months"], s["outcome"], s["revision"]) for s in ended["statuses"]] == [
        (6, "", 1),
        (12, "", 1),
    ]
    assert AccessLog.objects.filter(actor=counselor, what="api:outcomes").count() == 1


def test_the_read_takes_the_same_queries_however_many_outcomes(
    followed, counselor, django_assert_num_queries
):
    client = client_for(counselor)
    client.get(periods_url(followed))  # the session, warmed
    with django_assert_num_queries(9) as few:
        client.get(periods_url(followed))
    record = PeriodOutcome.objects.get()
    outcomes.outcome_correct(
        record=record,
        by=counselor,
        revision=record.revision,
        date=record.date,
        outcome="apprenticeship",
        reason="Lærling, ikke skole.",
    )
    outcomes.outcome_record(
        period=followed.active_period, by=counselor, date=days_ago(1), outcome="not_ready"
    )
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(periods_url(followed))


# Who may do what --------------------------------------------------------------------------

ROUTES = ["read", "record outcome", "correct outcome", "record status"]


def call(client: Client, route: str, participant: Participant) -> int:
    body: dict[str, object]
    if route == "read":
        return client.get(periods_url(participant)).status_code
    if route == "record outcome":
        body = {"date": days_ago(2).isoformat(), "outcome": "ordinary_work"}
        url = outcomes_url(participant, participant.active_period)
        return send(client, "post", url, body).status_code
    if route == "correct outcome":
        record = PeriodOutcome.objects.get(period=ended_period(participant))
        body = {"revision": record.revision, "outcome": "other_measure", "reason": "Feil kode."}
        return send(client, "patch", outcome_url(participant, record), body).status_code
    status = six_months(participant)
    body = {"revision": status.revision, "outcome": "education", "as_of": str(days_ago(1))}
    return send(client, "put", status_url(participant, status), body).status_code


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize(
    ("who", "team_view", "expected_read", "expected_write"),
    [
        ("counselor", False, 200, None),
        ("leader", False, 200, None),
        ("colleague", True, 200, 403),  # sees the team's participants, records nothing
        ("colleague", False, 404, 404),
        ("other_team_counselor", True, 404, 404),
        ("outsider", False, 404, 404),  # another organisation
        ("admin", False, 403, 403),  # follows nobody
    ],
)
def test_who_may_read_and_record(
    request, followed, org, route, who, team_view, expected_read, expected_write
):
    if team_view:
        allow_team_view(org)
    status = call(client_for(request.getfixturevalue(who)), route, followed)
    if route == "read":
        assert status == expected_read
    else:
        assert status == (expected_write or {"record outcome": 201}.get(route, 200))


def test_an_anonymous_caller_gets_401(followed):
    assert Client().get(periods_url(followed)).status_code == 401


def test_a_period_or_outcome_of_another_participant_is_a_404(followed, org, counselor):
    other = make_participant(org, counselor, given_name="Per", start_date=days_ago(30))
    client = client_for(counselor)
    body = {"date": days_ago(1).isoformat(), "outcome": "education"}
    record = PeriodOutcome.objects.get()
    patch = {"revision": 1, "outcome": "unknown", "reason": "x"}
    status = six_months(followed)
    put = {"revision": 1, "outcome": "unknown", "as_of": days_ago(1).isoformat()}

    assert (
        send(client, "post", outcomes_url(other, followed.active_period), body).status_code == 404
    )
    assert send(client, "patch", outcome_url(other, record), patch).status_code == 404
    assert send(client, "put", status_url(other, status), put).status_code == 404
    assert PeriodOutcome.objects.count() == 1


# Writing ----------------------------------------------------------------------------------


def test_the_counselor_records_ordinary_work_with_hours(followed, counselor):
    body = {
        "date": days_ago(3).isoformat(),
        "outcome": "ordinary_work",
        "hours_per_week": 37.5,
        "wage_subsidy": True,
        "note": "Lager, fast stilling.",
    }
    response = send(
        client_for(counselor), "post", outcomes_url(followed, followed.active_period), body
    )

    assert response.status_code == 201
    assert response.json()["hours_per_week"] == 37.5
    record = PeriodOutcome.objects.get(period=followed.active_period)
    assert (record.outcome, record.hours_per_week, record.wage_subsidy, record.recorded_by) == (
        "ordinary_work",
        Decimal("37.5"),
        True,
        counselor,
    )
    assert AuditEvent.objects.filter(action="outcome.recorded", actor=counselor).count() == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"date": "2000-01-01", "outcome": "education"}, "date"),  # before the period
        ({"date": "tomorrow", "outcome": "education"}, "date"),
        ({"date": "TODAY", "outcome": "ordinary_job"}, "outcome"),  # an earlier code
        ({"date": "TODAY", "outcome": "education", "hours_per_week": 20}, "hours_per_week"),
        ({"date": "TODAY", "outcome": "ordinary_work", "hours_per_week": "20"}, "hours_per_week"),
        ({"date": "TODAY", "outcome": "ordinary_work", "hours_per_week": 99}, "hours_per_week"),
        ({"date": "TODAY", "outcome": "ordinary_work", "wage_subsidy": "yes"}, "wage_subsidy"),
        ({"date": "START", "outcome": "education"}, "date"),  # one is there already that day
    ],
)
def test_bad_input_is_a_422_naming_the_field_and_changes_nothing(followed, counselor, body, field):
    period = followed.active_period
    outcomes.outcome_record(period=period, by=counselor, date=period.start_date, outcome="unknown")
    days = {"TODAY": days_ago(0).isoformat(), "START": period.start_date.isoformat()}
    body = {**body, "date": days.get(body["date"], body["date"])}
    before = (PeriodOutcome.objects.count(), AuditEvent.objects.count())

    response = send(
        client_for(counselor), "post", outcomes_url(followed, period), body, headers=ENGLISH
    )

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert (PeriodOutcome.objects.count(), AuditEvent.objects.count()) == before


def test_a_correction_keeps_what_it_changed_and_a_stale_one_is_a_409(followed, counselor, leader):
    record = PeriodOutcome.objects.get()
    url = outcome_url(followed, record)
    body = {"revision": 1, "outcome": "apprenticeship", "reason": "Lærling, ikke skole."}

    first = send(client_for(counselor), "patch", url, body)
    stale = send(client_for(leader), "patch", url, {**body, "outcome": "unknown"}, headers=ENGLISH)

    assert first.status_code == 200
    corrected = first.json()
    assert (corrected["outcome"], corrected["date"], corrected["revision"]) == (
        "apprenticeship",
        record.date.isoformat(),
        2,
    )
    [change] = corrected["changes"]
    assert (change["before"]["outcome"], change["reason"]) == ("education", "Lærling, ikke skole.")
    assert stale.status_code == 409
    assert stale.json()["revision"] == 2
    assert stale.json()["detail"].startswith("Someone else changed this after you read it.")
    record.refresh_from_db()
    assert (record.outcome, record.revision, record.changes.count()) == ("apprenticeship", 2, 1)


def test_a_correction_needs_a_reason(followed, counselor):
    record = PeriodOutcome.objects.get()

    response = send(
        client_for(counselor),
        "patch",
        outcome_url(followed, record),
        {"revision": 1, "outcome": "unknown"},
    )

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["reason"]


def test_the_counselor_records_the_status_six_months_after(followed, counselor, leader):
    status = six_months(followed)
    url = status_url(followed, status)
    body = {
        "revision": 1,
        "outcome": "ordinary_work",
        "as_of": days_ago(1).isoformat(),
        "hours_per_week": 30,
    }

    response = send(client_for(counselor), "put", url, body)
    stale = send(client_for(leader), "put", url, {**body, "outcome": "not_ready"})

    assert response.status_code == 200
    assert (response.json()["outcome"], response.json()["revision"]) == ("ordinary_work", 2)
    assert stale.status_code == 409
    assert stale.json()["revision"] == 2
    status.refresh_from_db()
    assert (status.outcome, status.hours_per_week, status.recorded_by) == (
        "ordinary_work",
        Decimal(30),
        counselor,
    )


def test_a_status_dated_before_the_end_is_a_422_and_changes_nothing(followed, counselor):
    status = six_months(followed)
    body = {"revision": 1, "outcome": "education", "as_of": days_ago(300).isoformat()}

    response = send(client_for(counselor), "put", status_url(followed, status), body)

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["as_of"]
    status.refresh_from_db()
    assert (status.outcome, status.revision) == ("", 1)
