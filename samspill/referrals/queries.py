"""Reads of referrals: the list and the statistics (STYLE.md 2).

Every function starts from `Referral.objects.visible_to(user)`: the one door.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from samspill.core import smallcells
from samspill.core.smallcells import Cell
from samspill.referrals.models import Outcome, Referral, Source

# The list's outcome filter: one outcome, or those with none yet.
NO_OUTCOME = "none"


@dataclass
class ReferralFilter:
    """The list's search and filters, as parsed from the query string or the API."""

    q: str = ""
    source: str = ""
    outcome: str = ""  # "" (all) | an Outcome value | NO_OUTCOME
    mine: bool = False
    received_from: datetime.date | None = None
    received_to: datetime.date | None = None


def referral_list(user: Any, flt: ReferralFilter) -> QuerySet[Referral]:
    """Visible referrals matching `flt`, newest first, with who takes them joined in."""
    qs = Referral.objects.visible_to(user)
    if flt.mine:
        qs = qs.filter(taken_by_id=user.pk)
    if flt.source:
        qs = qs.filter(source=flt.source)
    if flt.outcome == NO_OUTCOME:
        qs = qs.filter(outcome="")
    elif flt.outcome:
        qs = qs.filter(outcome=flt.outcome)
    if flt.received_from is not None:
        qs = qs.filter(received_on__gte=flt.received_from)
    if flt.received_to is not None:
        qs = qs.filter(received_on__lte=flt.received_to)
    for term in flt.q.split()[:4]:
        qs = qs.filter(Q(given_name__istartswith=term) | Q(family_name__istartswith=term))
    return qs.select_related("taken_by").order_by("-received_on", "-id")


def this_year(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    return datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)


@dataclass
class StatisticsRow:
    source: str
    label: str
    counts: list[Cell]  # one per column of `ReferralStatistics.columns`; None: hidden
    total: Cell

    @property
    def suppressed(self) -> bool:
        return self.total is None or None in self.counts


@dataclass
class ReferralStatistics:
    """Referrals received in a period, by source (rows) and outcome (columns), with totals;
    small cells hidden (None) by the one rule, `core/smallcells.py`."""

    start: datetime.date
    end: datetime.date
    columns: list[tuple[str, str]]  # (outcome value, label); "" is "no outcome yet"
    rows: list[StatisticsRow] = field(default_factory=list)
    totals: list[Cell] = field(default_factory=list)
    total: Cell = 0

    @property
    def suppressed(self) -> bool:
        return self.total is None or None in self.totals or any(r.suppressed for r in self.rows)


def statistics_columns() -> list[tuple[str, str]]:
    return [
        *((value, str(label)) for value, label in Outcome.choices),
        ("", str(_("No outcome yet"))),
    ]


def referral_statistics(
    user: Any, *, start: datetime.date, end: datetime.date
) -> ReferralStatistics:
    """The table by source x outcome for referrals received from `start` to `end` (inclusive):
    one aggregate query; every source and outcome is shown, also with no referrals."""
    grouped = (
        Referral.objects.visible_to(user)
        .filter(received_on__gte=start, received_on__lte=end)
        .order_by()
        .values("source", "outcome")
        .annotate(n=Count("id"))
    )
    counts = {(row["source"], row["outcome"]): row["n"] for row in grouped}
    columns = statistics_columns()
    body = [
        [counts.get((source, outcome), 0) for outcome, _label in columns]
        for source, _label in Source.choices
    ]
    table = smallcells.table(body, len(columns))
    return ReferralStatistics(
        start=start,
        end=end,
        columns=columns,
        rows=[
            StatisticsRow(source=source, label=str(label), counts=cells, total=total)
            for (source, label), cells, total in zip(
                Source.choices, table.cells, table.row_totals, strict=True
            )
        ],
        totals=table.column_totals,
        total=table.total,
    )
