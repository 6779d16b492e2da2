"""Effects from the organisation's own data: does the counselor's belief, and do counselor
changes, go with how fast participants reach work, education or an apprenticeship?

A Cox model of the time from the start of a follow-up period to its first such outcome,
censored at the end of the period (or today). Time-varying: whether the latest check-in of the
period believes (4-5), and the number of counselor changes so far in the period. Adjusted for
age at start and need group. Observational data: the numbers describe this organisation's
participants, not what would happen if belief were changed.
"""

import datetime
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from django.db import connection
from django.db.models import Min, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from samspill.followup.models import BeliefCheckIn
from samspill.insights import cox
from samspill.participants.models import (
    CounselorAssignment,
    FollowUpPeriod,
    NeedGroup,
    PeriodOutcome,
)

EVENT_OUTCOMES = (
    PeriodOutcome.Outcome.ORDINARY_WORK,
    PeriodOutcome.Outcome.EDUCATION,
    PeriodOutcome.Outcome.APPRENTICESHIP,
)
BELIEVES = 4  # belief 4-5: "yes, probably" or "yes, certainly"
MIN_EVENTS = 50
MIN_PARTICIPANTS = 100
UNKNOWN_NEED = "unknown"


class TooFewData(Exception):
    """Not enough participants or events for an estimate worth reporting."""


@dataclass(frozen=True)
class Intervals:
    """Counting-process rows: one per stretch of a period with constant covariates."""

    start: np.ndarray
    stop: np.ndarray
    event: np.ndarray
    x: np.ndarray
    columns: list[str]
    n_participants: int
    n_periods: int
    n_events: int


def _rows(queryset: QuerySet[Any], *fields: str) -> list[tuple[Any, ...]]:
    """All rows of `fields`, through one server-side cursor, without model instances."""
    sql, params = queryset.values_list(*fields).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[tuple[Any, ...]] = []
        while chunk := cursor.fetchmany(50_000):
            rows.extend(chunk)
    return rows


def _days(dates: pd.Series, since: pd.Series) -> np.ndarray:
    return (pd.to_datetime(dates) - pd.to_datetime(since)).dt.days.to_numpy(dtype=float)


def build_intervals(organisation_id: int | None, today: datetime.date) -> Intervals:
    """Read periods, outcomes, check-ins and counselor changes and lay them out as intervals.

    Time is in days from the period's start: an outcome on day d ends the stretch at d + 1, a
    check-in or a change on day c counts from c + 0.5 (from that day on, before an outcome the
    same day is counted)."""
    periods = FollowUpPeriod.objects.filter(start_date__lte=today)
    if organisation_id is not None:
        periods = periods.filter(participant__organisation_id=organisation_id)
    frame = pd.DataFrame(
        _rows(
            periods,
            "id",
            "participant_id",
            "start_date",
            "end_date",
            "participant__birth_date",
            "participant__need_group",
        ),
        columns=["period", "participant", "start", "end", "birth", "need"],
    )
    frame = frame[frame["birth"].notna()]
    if frame.empty:
        raise TooFewData(_("There are no follow-up periods with a known birth date."))
    frame["end"] = frame["end"].fillna(today).clip(upper=today)
    frame["T"] = _days(frame["end"], frame["start"]) + 1
    frame["age"] = _days(frame["start"], frame["birth"]) / 365.25
    frame["need"] = frame["need"].replace("", UNKNOWN_NEED)
    frame = frame.set_index("period", drop=False)

    first = pd.DataFrame(
        _rows(
            PeriodOutcome.objects.filter(
                period__in=periods.values("pk"), outcome__in=EVENT_OUTCOMES
            )
            .values("period_id")
            .annotate(first=Min("date"))
            .order_by(),
            "period_id",
            "first",
        ),
        columns=["period", "first"],
    ).set_index("period")
    frame = frame.join(first, how="left")
    had = frame["first"].notna() & (
        pd.to_datetime(frame["first"]) >= pd.to_datetime(frame["start"])
    )
    event_time = _days(frame["first"].where(had, frame["start"]), frame["start"]) + 1
    frame["event"] = had.to_numpy() & (event_time <= frame["T"].to_numpy())
    frame["stop"] = np.where(frame["event"], event_time, frame["T"])

    checkins = pd.DataFrame(
        _rows(
            BeliefCheckIn.objects.filter(period__in=periods.values("pk")).order_by(
                "period_id", "asked_on", "id"
            ),
            "period_id",
            "asked_on",
            "belief",
        ),
        columns=["period", "on", "belief"],
    )
    checkins["belief"] = (checkins["belief"] >= BELIEVES).astype(float)
    checkins["change"] = 0
    assignments = pd.DataFrame(
        _rows(
            CounselorAssignment.objects.filter(period__in=periods.values("pk")).order_by(
                "period_id", "started_at", "id"
            ),
            "period_id",
            "started_at",
        ),
        columns=["period", "on"],
    )
    # The first assignment of a period is not a change; every later one is.
    changes = assignments[assignments["period"].duplicated()].copy()
    changes["on"] = (
        pd.to_datetime(changes["on"], utc=True)
        .dt.tz_convert(timezone.get_current_timezone())
        .dt.date
    )
    changes["belief"] = np.nan
    changes["change"] = 1
    points = pd.concat([checkins, changes], ignore_index=True)
    points = points[points["period"].isin(frame.index)]
    points["t"] = _days(points["on"], frame.loc[points["period"], "start"].to_numpy()) + 0.5
    points = points[
        (points["t"] > 0) & (points["t"] < frame.loc[points["period"], "stop"].to_numpy())
    ]
    points = points.sort_values(["period", "t"], kind="stable")
    by_period = points.groupby("period", sort=False)
    points["changes"] = by_period["change"].cumsum()
    points["belief"] = by_period["belief"].ffill().fillna(0.0)
    points = points.drop_duplicates(["period", "t"], keep="last")
    # Keep only the points where the state changes; stretches of the same state are one row.
    by_period = points.groupby("period", sort=False)
    unchanged = (by_period["belief"].shift(fill_value=0.0) == points["belief"]) & (
        by_period["changes"].shift(fill_value=0) == points["changes"]
    )
    points = points[~unchanged]

    starts = pd.DataFrame(
        {"period": frame["period"].to_numpy(), "t": 0.0, "belief": 0.0, "changes": 0}
    )
    rows = pd.concat([starts, points[["period", "t", "belief", "changes"]]], ignore_index=True)
    rows = rows.sort_values(["period", "t"], kind="stable")
    stop = rows.groupby("period", sort=False)["t"].shift(-1)
    last = stop.isna().to_numpy()
    period_stop = frame.loc[rows["period"], "stop"].to_numpy()
    rows["stop"] = np.where(last, period_stop, stop.to_numpy())
    rows["event"] = last & frame.loc[rows["period"], "event"].to_numpy()

    needs = [n for n in [*NeedGroup.values, UNKNOWN_NEED] if (frame["need"] == n).any()]
    reference = frame["need"].value_counts().idxmax()
    need_columns = [n for n in needs if n != reference]
    per_row_need = frame.loc[rows["period"], "need"].to_numpy()
    x = np.column_stack(
        [
            rows["belief"].to_numpy(dtype=float),
            rows["changes"].to_numpy(dtype=float),
            frame.loc[rows["period"], "age"].to_numpy(dtype=float),
            *[(per_row_need == n).astype(float) for n in need_columns],
        ]
    )
    return Intervals(
        start=rows["t"].to_numpy(dtype=float),
        stop=rows["stop"].to_numpy(dtype=float),
        event=rows["event"].to_numpy(dtype=bool),
        x=x,
        columns=["belief", "counselor_change", "age", *[f"need:{n}" for n in need_columns]],
        n_participants=int(frame["participant"].nunique()),
        n_periods=len(frame),
        n_events=int(frame["event"].sum()),
    )


def _ratio(result: cox.CoxResult, index: int) -> dict[str, float]:
    hazard_ratio, low, high = result.hazard_ratio(index)
    return {
        "hazard_ratio": round(hazard_ratio, 4),
        "ci_low": round(low, 4),
        "ci_high": round(high, 4),
    }


def estimate(
    organisation_id: int | None, *, today: datetime.date | None = None, adjust: bool = True
) -> dict[str, Any]:
    """The effects as a JSON-able dict; raises TooFewData with a reason to show. `adjust=False`
    leaves out age and need group (to show what the adjustment does)."""
    intervals = build_intervals(organisation_id, today or timezone.localdate())
    if intervals.n_participants < MIN_PARTICIPANTS or intervals.n_events < MIN_EVENTS:
        raise TooFewData(
            _(
                "Too few to estimate: %(participants)d participants and %(events)d who reached "
                "work, education or an apprenticeship. At least %(min_participants)d "
                "participants and %(min_events)d such outcomes are needed for numbers worth "
                "reading."
            )
            % {
                "participants": intervals.n_participants,
                "events": intervals.n_events,
                "min_participants": MIN_PARTICIPANTS,
                "min_events": MIN_EVENTS,
            }
        )
    try:
        result = cox.fit(
            start=intervals.start,
            stop=intervals.stop,
            event=intervals.event,
            x=intervals.x if adjust else intervals.x[:, :2],
        )
    except cox.ConvergenceError as error:
        raise TooFewData(
            _("The model could not be estimated on these data (%(why)s).") % {"why": error}
        ) from error
    return {
        "belief": _ratio(result, 0),
        "counselor_change": _ratio(result, 1),
        "n_participants": intervals.n_participants,
        "n_events": intervals.n_events,
        "n_periods": intervals.n_periods,
        "n_intervals": len(intervals.start),
        "adjusted_for": intervals.columns[2:] if adjust else [],
    }


def reading(result: dict[str, Any]) -> list[str]:
    """The estimates in plain words, with their uncertainty."""
    lines = []
    belief = result["belief"]
    lines.append(
        _(
            "In your data, participants whose counselor believed in them (belief 4 or 5 at the "
            "latest check-in) reached work or education %(hr)s times as fast as the others "
            "(95%% confidence interval %(low)s–%(high)s)."
        )
        % {
            "hr": _number(belief["hazard_ratio"]),
            "low": _number(belief["ci_low"]),
            "high": _number(belief["ci_high"]),
        }
    )
    change = result["counselor_change"]
    lines.append(
        _(
            "Each change of counselor went with %(hr)s times the pace towards work or education "
            "(95%% confidence interval %(low)s–%(high)s); below 1 means slower."
        )
        % {
            "hr": _number(change["hazard_ratio"]),
            "low": _number(change["ci_low"]),
            "high": _number(change["ci_high"]),
        }
    )
    for key in ("belief", "counselor_change"):
        if result[key]["ci_low"] <= 1 <= result[key]["ci_high"]:
            lines.append(
                _(
                    "The interval for %(what)s includes 1: your data cannot tell it apart from "
                    "no difference."
                )
                % {"what": _("belief") if key == "belief" else _("counselor changes")}
            )
    return lines


def caveats() -> list[str]:
    return [
        _(
            "These are observational data: the numbers describe what went together in your "
            "organisation, not what would happen if something were changed."
        ),
        _(
            "Belief can partly be a good prediction: counselors may believe in those who were "
            "closer to work to begin with, beyond what age and need group capture."
        ),
        _(
            "Adjusted for age at the start and need group; other differences between "
            "participants are not."
        ),
    ]


def _number(value: float) -> str:
    return formats.number_format(value, decimal_pos=2)
