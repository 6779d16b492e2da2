"""Eligibility per placement kind (issue 22, item 12): a summer job without wage subsidy, the age
range of a kind, and the Danish kinds offered by the organisation's country."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from samspill.core.testing import make_participant
from samspill.placements import rules, services
from samspill.placements.models import Placement

Kind = Placement.Kind
JUNE = datetime.date(2026, 6, 1)


def broken(**kwargs) -> dict[str, list[str]]:
    kwargs.setdefault("start_date", JUNE)
    kwargs.setdefault("today", JUNE)
    try:
        with translation.override("en"):
            rules.check(**kwargs)
    except ValidationError as error:
        return error.message_dict
    return {}


def test_a_municipal_summer_job_needs_no_wage_subsidy():
    assert broken(kind=Kind.SUMMER_JOB, end_date=datetime.date(2026, 6, 26)) == {}


def test_a_summer_job_is_for_sixteen_and_up():
    errors = broken(
        kind=Kind.SUMMER_JOB,
        end_date=datetime.date(2026, 6, 26),
        birth_date=datetime.date(2010, 6, 2),  # 15 on the start date
    )
    assert errors == {
        "participant": ["A summer job is for people from 16 years; the participant is 15."]
    }
    on_birthday = datetime.date(2010, 6, 1)
    assert broken(kind=Kind.SUMMER_JOB, end_date=JUNE, birth_date=on_birthday) == {}


def test_a_kind_with_need_groups_refuses_another_group(monkeypatch):
    rule = rules.KindRule(max_weeks=4, need_groups=frozenset({"needs_guidance"}))
    monkeypatch.setitem(rules.RULES, Kind.MENTOR_SUPPORT, rule)
    assert broken(kind=Kind.MENTOR_SUPPORT, end_date=JUNE, need_group="needs_guidance") == {}
    assert list(broken(kind=Kind.MENTOR_SUPPORT, end_date=JUNE, need_group="partial_work")) == [
        "participant"
    ]


def test_a_company_internship_lasts_at_most_thirteen_weeks():
    assert broken(kind=Kind.COMPANY_INTERNSHIP, end_date=datetime.date(2026, 8, 30)) == {}
    errors = broken(kind=Kind.COMPANY_INTERNSHIP, end_date=datetime.date(2026, 8, 31))
    assert list(errors) == ["end_date"]
    assert "at most 13 weeks" in errors["end_date"][0]


@pytest.mark.parametrize(
    ("country", "kind", "allowed"),
    [
        ("NO", Kind.WORK_TRAINING, True),
        ("NO", Kind.COMPANY_INTERNSHIP, False),
        ("DK", Kind.COMPANY_INTERNSHIP, True),
        ("DK", Kind.DK_WAGE_SUBSIDY, True),
        ("DK", Kind.WORK_TRAINING, False),
        ("DK", Kind.ORDINARY_JOB, True),
    ],
)
def test_the_kinds_follow_the_organisations_country(country, kind, allowed):
    assert (kind in dict(rules.kinds_for(country))) is allowed
    errors = broken(kind=kind, end_date=datetime.date(2026, 6, 20), country=country)
    assert ("kind" not in errors) is allowed


@pytest.mark.django_db
def test_the_service_drafts_a_summer_job_without_subsidy_and_refuses_a_fifteen_year_old(
    org, counselor, employer, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 5, 20, 9), tick=False)
    adult = make_participant(org, counselor, birth_date=datetime.date(2008, 3, 1))
    young = make_participant(org, counselor, given_name="Per", birth_date=datetime.date(2010, 9, 1))
    park = {
        "employer": employer,
        "by": counselor,
        "kind": Kind.SUMMER_JOB,
        "title": "Parkarbeider",
        "start_date": datetime.date(2026, 6, 22),
        "end_date": datetime.date(2026, 7, 17),
    }
    placement = services.placement_create(participant=adult, **park)
    assert placement.wage_subsidy_percent is None
    before = Placement.objects.count()
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        services.placement_create(participant=young, **park)
    assert "from 16 years" in refused.value.message_dict["participant"][0]
    assert Placement.objects.count() == before
