"""Effects from the organisation's own data: does the counselor's belief, and do counselor
changes, go with how fast participants reach work, education or an apprenticeship?

A Cox model of the time from the start of a follow-up period to its first such outcome,
censored at the end of the period (or today). Time-varying: whether the latest check-in of the
period believes (4-5), and the number of counselor changes so far in the period. Adjusted for
age at start and need group. Observational data: the numbers describe this organisation's
participants, not what would happen if belief were changed.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import psycopg
from django.db import connection
from django.db.models import Case, F, Func, IntegerField, Min, QuerySet, Value, When
from django.db.models.functions import TruncDate
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
# Need groups as the integer codes the reading returns: a code is an index into NEEDS.
NEEDS = [*NeedGroup.values, UNKNOWN_NEED]
NO_DAY = -(2**31)  # a missing date (an open period's end) as the reading returns it


class TooFewData(Exception):
    """Not enough participants or events for an estimate worth reporting."""


@dataclass(frozen=True)
class Intervals:
    """Counting-process rows: one per stretch of a period with constant covariates (x as
    float32)."""

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


class EpochMicros(Func):
    """A moment as microseconds since 1970-01-01 UTC, for ordering moments as integers
    (SQLite keeps milliseconds: moments closer than that are ordered by id)."""

    output_field = IntegerField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "(EXTRACT(EPOCH FROM %(expressions)s) * 1000000)::bigint"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "CAST(ROUND((julianday(%(expressions)s) - 2440587.5) * 86400000000) AS INTEGER)"
        return self.as_sql(compiler, connection, template=template, **extra)


CHUNKS = 64  # PostgreSQL: rows come back as this many blocks of bytes
_SEND = {4: ("int4send", "int4"), 8: ("int8send", "int8")}


def _read(queryset: QuerySet[Any], **columns: tuple[Any, int]) -> dict[str, np.ndarray]:
    """The queryset's rows of `columns` (name -> (field or integer expression, 4 or 8 bytes))
    as one NumPy integer array per column, in no particular order; NULL reads as NO_DAY.

    On PostgreSQL each row is packed into fixed-width big-endian integers (`int4send`) and
    the rows come back as a few dozen blocks of bytes (string_agg), which NumPy reads as they
    are. A driver spends microseconds on every row it hands over (psycopg 3: 2.7 µs of CPU per
    row through `COPY ... TO STDOUT`, binary or text alike, one message per row), and there
    are millions of rows; the blocks cost the driver nothing and PostgreSQL about as much as
    COPY. Elsewhere (SQLite: development and tests) the rows come through the cursor."""
    names = list(columns)
    aliased = queryset.annotate(**{f"col_{name}": expr for name, (expr, _w) in columns.items()})
    sql, params = aliased.values_list(*[f"col_{name}" for name in names]).query.sql_with_params()
    widths = [columns[name][1] for name in names]
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = np.array(cursor.fetchall(), dtype=np.float64).reshape(-1, len(names))
        rows[np.isnan(rows)] = NO_DAY
        return {name: _narrow(rows[:, i]) for i, name in enumerate(names)}
    packed = " || ".join(
        f"{_SEND[width][0]}(COALESCE(q.col_{name}, {NO_DAY})::{_SEND[width][1]})"
        for name, width in zip(names, widths, strict=True)
    )
    record = np.dtype([(name, f">i{width}") for name, width in zip(names, widths, strict=True)])
    connection.ensure_connection()
    # A cursor of its own: Django's binds parameters on the client, which reads only text
    # (bytea as hex, twice the bytes to send and decode).
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(
            f"SELECT string_agg({packed}, ''::bytea) FROM ({sql}) AS q"
            f" GROUP BY q.col_{names[0]} %% {CHUNKS}",
            params,
            binary=True,
        )
        blocks = [block for (block,) in cursor.fetchall()]
    records = np.empty(sum(len(block) for block in blocks) // record.itemsize, dtype=record)
    raw = records.view(np.uint8)
    at = 0
    while blocks:  # each block freed once copied
        block = blocks.pop()
        raw[at : at + len(block)] = np.frombuffer(block, dtype=np.uint8)
        at += len(block)
    return {name: _narrow(records[name]) for name in names}


def _narrow(values: np.ndarray) -> np.ndarray:
    """Native integers, int32 where they fit (ids mostly do): half the memory of int64."""
    if not len(values) or (values.min() >= -(2**31) and values.max() < 2**31):
        return values.astype(np.int32)
    return values.astype(np.int64)


def _need_code() -> Case:
    return Case(
        *[When(participant__need_group=need, then=Value(i)) for i, need in enumerate(NEEDS)],
        default=Value(NEEDS.index(UNKNOWN_NEED)),
        output_field=IntegerField(),
    )


def build_intervals(organisation_id: int | None, today: datetime.date) -> Intervals:
    """Read periods, outcomes, check-ins and counselor changes and lay them out as intervals
    (`lay_out`)."""
    periods = FollowUpPeriod.objects.filter(start_date__lte=today)
    if organisation_id is not None:
        periods = periods.filter(participant__organisation_id=organisation_id)
    frame = _read(
        periods.filter(participant__birth_date__isnull=False).order_by(),
        period=(F("id"), 8),
        participant=(F("participant_id"), 8),
        start=(EpochDays("start_date"), 4),
        end=(EpochDays("end_date"), 4),
        birth=(EpochDays("participant__birth_date"), 4),
        need=(_need_code(), 4),
    )
    if not len(frame["period"]):
        raise TooFewData(_("There are no follow-up periods with a known birth date."))
    first = _read(
        PeriodOutcome.objects.filter(period__in=periods.values("pk"), outcome__in=EVENT_OUTCOMES)
        .values("period_id")
        .annotate(first=Min(EpochDays("date")))
        .order_by(),
        period=(F("period_id"), 8),
        first=(F("first"), 4),
    )
    checkins = _read(
        BeliefCheckIn.objects.filter(period__in=periods.values("pk")).order_by(),
        period=(F("period_id"), 8),
        on=(EpochDays("asked_on"), 4),
        belief=(F("belief"), 4),
        seq=(F("id"), 8),
    )
    assignments = _read(
        CounselorAssignment.objects.filter(period__in=periods.values("pk")).order_by(),
        period=(F("period_id"), 8),
        on=(EpochDays(TruncDate("started_at")), 4),
        moment=(EpochMicros("started_at"), 8),
        seq=(F("id"), 8),
    )
    # The first assignment of a period (by start, then id) is not a change; every later one is.
    order = np.lexsort((assignments["seq"], assignments["moment"], assignments["period"]))
    in_order = assignments["period"][order]
    later = order[np.append(False, in_order[1:] == in_order[:-1])]
    changes = {name: assignments[name][later] for name in ("period", "on", "seq")}
    return lay_out(frame, first, checkins, changes, (today - datetime.date(1970, 1, 1)).days)


Columns = Mapping[str, Any]  # name -> array-like: a dict of arrays or a DataFrame


def _column(table: Columns, name: str, dtype: Any) -> np.ndarray:
    return np.asarray(table[name]).astype(dtype, copy=False)


def _need_codes(need: np.ndarray) -> np.ndarray:
    """Need groups as codes into NEEDS: codes pass through, names are looked up (a missing or
    unknown one is UNKNOWN_NEED)."""
    if need.dtype.kind in "iu":
        return need.astype(np.int64, copy=False)
    codes = pd.Series(need).map({name: code for code, name in enumerate(NEEDS)})
    return codes.fillna(NEEDS.index(UNKNOWN_NEED)).to_numpy(dtype=np.int64)


def _runs(keys: np.ndarray) -> np.ndarray:
    """For rows sorted by `keys`, whether each row begins a run of equal keys."""
    begins = np.ones(len(keys), dtype=bool)
    begins[1:] = keys[1:] != keys[:-1]
    return begins


def _dense(ids: np.ndarray) -> bool:
    """Whether sorted ids are close enough together for a table over their range."""
    return len(ids) > 0 and int(ids[-1]) - int(ids[0]) < 4 * len(ids) + 1024


def _positions(sorted_ids: np.ndarray) -> Any:
    """A function giving each id's row among `sorted_ids` (unique), -1 where it is not there:
    through a table over their range when they are dense (database ids mostly are), so that
    millions of look-ups are one gather each instead of a binary search."""
    n = len(sorted_ids)
    if not _dense(sorted_ids):

        def search(ids: np.ndarray) -> np.ndarray:
            found = np.searchsorted(sorted_ids, ids).clip(max=n - 1)
            return np.where(sorted_ids[found] == ids, found, -1)

        return search
    low, high = int(sorted_ids[0]), int(sorted_ids[-1])
    table = np.full(high - low + 1, -1, dtype=np.int64)
    table[sorted_ids - low] = np.arange(n)

    def look_up(ids: np.ndarray) -> np.ndarray:
        inside = (ids >= low) & (ids <= high)
        return np.where(inside, table[np.where(inside, ids - low, 0)], -1)

    return look_up


def _count_distinct(values: np.ndarray) -> int:
    if len(values) and int(values.max()) - int(values.min()) < 4 * len(values) + 1024:
        seen = np.zeros(int(values.max()) - int(values.min()) + 1, dtype=bool)
        seen[values - values.min()] = True
        return int(seen.sum())
    return len(np.unique(values))


def _point_order(
    at: np.ndarray, t: np.ndarray, kind: np.ndarray, seq: np.ndarray, n_periods: int
) -> np.ndarray:
    """The order of the points by period, time, kind (check-ins first), then seq: one sort
    of a packed integer key (the times are whole days and a half), then the few points that
    share period, time and kind by seq; a lexsort of four keys where they do not pack."""
    halves = (2 * t).astype(np.int64)  # 2t is a whole number: t is a day plus a half
    span = int(halves.max()) + 1 if len(halves) else 1
    if not np.array_equal(halves, 2 * t) or n_periods * span * 2 >= 2**62:
        return np.lexsort((seq, kind, t, at))
    key = (at * span + halves) * 2 + kind
    del halves
    order = np.argsort(key)
    key = key[order]
    tied = np.flatnonzero(key[1:] == key[:-1])
    if len(tied):
        rows = np.union1d(tied, tied + 1)  # runs of equal keys, each contiguous
        among = order[rows]
        order[rows] = among[np.lexsort((seq[among], key[rows]))]
    return order


def lay_out(
    frame: Columns,
    first: Columns,
    checkins: Columns,
    changes: Columns,
    today_days: int,
) -> Intervals:
    """Periods (period, participant, start, end, birth, need), each period's first outcome
    that counts (period, first), check-ins (period, on, belief, seq) and counselor changes
    (period, on, seq) as counting-process intervals; dates as days since 1970-01-01 (a
    missing end as NaN or NO_DAY), need groups as names or as codes into NEEDS. Each a
    DataFrame or a dict of arrays.

    Time is in days from the period's start: an outcome on day d ends the stretch at d + 1, a
    check-in or a change on day c counts from c + 0.5 (from that day on, before an outcome the
    same day is counted). All in NumPy: sorts and cumulative sums, no group-bys."""
    period_ids = _column(frame, "period", np.int64)
    by_id = np.argsort(period_ids, kind="stable")
    period_ids = period_ids[by_id]
    start = _column(frame, "start", np.float64)[by_id]
    end = _column(frame, "end", np.float64)[by_id]
    end = np.where(np.isnan(end) | (end == NO_DAY) | (end > today_days), today_days, end)
    T = end - start + 1
    age = (start - _column(frame, "birth", np.float64)[by_id]) / 365.25
    need = _need_codes(np.asarray(frame["need"]))[by_id]
    n_periods = len(period_ids)

    position = _positions(period_ids)

    first_at = np.full(n_periods, np.nan)
    at = position(_column(first, "period", np.int64))
    first_at[at[at >= 0]] = _column(first, "first", np.float64)[at >= 0]
    had = ~np.isnan(first_at) & (first_at >= start)
    event_time = np.where(had, first_at - start, 0.0) + 1
    event = had & (event_time <= T)
    stop = np.where(event, event_time, T)

    # Points in time where a covariate may change: check-ins (kind 0) before changes (kind 1)
    # on the same day, check-ins in the order they were made.
    n_checkins = len(checkins["period"])
    at = position(
        np.concatenate(
            [_column(checkins, "period", np.int64), _column(changes, "period", np.int64)]
        )
    )
    t = np.concatenate([_column(checkins, "on", np.float64), _column(changes, "on", np.float64)])
    t += 0.5 - start[at]
    keep = (at >= 0) & (t > 0) & (t < stop[at])
    at, t = at[keep], t[keep]
    kind = np.zeros(len(keep), dtype=bool)
    kind[n_checkins:] = True
    kind = kind[keep]
    seq = np.concatenate([_column(checkins, "seq", np.int64), _column(changes, "seq", np.int64)])
    seq = seq[keep]
    belief = np.full(len(keep), -1, dtype=np.int8)  # -1: a change, not a check-in
    belief[:n_checkins] = _column(checkins, "belief", np.int64) >= BELIEVES
    belief = belief[keep]
    del keep
    order = _point_order(at, t, kind, seq, n_periods)
    at, t, kind, belief = at[order], t[order], kind[order], belief[order]
    del seq, order
    # Within each period: the changes so far, and the latest check-in's belief (0 before one).
    # (Positions as int32 where they fit: these arrays have a row per check-in.)
    small = np.int32 if len(at) < 2**31 else np.int64
    index = np.arange(len(at), dtype=small)
    begins = np.where(_runs(at), index, 0)
    np.maximum.accumulate(begins, out=begins)
    so_far: np.ndarray[Any, Any] = np.cumsum(kind, dtype=small)
    changes_so_far = so_far - so_far[begins] + kind[begins]
    del so_far
    latest = index
    latest[belief < 0] = -1
    del index
    np.maximum.accumulate(latest, out=latest)
    believes = np.where(latest >= begins, belief[latest.clip(min=0)], 0).astype(np.int8)
    del begins, latest, kind, belief
    belief = believes
    # The state after the last point of each (period, time); then only the points where the
    # state changes: stretches of the same state are one row.
    last = np.ones(len(at), dtype=bool)
    last[:-1] = (at[1:] != at[:-1]) | (t[1:] != t[:-1])
    at, t, belief, changes_so_far = at[last], t[last], belief[last], changes_so_far[last]
    begins = _runs(at)
    before_belief = np.where(begins, 0, np.roll(belief, 1))
    before_changes = np.where(begins, 0, np.roll(changes_so_far, 1))
    moved = (before_belief != belief) | (before_changes != changes_so_far)
    at, t, belief, changes_so_far = at[moved], t[moved], belief[moved], changes_so_far[moved]
    del begins, before_belief, before_changes, moved

    # Each period's first row (from 0, no belief, no changes) and then its points, in order:
    # the points are sorted by period and time, so their places follow from counting.
    n_rows = n_periods + len(at)
    firsts = np.searchsorted(at, np.arange(n_periods)) + np.arange(n_periods)
    places = np.arange(len(at)) + at + 1
    row_at = np.empty(n_rows, dtype=np.int64)
    row_at[firsts] = np.arange(n_periods)
    row_at[places] = at
    row_start = np.zeros(n_rows)
    row_start[places] = t
    last = np.append(row_at[1:] != row_at[:-1], True)
    row_stop = np.where(last, stop[row_at], np.append(row_start[1:], 0.0))

    counts = np.bincount(need, minlength=len(NEEDS))
    reference = int(np.argmax(counts))  # the most common need group
    need_columns = [code for code in range(len(NEEDS)) if counts[code] and code != reference]
    # float32: the covariates are 0/1, counts and ages (a minute's precision); the estimates
    # move by less than 1e-9 against float64, and a million participants' rows take half.
    x = np.zeros((n_rows, 3 + len(need_columns)), dtype=np.float32)
    x[places, 0] = belief
    x[places, 1] = changes_so_far
    x[:, 2] = age[row_at]
    need_by_row = need.astype(np.int8)[row_at]
    for column, code in enumerate(need_columns, start=3):
        x[:, column] = need_by_row == code
    return Intervals(
        start=row_start,
        stop=row_stop,
        event=last & event[row_at],
        x=x,
        columns=["belief", "counselor_change", "age", *[f"need:{NEEDS[c]}" for c in need_columns]],
        n_participants=_count_distinct(_column(frame, "participant", np.int64)),
        n_periods=n_periods,
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
