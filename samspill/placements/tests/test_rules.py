"""The rule table per placement kind: durations (and their extension), the summer window, the
back-dated start, the wage subsidy, open-ended kinds, and each kind's follow-up schedule.

`rules.check` takes today as an argument; the services read it from the clock, so those tests
move the clock (time-machine) instead.
"""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation

from samspill.placements import rules, services
from samspill.placements.models import Party, Placement
from samspill.placements.tests import cast

Kind = Placement.Kind
OSLO = zoneinfo.ZoneInfo("Europe/Oslo")
TODAY = datetime.date(2026, 3, 2)
START = TODAY
DAY = datetime.timedelta(days=1)
# A valid rate for the kinds with a wage subsidy, none for the others.
RATE = {kind: (40 if rule.wage_subsidy_max else None) for kind, rule in rules.RULES.items()}


def d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def clock(day: datetime.date):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(9), tzinfo=OSLO), tick=False
    )


def broken(**kwargs) -> dict[str, list[str]]:
    """The rules broken by these arguments, as {field: [message]} (in English); {} if none."""
    kwargs.setdefault("today", TODAY)
    kwargs.setdefault("wage_subsidy_percent", RATE[kwargs["kind"]])
    try:
        with translation.override("en"):
            rules.check(**kwargs)
    except ValidationError as error:
        return error.message_dict
    return {}


def test_every_kind_has_a_rule():
    assert set(rules.RULES) == set(Kind.values)


# Durations: the usual maximum, the extension with a reason, and the absolute maximum.

LIMITED = [
    # kind, usual months, extended months
    (Kind.WORK_TRAINING, 12, 18),
    (Kind.TEMPORARY_WAGE_SUBSIDY, 12, 36),
    (Kind.APPRENTICESHIP, 48, 60),
    (Kind.MENTOR_SUPPORT, 6, 12),
]


def months_less_a_day(months: int) -> datetime.date:
    return rules.add_months(START, months) - datetime.timedelta(days=1)


@pytest.mark.parametrize(("kind", "usual", "extended"), LIMITED)
def test_it_allows_the_usual_maximum_without_a_reason(kind, usual, extended):
    assert broken(kind=kind, start_date=START, end_date=months_less_a_day(usual)) == {}


@pytest.mark.parametrize(("kind", "usual", "extended"), LIMITED)
def test_it_asks_for_a_reason_beyond_the_usual_maximum(kind, usual, extended):
    errors = broken(kind=kind, start_date=START, end_date=months_less_a_day(usual) + DAY)
    assert list(errors) == ["extension_reason"]
    assert f"at most {usual} months" in errors["extension_reason"][0]
    assert str(months_less_a_day(usual)) in errors["extension_reason"][0]


@pytest.mark.parametrize(("kind", "usual", "extended"), LIMITED)
def test_a_blank_reason_is_no_reason(kind, usual, extended):
    errors = broken(
        kind=kind,
        start_date=START,
        end_date=months_less_a_day(usual) + DAY,
        extension_reason="   ",
    )
    assert list(errors) == ["extension_reason"]


@pytest.mark.parametrize(("kind", "usual", "extended"), LIMITED)
def test_it_allows_the_extension_with_a_reason(kind, usual, extended):
    reason = "Needs longer to learn the trade."
    assert (
        broken(
            kind=kind,
            start_date=START,
            end_date=months_less_a_day(usual) + DAY,
            extension_reason=reason,
        )
        == {}
    )
    assert (
        broken(
            kind=kind,
            start_date=START,
            end_date=months_less_a_day(extended),
            extension_reason=reason,
        )
        == {}
    )


@pytest.mark.parametrize(("kind", "usual", "extended"), LIMITED)
def test_no_reason_stretches_it_beyond_the_extended_maximum(kind, usual, extended):
    errors = broken(
        kind=kind,
        start_date=START,
        end_date=months_less_a_day(extended) + DAY,
        extension_reason="Needs longer.",
    )
    assert list(errors) == ["end_date"]
    assert f"at most {extended} months" in errors["end_date"][0]


@pytest.mark.parametrize("kind", Kind.values)
def test_the_end_cannot_come_before_the_start(kind):
    errors = broken(kind=kind, start_date=d("2026-06-10"), end_date=d("2026-06-09"))
    assert errors == {"end_date": ["The end cannot come before the start."]}


@pytest.mark.parametrize("kind", Kind.values)
def test_a_placement_of_one_day_is_allowed(kind):
    assert broken(kind=kind, start_date=d("2026-06-10"), end_date=d("2026-06-10")) == {}


# Open-ended kinds.

OPEN_ENDED = [Kind.PERMANENT_WAGE_SUBSIDY, Kind.ORDINARY_JOB]


@pytest.mark.parametrize("kind", OPEN_ENDED)
def test_an_open_ended_kind_needs_no_end(kind):
    assert broken(kind=kind, start_date=START, end_date=None) == {}


@pytest.mark.parametrize("kind", OPEN_ENDED)
def test_an_open_ended_kind_may_have_a_long_end(kind):
    assert broken(kind=kind, start_date=START, end_date=d("2036-03-01")) == {}


@pytest.mark.parametrize("kind", sorted(set(Kind.values) - set(OPEN_ENDED)))
def test_every_other_kind_needs_an_end(kind):
    errors = broken(kind=kind, start_date=d("2026-06-01"), end_date=None)
    assert errors == {"end_date": ["This kind of placement needs an end date."]}


# The summer job: at most four weeks, between 1 June and 31 August.


def summer(start: str, end: str) -> dict[str, list[str]]:
    return broken(kind=Kind.SUMMER_JOB, start_date=d(start), end_date=d(end), today=d(start))


def test_a_summer_job_of_four_weeks_in_june_is_allowed():
    assert summer("2026-06-01", "2026-06-28") == {}


def test_a_summer_job_lasts_at_most_four_weeks():
    errors = summer("2026-06-01", "2026-06-29")
    assert list(errors) == ["end_date"]
    assert "at most 4 weeks (until 2026-06-28)" in errors["end_date"][0]


def test_a_summer_job_may_end_on_the_last_of_august():
    assert summer("2026-08-04", "2026-08-31") == {}


def test_a_summer_job_cannot_start_before_june():
    assert summer("2026-05-31", "2026-06-20") == {
        "start_date": ["A summer job must lie between 1 June and 31 August."]
    }


def test_a_summer_job_cannot_run_into_september():
    assert list(summer("2026-08-20", "2026-09-01")) == ["start_date"]


def test_a_summer_job_in_winter_breaks_the_window_only():
    assert list(summer("2026-12-01", "2026-12-14")) == ["start_date"]


def test_a_summer_job_too_long_and_outside_the_window_is_told_both():
    errors = summer("2026-08-15", "2026-09-30")
    assert len(errors["end_date"]) == 1
    assert len(errors["start_date"]) == 1


def test_an_extension_reason_does_not_stretch_a_summer_job():
    errors = broken(
        kind=Kind.SUMMER_JOB,
        start_date=d("2026-06-01"),
        end_date=d("2026-07-10"),
        today=d("2026-06-01"),
        extension_reason="Busy season.",
    )
    assert list(errors) == ["end_date"]


# The back-dated start: more than 7 days ago needs a reason. (In June, so that the summer job's
# window holds.)

MIDSUMMER = d("2026-06-20")


@pytest.mark.parametrize("kind", Kind.values)
def test_a_start_seven_days_ago_needs_no_reason(kind):
    start = MIDSUMMER - datetime.timedelta(days=7)
    assert broken(kind=kind, start_date=start, end_date=start + DAY, today=MIDSUMMER) == {}


@pytest.mark.parametrize("kind", Kind.values)
def test_a_start_eight_days_ago_needs_a_reason(kind):
    start = MIDSUMMER - datetime.timedelta(days=8)
    errors = broken(kind=kind, start_date=start, end_date=start + DAY, today=MIDSUMMER)
    assert errors == {
        "start_reason": ["The start is more than 7 days ago: say why it is back-dated."]
    }
    assert (
        broken(
            kind=kind,
            start_date=start,
            end_date=start + DAY,
            today=MIDSUMMER,
            start_reason="Registered late; started on time.",
        )
        == {}
    )
    assert (
        broken(kind=kind, start_date=start, end_date=start + DAY, today=MIDSUMMER, start_reason=" ")
        != {}
    )


def test_a_change_of_an_approved_agreement_does_not_check_the_back_dating():
    start = TODAY - datetime.timedelta(days=60)
    assert (
        broken(
            kind=Kind.WORK_TRAINING,
            start_date=start,
            end_date=start + datetime.timedelta(days=90),
            check_backdating=False,
        )
        == {}
    )


def test_a_start_in_the_future_is_allowed():
    assert (
        broken(kind=Kind.WORK_TRAINING, start_date=d("2026-09-01"), end_date=d("2027-01-31")) == {}
    )


# The wage subsidy.

WITH_SUBSIDY = [
    (Kind.TEMPORARY_WAGE_SUBSIDY, 60),
    (Kind.PERMANENT_WAGE_SUBSIDY, 75),
    (Kind.SUMMER_JOB, 75),
    (Kind.DK_WAGE_SUBSIDY, 100),
]
# A summer job may go without (a municipal park crew); løntilskud is a fixed amount per hour.
REQUIRED = [(kind, top) for kind, top in WITH_SUBSIDY if rules.RULES[kind].wage_subsidy_required]
WITHOUT_SUBSIDY = [
    Kind.WORK_TRAINING,
    Kind.APPRENTICESHIP,
    Kind.MENTOR_SUPPORT,
    Kind.ORDINARY_JOB,
    Kind.COMPANY_INTERNSHIP,
]


def subsidy(kind: str, percent: int | None) -> dict[str, list[str]]:
    return broken(
        kind=kind,
        start_date=d("2026-06-01"),
        end_date=d("2026-06-20"),
        today=d("2026-06-01"),
        wage_subsidy_percent=percent,
    )


def test_the_table_lists_every_kind_with_a_wage_subsidy():
    assert {kind for kind, rule in rules.RULES.items() if rule.wage_subsidy_max} == {
        kind for kind, _max in WITH_SUBSIDY
    }


@pytest.mark.parametrize(("kind", "maximum"), REQUIRED)
def test_a_wage_subsidy_rate_is_required(kind, maximum):
    assert subsidy(kind, None) == {
        "wage_subsidy_percent": ["Give the wage subsidy rate in percent."]
    }
    assert list(subsidy(kind, 0)) == ["wage_subsidy_percent"]


@pytest.mark.parametrize(("kind", "maximum"), WITH_SUBSIDY)
def test_a_wage_subsidy_rate_up_to_the_maximum_is_allowed(kind, maximum):
    assert subsidy(kind, 1) == {}
    assert subsidy(kind, maximum) == {}


@pytest.mark.parametrize(("kind", "maximum"), WITH_SUBSIDY)
def test_a_wage_subsidy_rate_over_the_maximum_is_refused(kind, maximum):
    errors = subsidy(kind, maximum + 1)
    assert list(errors) == ["wage_subsidy_percent"]
    assert f"at most {maximum}%" in errors["wage_subsidy_percent"][0]


@pytest.mark.parametrize("kind", WITHOUT_SUBSIDY)
def test_a_kind_without_wage_subsidy_refuses_a_rate(kind):
    assert subsidy(kind, None) == {}
    errors = subsidy(kind, 50)
    assert list(errors) == ["wage_subsidy_percent"]
    assert "has no wage subsidy" in errors["wage_subsidy_percent"][0]


def test_every_broken_rule_is_named_at_once():
    errors = broken(
        kind=Kind.WORK_TRAINING,
        start_date=TODAY - datetime.timedelta(days=30),
        end_date=None,
        wage_subsidy_percent=50,
    )
    assert set(errors) == {"start_reason", "end_date", "wage_subsidy_percent"}


def test_the_messages_are_in_the_users_language():
    with translation.override("nb"), pytest.raises(ValidationError) as raised:
        rules.check(kind=Kind.WORK_TRAINING, start_date=START, end_date=None, today=TODAY)
    with translation.override("nb"):
        expected = translation.gettext("This kind of placement needs an end date.")
    assert raised.value.message_dict == {"end_date": [expected]}


# Months: the same day later, or the month's last day.


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        ("2026-01-31", 1, "2026-02-28"),
        ("2028-01-31", 1, "2028-02-29"),
        ("2026-01-31", 2, "2026-03-31"),
        ("2026-11-15", 3, "2027-02-15"),
        ("2026-03-02", 12, "2027-03-02"),
    ],
)
def test_add_months(day, months, expected):
    assert rules.add_months(d(day), months) == d(expected)


# The follow-up schedule per kind.


def dates(*texts: str) -> list[datetime.date]:
    return [d(text) for text in texts]


def test_work_training_is_followed_up_after_weeks_1_2_and_4_then_monthly_to_the_end():
    schedule = rules.schedule(
        kind=Kind.WORK_TRAINING, start_date=d("2026-03-02"), end_date=d("2026-08-31")
    )
    assert schedule == dates(
        "2026-03-09",
        "2026-03-16",
        "2026-03-30",
        "2026-05-02",
        "2026-06-02",
        "2026-07-02",
        "2026-08-02",
    )


def test_temporary_wage_subsidy_follows_the_same_rhythm():
    schedule = rules.schedule(
        kind=Kind.TEMPORARY_WAGE_SUBSIDY, start_date=d("2026-03-02"), end_date=d("2026-06-02")
    )
    assert schedule == dates("2026-03-09", "2026-03-16", "2026-03-30", "2026-05-02", "2026-06-02")


def test_a_permanent_wage_subsidy_is_planned_a_year_ahead():
    schedule = rules.schedule(
        kind=Kind.PERMANENT_WAGE_SUBSIDY, start_date=d("2026-03-02"), end_date=None
    )
    assert schedule[:4] == dates("2026-03-09", "2026-03-16", "2026-03-30", "2026-05-02")
    assert schedule[-1] == d("2027-03-02")
    assert len(schedule) == 3 + 11  # weeks 1, 2, 4; months 2 to 12


def test_an_apprenticeship_is_followed_up_after_weeks_2_and_6_then_monthly_from_month_3():
    schedule = rules.schedule(
        kind=Kind.APPRENTICESHIP, start_date=d("2026-08-03"), end_date=d("2027-01-31")
    )
    assert schedule == dates("2026-08-17", "2026-09-14", "2026-11-03", "2026-12-03", "2027-01-03")


def test_a_summer_job_is_followed_up_weekly_and_not_after_its_end():
    schedule = rules.schedule(
        kind=Kind.SUMMER_JOB, start_date=d("2026-06-01"), end_date=d("2026-06-28")
    )
    assert schedule == dates("2026-06-08", "2026-06-15", "2026-06-22")


def test_mentor_support_is_followed_up_after_week_2_then_monthly():
    schedule = rules.schedule(
        kind=Kind.MENTOR_SUPPORT, start_date=d("2026-03-02"), end_date=d("2026-09-01")
    )
    assert schedule == dates(
        "2026-03-16", "2026-04-02", "2026-05-02", "2026-06-02", "2026-07-02", "2026-08-02"
    )


def test_an_ordinary_job_is_followed_up_weekly_the_first_month_then_monthly_to_month_3():
    start = d("2026-03-02")
    until = rules.add_months(start, rules.POST_EMPLOYMENT_MONTHS)
    schedule = rules.schedule(kind=Kind.ORDINARY_JOB, start_date=start, end_date=until)
    assert schedule == dates(
        "2026-03-09", "2026-03-16", "2026-03-23", "2026-03-30", "2026-05-02", "2026-06-02"
    )


def test_a_schedule_never_goes_past_a_short_end():
    schedule = rules.schedule(
        kind=Kind.WORK_TRAINING, start_date=d("2026-03-02"), end_date=d("2026-03-12")
    )
    assert schedule == dates("2026-03-09")


def test_a_schedule_follows_the_end_of_a_short_month():
    schedule = rules.schedule(
        kind=Kind.MENTOR_SUPPORT, start_date=d("2026-01-31"), end_date=d("2026-04-30")
    )
    assert schedule == dates("2026-02-14", "2026-02-28", "2026-03-31", "2026-04-30")


@pytest.mark.parametrize("kind", Kind.values)
def test_every_schedule_is_sorted_and_within_the_placement(kind):
    start, end = d("2026-06-01"), d("2026-06-28")
    if rules.RULES[kind].max_months is None and rules.RULES[kind].max_weeks is None:
        end = d("2027-05-31")
    schedule = rules.schedule(kind=kind, start_date=start, end_date=end)
    assert schedule == sorted(set(schedule))
    assert all(start < day <= end for day in schedule)


# Through the services, where today comes from the clock.


@pytest.fixture
def placed(participant, employer, counselor, mentor_contact):
    def place(**fields):
        fields.setdefault("kind", Kind.WORK_TRAINING)
        fields.setdefault("title", "Bakeassistent")
        return services.placement_create(
            participant=participant,
            employer=employer,
            by=counselor,
            mentor=mentor_contact,
            **fields,
        )

    return place


def test_creating_a_back_dated_placement_needs_a_reason(placed):
    with clock(d("2026-03-10")), translation.override("en"):
        with pytest.raises(ValidationError) as raised:
            placed(start_date=d("2026-03-02"), end_date=d("2026-08-31"))
        assert list(raised.value.message_dict) == ["start_reason"]
        placement = placed(
            start_date=d("2026-03-02"), end_date=d("2026-08-31"), start_reason="Registered late."
        )
    assert placement.start_reason == "Registered late."


def test_a_week_old_start_is_no_back_dating(placed):
    with clock(d("2026-03-09")):
        placement = placed(start_date=d("2026-03-02"), end_date=d("2026-08-31"))
    assert placement.start_reason == ""


def test_creating_a_placement_checks_the_kinds_rules(placed):
    with clock(d("2026-05-20")), pytest.raises(ValidationError) as raised:
        placed(
            kind=Kind.SUMMER_JOB,
            start_date=d("2026-06-01"),
            end_date=d("2026-07-15"),
            wage_subsidy_percent=80,
        )
    assert set(raised.value.message_dict) == {"end_date", "wage_subsidy_percent"}
    assert not Placement.objects.exists()


def test_an_ordinary_job_is_followed_up_for_three_months_by_default(placed):
    with clock(d("2026-03-02")):
        job = placed(kind=Kind.ORDINARY_JOB, start_date=d("2026-03-02"))
    assert job.follow_up_until == d("2026-06-02")
    assert not job.follow_up_unlimited


def test_an_ordinary_job_may_be_followed_up_without_a_time_limit(placed):
    with clock(d("2026-03-02")):
        job = placed(kind=Kind.ORDINARY_JOB, start_date=d("2026-03-02"), follow_up_unlimited=True)
    assert job.follow_up_until is None
    assert job.follow_up_unlimited


def test_other_kinds_have_no_post_employment_follow_up(placed):
    with clock(d("2026-03-02")):
        placement = placed(
            start_date=d("2026-03-02"), end_date=d("2026-08-31"), follow_up_unlimited=True
        )
    assert placement.follow_up_until is None
    assert not placement.follow_up_unlimited


def test_the_schedule_made_on_approval_follows_the_ordinary_jobs_follow_up_period(
    placed, counselor, employer_user
):
    with clock(d("2026-03-02")):
        job = placed(kind=Kind.ORDINARY_JOB, start_date=d("2026-03-02"), **cast.CONTENT)
        services.expectation_meeting_record(
            placement=job,
            by=counselor,
            held_on=d("2026-03-02"),
            participant_present=True,
            mentor_present=True,
            employer_present=True,
            counselor_present=True,
        )
        for party, by in (
            (Party.PARTICIPANT, counselor),
            (Party.EMPLOYER, employer_user),
            (Party.COUNSELOR, counselor),
        ):
            services.agreement_approve(
                placement=job, by=by, party=party, revision=job.revision, on_behalf_reason="Orally"
            )
    due = list(job.follow_ups.order_by("due_on").values_list("due_on", flat=True))
    assert due == rules.schedule(
        kind=Kind.ORDINARY_JOB, start_date=d("2026-03-02"), end_date=d("2026-06-02")
    )
