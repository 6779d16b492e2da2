"""The leader's learning overview (issue 20, item 9): learning goals by status, reviews overdue,
sparring activity, and whether belief, continuity and outcomes moved since a chosen start date.

Before/after compares two windows of equal length, the one that ends the day before the start
date and the one from it to today, for the whole organisation: a share in each with its 95 %
interval (Wilson) and the difference with its interval. It is observational: other things
changed in the same time (who was referred, the labour market, the staff), so a difference is
no proof that the learning made it. Nothing here is per person, and nobody is ranked.

Programme attendance (item 4's sessions): sessions held, attendance recorded and the present
share, and reflections written (counts only, never their text), before and after.

Small cells: a count of 1-4 people (and the share and interval that rest on it) is hidden by
the one rule (core/smallcells.py). A fixed number of queries (about twenty).
"""

import datetime
import math
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from samspill.core import smallcells
from samspill.core.db import replica_reads
from samspill.core.smallcells import Cell
from samspill.followup import continuity
from samspill.followup.models import BeliefCheckIn
from samspill.insights import outcomes
from samspill.learning import queries
from samspill.learning.models import LearningGoal, Reflection, SessionAttendance, SparringCase
from samspill.organisations.models import Organisation
from samspill.participants.models import WORK_OR_EDUCATION

Z95 = 1.959964
HIGH_BELIEF = 4
DEFAULT_DAYS = 180
OLDEST_DAYS = 3 * 365


def wilson(k: int, n: int) -> tuple[float, float]:
    """The 95 % Wilson interval for k of n."""
    p = k / n
    centre = (p + Z95**2 / (2 * n)) / (1 + Z95**2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / (1 + Z95**2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class Share:
    """k of n in one window, hidden (None) by the small-cell rule."""

    k: Cell
    n: Cell

    @property
    def value(self) -> float | None:
        return smallcells.share(self.k, self.n)

    @property
    def interval(self) -> tuple[float, float] | None:
        if self.k is None or not self.n:
            return None
        return wilson(self.k, self.n)


def shown_share(k: int, n: int) -> Share:
    cells = smallcells.apply({"n": n, "k": k, "rest": n - k}, [("n", ["k", "rest"])])
    return Share(k=cells["k"], n=cells["n"])


@dataclass(frozen=True)
class Moved:
    """One figure before and after the start date, and the difference (after - before) with
    its 95 % interval (normal approximation), in shares from -1 to 1."""

    key: str
    label: str
    before: Share
    after: Share

    @property
    def difference(self) -> float | None:
        if self.before.value is None or self.after.value is None:
            return None
        return self.after.value - self.before.value

    @property
    def difference_interval(self) -> tuple[float, float] | None:
        b, a = self.before, self.after
        if b.value is None or a.value is None or not b.n or not a.n:
            return None
        se = math.sqrt(b.value * (1 - b.value) / b.n + a.value * (1 - a.value) / a.n)
        diff = a.value - b.value
        return diff - Z95 * se, diff + Z95 * se

    @property
    def sides(self) -> tuple[Share, Share]:
        return self.before, self.after

    @property
    def points(self) -> tuple[float, float, float] | None:
        """The difference and its interval in percentage points."""
        interval = self.difference_interval
        if self.difference is None or interval is None:
            return None
        return tuple(round(100 * x, 1) for x in (self.difference, *interval))  # type: ignore[return-value]

    @property
    def verdict(self) -> str:
        interval = self.difference_interval
        if interval is None:
            return _("Too few to compare.")
        low, high = interval
        if low > 0:
            return _("Higher after the start, beyond chance variation.")
        if high < 0:
            return _("Lower after the start, beyond chance variation.")
        return _("No clear change: the interval includes zero.")


def windows(
    since: datetime.date, today: datetime.date
) -> tuple[tuple[datetime.date, datetime.date], tuple[datetime.date, datetime.date]]:
    """(before, after): after is [since, today], before the same number of days just before."""
    days = (today - since).days
    before_end = since - datetime.timedelta(days=1)
    return (before_end - datetime.timedelta(days=days), before_end), (since, today)


def _belief(organisation: Organisation, start: datetime.date, end: datetime.date) -> Share:
    row = BeliefCheckIn.objects.filter(
        participant__organisation=organisation, asked_on__gte=start, asked_on__lte=end
    ).aggregate(n=Count("id"), k=Count("id", filter=Q(belief__gte=HIGH_BELIEF)))
    return shown_share(row["k"], row["n"])


def _continuity(organisation: Organisation, start: datetime.date, end: datetime.date) -> Share:
    c = continuity.organisation_continuity(organisation.pk, start, end)
    return shown_share(c.without_change, c.periods)


def _outcomes(
    organisation: Organisation, start: datetime.date, end: datetime.date, today: datetime.date
) -> Share:
    rows = outcomes.period_rows(organisation, start, end, today)
    k = sum(1 for row in rows if row.points["at_end"] in WORK_OR_EDUCATION)
    return shown_share(k, len(rows))


def moved(organisation: Organisation, since: datetime.date, today: datetime.date) -> list[Moved]:
    (b_start, b_end), (a_start, a_end) = windows(since, today)
    return [
        Moved(
            "belief",
            _("Belief check-ins at 4 or 5"),
            _belief(organisation, b_start, b_end),
            _belief(organisation, a_start, a_end),
        ),
        Moved(
            "continuity",
            _("Follow-up periods without a change of counselor"),
            _continuity(organisation, b_start, b_end),
            _continuity(organisation, a_start, a_end),
        ),
        Moved(
            "outcomes",
            _("Ended periods in work or education at the end"),
            _outcomes(organisation, b_start, b_end, today),
            _outcomes(organisation, a_start, a_end, today),
        ),
    ]


def sparring(
    organisation: Organisation, since: datetime.date, today: datetime.date
) -> dict[str, Any]:
    """Sparring cases of every kind asked and accepted before and after the start date, and
    those waiting for an answer now (counts of cases: one query)."""
    (b_start, b_end), (a_start, a_end) = windows(since, today)

    def asked(start: datetime.date, end: datetime.date) -> Q:
        return Q(created_at__date__gte=start, created_at__date__lte=end)

    row = SparringCase.objects.filter(organisation=organisation).aggregate(
        asked_before=Count("id", filter=asked(b_start, b_end)),
        asked_after=Count("id", filter=asked(a_start, a_end)),
        accepted_before=Count("id", filter=asked(b_start, b_end) & Q(accepted_at__isnull=False)),
        accepted_after=Count("id", filter=asked(a_start, a_end) & Q(accepted_at__isnull=False)),
        open_now=Count("id", filter=Q(status=SparringCase.Status.OPEN)),
    )
    lines = [
        ("asked_before", ["accepted_before", "unanswered_before"]),
        ("asked_after", ["accepted_after", "unanswered_after"]),
    ]
    values = {
        **row,
        "unanswered_before": row["asked_before"] - row["accepted_before"],
        "unanswered_after": row["asked_after"] - row["accepted_after"],
    }
    return smallcells.apply(values, lines)


def attendance(
    organisation: Organisation, since: datetime.date, today: datetime.date
) -> dict[str, Any]:
    """The programme's sessions held before and after the start date: places recorded, people
    present, and reflections written after them (counts; two queries)."""
    (b_start, b_end), (a_start, a_end) = windows(since, today)

    def held(start: datetime.date, end: datetime.date, prefix: str = "") -> Q:
        return Q(
            **{
                f"{prefix}session__starts_at__date__gte": start,
                f"{prefix}session__starts_at__date__lte": end,
            }
        )

    marks = SessionAttendance.objects.filter(
        session__module__programme__organisation=organisation
    ).aggregate(
        sessions_before=Count("session", filter=held(b_start, b_end), distinct=True),
        sessions_after=Count("session", filter=held(a_start, a_end), distinct=True),
        recorded_before=Count("id", filter=held(b_start, b_end)),
        recorded_after=Count("id", filter=held(a_start, a_end)),
        present_before=Count("id", filter=held(b_start, b_end) & Q(present=True)),
        present_after=Count("id", filter=held(a_start, a_end) & Q(present=True)),
    )
    written = Reflection.objects.filter(
        session__module__programme__organisation=organisation
    ).aggregate(
        reflections_before=Count("id", filter=held(b_start, b_end)),
        reflections_after=Count("id", filter=held(a_start, a_end)),
    )
    values = {
        **marks,
        **written,
        "absent_before": marks["recorded_before"] - marks["present_before"],
        "absent_after": marks["recorded_after"] - marks["present_after"],
    }
    lines = [
        ("recorded_before", ["present_before", "absent_before"]),
        ("recorded_after", ["present_after", "absent_after"]),
    ]
    cells: dict[str, Any] = smallcells.apply(values, lines)
    # Sessions are not people: their number is never hidden.
    cells["sessions_before"], cells["sessions_after"] = (
        marks["sessions_before"],
        marks["sessions_after"],
    )
    for side in ("before", "after"):
        present, recorded = cells[f"present_{side}"], cells[f"recorded_{side}"]
        cells[f"share_{side}"] = present / recorded if present is not None and recorded else None
    return cells


def default_since(today: datetime.date) -> datetime.date:
    return today - datetime.timedelta(days=DEFAULT_DAYS)


def check_since(since: datetime.date, today: datetime.date) -> str:
    """Why `since` cannot be a start date ("" when it can)."""
    if since >= today:
        return _("Choose a start date before today.")
    if (today - since).days > OLDEST_DAYS:
        return _("Choose a start date within the last three years.")
    return ""


def overview(
    organisation: Organisation, since: datetime.date, today: datetime.date
) -> dict[str, Any]:
    with replica_reads():
        goals = queries.goal_counts(LearningGoal.objects.filter(organisation=organisation))
        before, after = windows(since, today)
        return {
            "since": since,
            "before": before,
            "after": after,
            "goals": goals,
            "sparring": sparring(organisation, since, today),
            "attendance": attendance(organisation, since, today),
            "moved": moved(organisation, since, today),
        }
