"""The rules per placement kind, in one table.

Every check of duration, season, wage subsidy, eligibility (age, need group) and follow-up
schedule reads `RULES`; no other module branches on the kind. The figures follow NAV's rules for
the measures (work training up to a year, extendable to 18 months; summer jobs of at most four
weeks in June to August) and the follow-up cadence the seeds ask for (close at the start, then
monthly). A summer job may carry a wage subsidy but need not: a municipal summer job (a park
crew) is paid by the municipality.

The Danish kinds follow the usual rules of the jobcenters, stated plainly and meant to be
adjusted here (they are configuration, not law): virksomhedspraktik up to 13 weeks without
wage subsidy, løntilskud up to 6 months (12 at a public employer, with a written reason).
Which kinds an organisation may choose follows its country (`KINDS_BY_COUNTRY`).
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from samspill.core.dates import add_months
from samspill.placements.models import Placement

__all__ = ["KINDS_BY_COUNTRY", "RULES", "add_months", "age_on", "check", "kinds_for", "schedule"]

Kind = Placement.Kind

BACKDATE_DAYS = 7
# Open-ended placements get a schedule this far ahead; it is extended as it is used.
OPEN_HORIZON_MONTHS = 12


@dataclass(frozen=True)
class Season:
    """A window of the year (month, day) inclusive, e.g. 1 June to 31 August."""

    first: tuple[int, int]
    last: tuple[int, int]

    def contains(self, start: datetime.date, end: datetime.date) -> bool:
        first = datetime.date(start.year, *self.first)
        last = datetime.date(start.year, *self.last)
        return first <= start and end <= last


@dataclass(frozen=True)
class KindRule:
    max_months: int | None = None  # usual maximum duration
    extended_months: int | None = None  # with a written reason
    max_weeks: int | None = None
    season: Season | None = None
    needs_end: bool = True
    wage_subsidy_max: int | None = None  # percent; None: no wage subsidy for this kind
    wage_subsidy_required: bool = True  # when a subsidy is allowed, must a rate be given?
    # Who the kind is for: age on the start date (inclusive), NAV's need groups (empty: any).
    min_age: int | None = None
    max_age: int | None = None
    need_groups: frozenset[str] = frozenset()
    # Follow-up schedule: these weeks after start, then every month from `monthly_from`.
    weeks: tuple[int, ...] = (1, 2, 4)
    monthly_from: int | None = 2
    # The next step in the chain practice -> wage subsidy -> job.
    next_kind: str = Kind.ORDINARY_JOB


RULES: dict[str, KindRule] = {
    Kind.WORK_TRAINING: KindRule(
        max_months=12, extended_months=18, next_kind=Kind.TEMPORARY_WAGE_SUBSIDY
    ),
    Kind.TEMPORARY_WAGE_SUBSIDY: KindRule(max_months=12, extended_months=36, wage_subsidy_max=60),
    Kind.PERMANENT_WAGE_SUBSIDY: KindRule(needs_end=False, wage_subsidy_max=75, monthly_from=2),
    Kind.APPRENTICESHIP: KindRule(max_months=48, extended_months=60, weeks=(2, 6), monthly_from=3),
    Kind.SUMMER_JOB: KindRule(
        max_weeks=4,
        season=Season((6, 1), (8, 31)),
        wage_subsidy_max=75,
        wage_subsidy_required=False,  # a municipal summer job (a park crew) has none
        min_age=16,
        max_age=29,
        weeks=(1, 2, 3),  # four weeks at most: the last follow-up in the last week
        monthly_from=None,
        next_kind=Kind.WORK_TRAINING,
    ),
    Kind.MENTOR_SUPPORT: KindRule(max_months=6, extended_months=12, weeks=(2,), monthly_from=1),
    # An ordinary job: weekly in the first month, then monthly for the follow-up period.
    Kind.ORDINARY_JOB: KindRule(needs_end=False, weeks=(1, 2, 3, 4), monthly_from=2),
    # Denmark: virksomhedspraktik, without pay from the employer and without wage subsidy.
    Kind.COMPANY_INTERNSHIP: KindRule(
        max_weeks=13, weeks=(1, 2, 4), monthly_from=2, next_kind=Kind.DK_WAGE_SUBSIDY
    ),
    # Denmark: løntilskud; the subsidy is a fixed amount per hour, so no rate is asked for.
    Kind.DK_WAGE_SUBSIDY: KindRule(
        max_months=6, extended_months=12, wage_subsidy_max=100, wage_subsidy_required=False
    ),
}

_DANISH = frozenset({Kind.COMPANY_INTERNSHIP, Kind.DK_WAGE_SUBSIDY})
# The kinds an organisation may choose, by its country (Organisation.Country). An ordinary job
# is the goal everywhere.
KINDS_BY_COUNTRY: dict[str, tuple[str, ...]] = {
    "NO": tuple(kind for kind in Kind.values if kind not in _DANISH),
    "DK": (Kind.COMPANY_INTERNSHIP, Kind.DK_WAGE_SUBSIDY, Kind.ORDINARY_JOB),
}


def kinds_for(country: str) -> list[tuple[str, str]]:
    """The (value, label) choices of placement kind for an organisation in this country."""
    allowed = KINDS_BY_COUNTRY.get(country, KINDS_BY_COUNTRY["NO"])
    return [(value, str(label)) for value, label in Kind.choices if value in allowed]


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Whole years of age on `day`."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


POST_EMPLOYMENT_MONTHS = 3


def check(
    *,
    kind: str,
    start_date: datetime.date,
    end_date: datetime.date | None,
    today: datetime.date,
    start_reason: str = "",
    extension_reason: str = "",
    wage_subsidy_percent: int | None = None,
    check_backdating: bool = True,
    birth_date: datetime.date | None = None,
    need_group: str = "",
    country: str | None = None,
) -> None:
    """Raise a ValidationError naming every broken rule for this kind, these dates and (when
    given) the participant's age, need group and the organisation's country."""
    rule = RULES[kind]
    errors: dict[str, list[str]] = {}
    label = Kind(kind).label.lower()

    def fail(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if country is not None and kind not in KINDS_BY_COUNTRY.get(country, ()):
        fail("kind", _("This kind of placement is not used in your organisation's country."))
    if birth_date is not None:
        age = age_on(birth_date, start_date)
        if rule.min_age is not None and age < rule.min_age:
            fail(
                "participant",
                _("A %(kind)s is for people from %(min)d years; the participant is %(age)d.")
                % {"kind": label, "min": rule.min_age, "age": age},
            )
        if rule.max_age is not None and age > rule.max_age:
            fail(
                "participant",
                _("A %(kind)s is for people up to %(max)d years; the participant is %(age)d.")
                % {"kind": label, "max": rule.max_age, "age": age},
            )
    if rule.need_groups and need_group and need_group not in rule.need_groups:
        fail("participant", _("A %(kind)s is not for this need group.") % {"kind": label})

    backdated = start_date < today - datetime.timedelta(days=BACKDATE_DAYS)
    if check_backdating and backdated and not start_reason.strip():
        fail(
            "start_reason",
            _("The start is more than %(days)d days ago: say why it is back-dated.")
            % {"days": BACKDATE_DAYS},
        )
    if end_date is None:
        if rule.needs_end:
            fail("end_date", _("This kind of placement needs an end date."))
    elif end_date < start_date:
        fail("end_date", _("The end cannot come before the start."))
    else:
        if rule.max_weeks is not None:
            limit = start_date + datetime.timedelta(weeks=rule.max_weeks, days=-1)
            if end_date > limit:
                fail(
                    "end_date",
                    _("A %(kind)s lasts at most %(weeks)d weeks (until %(limit)s).")
                    % {"kind": label, "weeks": rule.max_weeks, "limit": limit},
                )
        if rule.max_months is not None:
            usual = add_months(start_date, rule.max_months) - datetime.timedelta(days=1)
            longest = add_months(start_date, rule.extended_months or rule.max_months)
            longest -= datetime.timedelta(days=1)
            if end_date > longest:
                fail(
                    "end_date",
                    _("A %(kind)s lasts at most %(months)d months (until %(limit)s).")
                    % {
                        "kind": label,
                        "months": rule.extended_months or rule.max_months,
                        "limit": longest,
                    },
                )
            elif end_date > usual and not extension_reason.strip():
                fail(
                    "extension_reason",
                    _(
                        "A %(kind)s usually lasts at most %(months)d months (until %(limit)s): "
                        "say why it should last longer."
                    )
                    % {
                        "kind": label,
                        "months": rule.max_months,
                        "limit": usual,
                    },
                )
        if rule.season is not None and not rule.season.contains(start_date, end_date):
            fail(
                "start_date",
                _("A %(kind)s must lie between 1 June and 31 August.") % {"kind": label},
            )
    if rule.wage_subsidy_max is None:
        if wage_subsidy_percent:
            fail(
                "wage_subsidy_percent",
                _("A %(kind)s has no wage subsidy.") % {"kind": label},
            )
    elif not wage_subsidy_percent:
        if rule.wage_subsidy_required:
            fail("wage_subsidy_percent", _("Give the wage subsidy rate in percent."))
    elif wage_subsidy_percent > rule.wage_subsidy_max:
        fail(
            "wage_subsidy_percent",
            _("The wage subsidy for a %(kind)s is at most %(max)d%%.")
            % {"kind": label, "max": rule.wage_subsidy_max},
        )
    if errors:
        raise ValidationError(errors)


def schedule(
    *,
    kind: str,
    start_date: datetime.date,
    end_date: datetime.date | None,
) -> list[datetime.date]:
    """The follow-up dates for a placement of this kind: the first weeks, then monthly, up to
    the end (or a year ahead when open-ended)."""
    rule = RULES[kind]
    last = end_date or add_months(start_date, OPEN_HORIZON_MONTHS)
    dates = [start_date + datetime.timedelta(weeks=week) for week in rule.weeks]
    if rule.monthly_from is not None:
        month = rule.monthly_from
        while (day := add_months(start_date, month)) <= last:
            dates.append(day)
            month += 1
    return sorted({day for day in dates if day <= last})
