"""Effects from the organisation's own data: does the counselor's belief, and do counselor
changes, go with how fast participants reach work, education or an apprenticeship?

A Cox model of the time from the start of a follow-up period to its first such outcome,
censored at the end of the period (or today). Time-varying: whether the latest check-in of the
period believes (4-5), and the number of counselor changes so far in the period. Adjusted for
age at start and need group. Observational data: the numbers describe this organisation's
participants, not what would happen if belief were changed.
"""

import datetime
import io
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from django.db import connection
from django.db.models import F, Func, IntegerField, Min, QuerySet, Window
from django.db.models.functions import RowNumber, TruncDate
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from samspill.core import smallcells
from samspill.followup.models import BeliefCheckIn
from samspill.insights import cox
from samspill.participants.models import (
    WORK_OR_EDUCATION,
    CounselorAssignment,
    FollowUpPeriod,
    NeedGroup,
    PeriodOutcome,
)

# Work, education or an apprenticeship, recorded as the period's outcome (docs/outcomes.md):
# the same outcomes the outcome report and the loops' share count.
EVENT_OUTCOMES = sorted(WORK_OR_EDUCATION)
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


class EpochDays(Func):
    """A date as whole days since 1970-01-01: integers read and compute far quicker than
    dates at a million rows."""

    output_field = IntegerField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "(%(expressions)s - DATE '1970-01-01')"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "CAST(julianday(%(expressions)s) - 2440587.5 AS INTEGER)"
        return self.as_sql(compiler, connection, template=template, **extra)


CHUNKS = 256  # PostgreSQL: rows come back as this many blocks of CSV text


def _frame(queryset: QuerySet[Any], **columns: Any) -> pd.DataFrame:
    """The queryset's rows of `columns` (name -> field or expression, each a number or a short
    text without commas) as a DataFrame, in no particular order.

    On PostgreSQL the rows come back as a few hundred blocks of CSV text (string_agg, grouped
    by the first column) for pandas' CSV reader: a driver spends microseconds on every row it
    hands over, whether as a tuple or as a line of COPY, and there are millions of rows."""
    names = list(columns)
    aliased = queryset.annotate(**{f"col_{name}": value for name, value in columns.items()})
    sql, params = aliased.values_list(*[f"col_{name}" for name in names]).query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(sql, params)
            return pd.DataFrame(cursor.fetchall(), columns=names)
        line = " || ',' || ".join(f"COALESCE(q.col_{name}::text, '')" for name in names)
        cursor.execute(
            f"SELECT string_agg({line}, E'\\n') FROM ({sql}) AS q"
            f" GROUP BY q.col_{names[0]} %% {CHUNKS}",
            params,
        )
        blocks = [block for (block,) in cursor.fetchall()]
    if not blocks:
        return pd.DataFrame(columns=names)
    text = io.StringIO("\n".join(blocks))
    return pd.read_csv(text, header=None, names=names, keep_default_na=False, na_values=[""])


def build_intervals(organisation_id: int | None, today: datetime.date) -> Intervals:
    """Read periods, outcomes, check-ins and counselor changes and lay them out as intervals
    (`lay_out`)."""
    periods = FollowUpPeriod.objects.filter(start_date__lte=today)
    if organisation_id is not None:
        periods = periods.filter(participant__organisation_id=organisation_id)
    frame = _frame(
        periods.filter(participant__birth_date__isnull=False).order_by(),
        period=F("id"),
        participant=F("participant_id"),
        start=EpochDays("start_date"),
        end=EpochDays("end_date"),
        birth=EpochDays("participant__birth_date"),
        need=F("participant__need_group"),
    )
    if frame.empty:
        raise TooFewData(_("There are no follow-up periods with a known birth date."))
    first = _frame(
        PeriodOutcome.objects.filter(period__in=periods.values("pk"), outcome__in=EVENT_OUTCOMES)
        .values("period_id")
        .annotate(first=Min(EpochDays("date")))
        .order_by(),
        period=F("period_id"),
        first=F("first"),
    )
    checkins = _frame(
        BeliefCheckIn.objects.filter(period__in=periods.values("pk")).order_by(),
        period=F("period_id"),
        on=EpochDays("asked_on"),
        belief=F("belief"),
        seq=F("id"),
    )
    # The first assignment of a period is not a change; every later one is.
    assignments = _frame(
        CounselorAssignment.objects.filter(period__in=periods.values("pk")).order_by(),
        period=F("period_id"),
        on=EpochDays(TruncDate("started_at")),
        seq=F("id"),
        nth=Window(RowNumber(), partition_by=F("period_id"), order_by=[F("started_at"), F("id")]),
    )
    changes = assignments[assignments["nth"] > 1]
    return lay_out(frame, first, checkins, changes, (today - datetime.date(1970, 1, 1)).days)


def lay_out(
    frame: pd.DataFrame,
    first: pd.DataFrame,
    checkins: pd.DataFrame,
    changes: pd.DataFrame,
    today_days: int,
) -> Intervals:
    """Periods (period, participant, start, end, birth, need), each period's first outcome
    that counts (period, first), check-ins (period, on, belief, seq) and counselor changes
    (period, on, seq) as counting-process intervals; dates as days since 1970-01-01.

    Time is in days from the period's start: an outcome on day d ends the stretch at d + 1, a
    check-in or a change on day c counts from c + 0.5 (from that day on, before an outcome the
    same day is counted)."""
    frame = frame.sort_values("period").reset_index(drop=True)
    start = frame["start"].to_numpy(dtype=float)
    end = frame["end"].to_numpy(dtype=float)  # NaN while the period is open
    end = np.where(np.isnan(end) | (end > today_days), today_days, end)
    T = end - start + 1
    age = (start - frame["birth"].to_numpy(dtype=float)) / 365.25
    need = frame["need"].fillna("").replace("", UNKNOWN_NEED).to_numpy(dtype=object)
    period_ids = frame["period"].to_numpy(dtype=np.int64)  # sorted

    def position(ids: pd.Series) -> np.ndarray:
        """Each id's row in the frame (periods are sorted), -1 where it is not there."""
        values = ids.to_numpy(dtype=np.int64)
        found = np.searchsorted(period_ids, values).clip(max=len(period_ids) - 1)
        return np.where(period_ids[found] == values, found, -1)

    first_at = np.full(len(frame), np.nan)
    at = position(first["period"])
    first_at[at[at >= 0]] = first["first"].to_numpy(dtype=float)[at >= 0]
    had = ~np.isnan(first_at) & (first_at >= start)
    event_time = np.where(had, first_at - start, 0.0) + 1
    event = had & (event_time <= T)
    stop = np.where(event, event_time, T)

    # Points in time where a covariate may change: check-ins (kind 0) before changes (kind 1)
    # on the same day, check-ins in the order they were made.
    period = np.concatenate([checkins["period"], changes["period"]]).astype(np.int64)
    on = np.concatenate([checkins["on"], changes["on"]]).astype(float)
    kind = np.concatenate([np.zeros(len(checkins)), np.ones(len(changes))])
    seq = np.concatenate([checkins["seq"], changes["seq"]]).astype(np.int64)
    belief = np.concatenate(
        [(checkins["belief"].to_numpy(dtype=float) >= BELIEVES).astype(float),
         np.full(len(changes), np.nan)]
    )  # fmt: skip
    at = position(pd.Series(period))
    t = on - start[at] + 0.5
    keep = (at >= 0) & (t > 0) & (t < stop[at])
    points = pd.DataFrame(
        {"period": period, "at": at, "t": t, "kind": kind, "seq": seq, "belief": belief}
    )[keep]
    points = points.iloc[np.lexsort((points["seq"], points["kind"], points["t"], points["at"]))]
    by_period = points.groupby("at", sort=False)
    points["changes"] = by_period["kind"].cumsum()
    points["belief"] = by_period["belief"].ffill().fillna(0.0)
    points = points.drop_duplicates(["at", "t"], keep="last")
    # Keep only the points where the state changes; stretches of the same state are one row.
    by_period = points.groupby("at", sort=False)
    unchanged = (by_period["belief"].shift(fill_value=0.0) == points["belief"]) & (
        by_period["changes"].shift(fill_value=0.0) == points["changes"]
    )
    points = points[~unchanged]

    starts = pd.DataFrame({"at": np.arange(len(frame)), "t": 0.0, "belief": 0.0, "changes": 0.0})
    rows = pd.concat([starts, points[["at", "t", "belief", "changes"]]], ignore_index=True)
    rows = rows.iloc[np.lexsort((rows["t"].to_numpy(), rows["at"].to_numpy()))]
    row_at = rows["at"].to_numpy(dtype=np.int64)
    next_t = rows["t"].to_numpy()[1:]
    last = np.append(row_at[1:] != row_at[:-1], True)
    row_stop = np.where(last, stop[row_at], np.append(next_t, 0.0))

    needs = [n for n in [*NeedGroup.values, UNKNOWN_NEED] if (need == n).any()]
    reference = pd.Series(need).value_counts().idxmax()
    need_columns = [n for n in needs if n != reference]
    per_row_need = need[row_at]
    x = np.column_stack(
        [
            rows["belief"].to_numpy(dtype=float),
            rows["changes"].to_numpy(dtype=float),
            age[row_at],
            *[(per_row_need == n).astype(float) for n in need_columns],
        ]
    )
    return Intervals(
        start=rows["t"].to_numpy(dtype=float),
        stop=row_stop,
        event=last & event[row_at],
        x=x,
        columns=["belief", "counselor_change", "age", *[f"need:{n}" for n in need_columns]],
        n_participants=int(frame["participant"].nunique()),
        n_periods=len(frame),
        n_events=int(event.sum()),
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
                "Too few to estimate: %(participants)s participants and %(events)s who reached "
                "work, education or an apprenticeship. At least %(min_participants)d "
                "participants and %(min_events)d such outcomes are needed for numbers worth "
                "reading."
            )
            % {  # counts of 1-4 in words, by the one small-cell rule
                "participants": smallcells.text(intervals.n_participants),
                "events": smallcells.text(intervals.n_events),
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
    # Rounded as the table's floatformat rounds: number_format alone cuts the decimals off.
    return formats.number_format(round(value, 2), decimal_pos=2)
