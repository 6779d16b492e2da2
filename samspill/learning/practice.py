"""My practice: a staff member's private mirror of their own way of working (issue 20, item 8;
BIP let staff "explore their own way of working"), beside their team's and the organisation's
figures.

Who sees it: the signed-in staff member, about themselves, and nobody else. No page, API route
or parameter shows another person's mirror (a leader neither), and nothing here ranks people.

What it counts (the same computations as the insights and the leader's dashboard):
- belief: the latest belief for each participant in follow-up, per current counselor, and the
  share of check-ins at 4-5 ("probably" or "yes, certainly") in each of the last four quarters,
  per counselor who recorded them;
- continuity: handovers received and given in the window (changes of counselor, the first
  assignment excepted) and the share of periods without a change (`followup.continuity`);
- days to the first employer contact and the active caseload (`insights.fidelity`);
- the follow-up periods that ended in the window, with a placement, in work or education at the
  end and six months after (`insights.outcomes.period_rows`).

Small cells: the one rule (core/smallcells.py) applies to every column, the person's own too.
The team's and the organisation's columns could give colleagues' figures away by subtraction
(the viewer knows their own), so a count is hidden there when what the group has beyond the
viewer's own (and the organisation beyond the team) is 1-4; and a whole column is hidden when
it would rest on exactly one colleague (it would be that colleague's mirror).

A fixed number of queries whatever the size of the organisation (about twenty).
"""

import datetime
import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import TruncQuarter
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samspill.core import smallcells
from samspill.core.db import replica_reads
from samspill.core.smallcells import Cell
from samspill.followup import continuity
from samspill.followup.dashboard import Window, quarters_back
from samspill.followup.models import Belief, BeliefCheckIn
from samspill.insights import fidelity, outcomes
from samspill.organisations.models import Membership, Organisation
from samspill.participants.models import WORK_OR_EDUCATION, CounselorAssignment, Participant

WINDOW_DAYS = 365
HIGH_BELIEF = 4  # 4-5: "probably" and "yes, certainly"
STEPS = [step for step, _label in Belief.choices]
QUARTERS = 4

# Within one column: a total and the parts that add up to it.
LINES: list[tuple[str, list[str]]] = [
    ("belief_total", [f"belief_{step}" for step in STEPS]),
    *[(f"q{i}_checkins", [f"q{i}_high", f"q{i}_low"]) for i in range(QUARTERS)],
    ("periods", ["without_change", "with_change"]),
    ("periods_30", ["contacted_30", "not_contacted_30"]),
    ("ended", ["with_placement", "without_placement"]),
    ("ended", ["woe_end", "not_woe_end"]),
    ("due_6", ["woe_6", "not_woe_6"]),
]
STANDALONE = ["caseload", "received", "given", "with_contact"]
KEYS = list(dict.fromkeys([*STANDALONE, *(k for total, parts in LINES for k in (total, *parts))]))


@dataclass
class Tally:
    """One counselor's counts (or a group's, added up) and days to first employer contact."""

    counts: Counter[str] = field(default_factory=Counter)
    days: list[int] = field(default_factory=list)

    def add(self, other: "Tally") -> None:
        self.counts.update(other.counts)
        self.days += other.days


@dataclass
class Column:
    """One column of the mirror: counts with the small cells hidden (None)."""

    key: str  # "mine", "team", "organisation"
    label: str
    cells: dict[str, Cell]
    days: list[int]
    counselors: int
    withheld: str = ""  # why the whole column is not shown

    def share(self, part: str, total: str) -> float | None:
        return smallcells.share(self.cells[part], self.cells[total])

    def per_counselor(self, key: str) -> float | None:
        n = self.cells[key]
        if n is None or self.withheld:
            return None
        if self.key == "mine":
            return float(n)
        return round(n / self.counselors, 1) if self.counselors else None

    def median_days(self) -> float | None:
        if self.withheld or self.cells["with_contact"] is None or not self.days:
            return None
        return float(statistics.median(self.days))

    @property
    def suppressed(self) -> bool:
        return bool(self.withheld) or None in self.cells.values()


def _quarter_index(windows: list[Window]) -> dict[datetime.date, int]:
    return {window.start: i for i, window in enumerate(windows)}


def counselor_tallies(
    organisation: Organisation, today: datetime.date, start: datetime.date
) -> dict[int, Tally]:
    """Every counselor's counts in the organisation (user id -> Tally)."""
    tallies: dict[int, Tally] = defaultdict(Tally)

    latest = (
        BeliefCheckIn.objects.filter(
            participant=OuterRef("pk"), period_id=OuterRef("active_period_id")
        )
        .order_by("-asked_on", "-id")
        .values("belief")[:1]
    )
    beliefs = (
        Participant.objects.filter(
            organisation=organisation, active_period__isnull=False, counselor__isnull=False
        )
        .annotate(latest_belief=Subquery(latest))
        .filter(latest_belief__isnull=False)
        .values("counselor_id", "latest_belief")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in beliefs:
        counts = tallies[row["counselor_id"]].counts
        counts[f"belief_{row['latest_belief']}"] += row["n"]
        counts["belief_total"] += row["n"]

    windows = quarters_back(today, QUARTERS)
    index = _quarter_index(windows)
    trend = (
        BeliefCheckIn.objects.filter(
            participant__organisation=organisation,
            asked_on__gte=windows[0].start,
            asked_on__lte=today,
        )
        .annotate(quarter=TruncQuarter("asked_on"))
        .values("counselor_id", "quarter")
        .annotate(n=Count("id"), high=Count("id", filter=Q(belief__gte=HIGH_BELIEF)))
        .order_by()
    )
    for row in trend:
        quarter = row["quarter"]
        if isinstance(quarter, datetime.datetime):
            quarter = quarter.date()
        i = index.get(quarter)
        if i is None:
            continue
        counts = tallies[row["counselor_id"]].counts
        counts[f"q{i}_checkins"] += row["n"]
        counts[f"q{i}_high"] += row["high"]
        counts[f"q{i}_low"] += row["n"] - row["high"]

    previous = (
        CounselorAssignment.objects.filter(
            period=OuterRef("period"), started_at__lt=OuterRef("started_at")
        )
        .order_by("-started_at", "-id")
        .values("counselor_id")[:1]
    )
    handovers = (
        CounselorAssignment.objects.filter(
            participant__organisation=organisation,
            started_at__date__gte=start,
            started_at__date__lte=today,
        )
        .exclude(reason=CounselorAssignment.Reason.INITIAL)
        .annotate(previous=Subquery(previous))
        .values("counselor_id", "previous")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in handovers:
        if row["previous"] == row["counselor_id"]:
            continue  # back to the same counselor: no handover between people
        tallies[row["counselor_id"]].counts["received"] += row["n"]
        if row["previous"] is not None:
            tallies[row["previous"]].counts["given"] += row["n"]

    for user_id, c in continuity.continuity_by_counselor(organisation.pk, start, today).items():
        counts = tallies[user_id].counts
        counts["periods"] += c.periods
        counts["without_change"] += c.without_change
        counts["with_change"] += c.periods - c.without_change

    for user_id, f in fidelity.counselor_tallies(organisation, today).items():
        tally = tallies[user_id]
        tally.counts["caseload"] += f.caseload
        tally.counts["with_contact"] += len(f.days_to_contact)
        tally.counts["periods_30"] += f.periods_30
        tally.counts["contacted_30"] += f.contacted_30
        tally.counts["not_contacted_30"] += f.periods_30 - f.contacted_30
        tally.days += f.days_to_contact

    for period in outcomes.period_rows(organisation, start, today, today):
        if period.counselor_id is None:
            continue
        counts = tallies[period.counselor_id].counts
        counts["ended"] += 1
        placed = period.groups["placement_kind"] != [outcomes.NONE]
        counts["with_placement" if placed else "without_placement"] += 1
        at_end = period.points["at_end"] in WORK_OR_EDUCATION
        counts["woe_end" if at_end else "not_woe_end"] += 1
        after = period.points.get("after_6")
        if after is not None:
            counts["due_6"] += 1
            counts["woe_6" if after in WORK_OR_EDUCATION else "not_woe_6"] += 1
    return dict(tallies)


def _sum(tallies: dict[int, Tally], ids: set[int]) -> Tally:
    total = Tally()
    for user_id in ids:
        total.add(tallies[user_id])
    return total


def _values(tally: Tally) -> dict[str, int]:
    return {key: tally.counts.get(key, 0) for key in KEYS}


def _column(
    key: str,
    label: str,
    tally: Tally,
    counselors: int,
    *,
    beyond: Sequence[Tally] = (),
    withheld: str = "",
) -> Column:
    values = _values(tally)
    if withheld:
        return Column(key, label, dict.fromkeys(KEYS), [], counselors, withheld)
    also_hide = {
        k
        for k in KEYS
        for smaller in beyond
        if smallcells.is_small(values[k] - smaller.counts.get(k, 0))
    }
    cells = smallcells.apply(values, LINES, also_hide)
    return Column(key, label, cells, tally.days, counselors)


def mirror(user: Any, membership: Membership, today: datetime.date) -> dict[str, Any]:
    """The mirror of `user` (always the signed-in person): their column, their team's (when
    they have one) and the organisation's."""
    start = today - datetime.timedelta(days=WINDOW_DAYS)
    organisation = membership.organisation
    with replica_reads():
        tallies = counselor_tallies(organisation, today, start)
        team_of = dict(
            Membership.objects.filter(organisation=organisation).values_list("user_id", "team_id")
        )
    me = user.pk
    mine = tallies.get(me, Tally())
    everyone = {uid for uid, t in tallies.items() if any(t.counts.values())}
    columns = [_column("mine", _("Me"), mine, 1)]
    team_shown = False
    team = Tally()
    if membership.team_id is not None:
        in_team = {uid for uid in everyone if team_of.get(uid) == membership.team_id}
        team = _sum(tallies, in_team | ({me} if me in tallies else set()))
        colleagues = in_team - {me}
        withheld = (
            _("Your team has one other counselor with participants: their figures would show.")
            if len(colleagues) == 1
            else ""
        )
        team_shown = not withheld
        columns.append(
            _column(
                "team",
                _("My team (%(team)s)") % {"team": membership.team.name if membership.team else ""},
                team,
                len(colleagues | {me}),
                beyond=[mine],
                withheld=withheld,
            )
        )
    others = everyone - {me}
    outside = (
        {uid for uid in everyone if team_of.get(uid) != membership.team_id} if team_shown else set()
    )
    withheld = ""
    if len(others) == 1 or len(outside) == 1:
        withheld = _("Too few counselors to show the organisation without showing one of them.")
    columns.append(
        _column(
            "organisation",
            _("The organisation"),
            _sum(tallies, everyone | ({me} if me in tallies else set())),
            len(everyone | {me}),
            beyond=[mine, team] if team_shown else [mine],
            withheld=withheld,
        )
    )
    return {
        "start": start,
        "end": today,
        "columns": columns,
        "quarters": quarters_back(today, QUARTERS),
        "suppressed": any(column.suppressed for column in columns),
    }


# The rows of the page and the API: (key, label, kind, arguments).
ROWS: list[tuple[str, Any, str, tuple[str, ...]]] = [
    ("caseload", gettext_lazy("Participants in follow-up"), "per_counselor", ("caseload",)),
    ("belief_total", gettext_lazy("With a belief check-in"), "per_counselor", ("belief_total",)),
    *[
        (f"belief_{step}", label, "share", (f"belief_{step}", "belief_total"))
        for step, label in Belief.choices
    ],
    ("received", gettext_lazy("Handovers received"), "per_counselor", ("received",)),
    ("given", gettext_lazy("Handovers given"), "per_counselor", ("given",)),
    (
        "without_change",
        gettext_lazy("Periods without a change of counselor"),
        "share",
        ("without_change", "periods"),
    ),
    (
        "median_days",
        gettext_lazy("Median days from start to first employer contact"),
        "days",
        ("with_contact",),
    ),
    (
        "contacted_30",
        gettext_lazy("First employer contact within 30 days"),
        "share",
        ("contacted_30", "periods_30"),
    ),
    ("ended", gettext_lazy("Follow-up periods ended"), "per_counselor", ("ended",)),
    (
        "with_placement",
        gettext_lazy("Ended periods with a placement"),
        "share",
        ("with_placement", "ended"),
    ),
    ("woe_end", gettext_lazy("In work or education at the end"), "share", ("woe_end", "ended")),
    (
        "woe_6",
        gettext_lazy("In work or education six months after"),
        "share",
        ("woe_6", "due_6"),
    ),
]
SECTIONS: list[tuple[Any, list[str]]] = [
    (
        gettext_lazy("Belief in my participants"),
        ["caseload", "belief_total", *(f"belief_{step}" for step in STEPS)],
    ),
    (gettext_lazy("Continuity"), ["received", "given", "without_change"]),
    (gettext_lazy("Employer contact"), ["median_days", "contacted_30"]),
    (
        gettext_lazy("Placements and outcomes"),
        ["ended", "with_placement", "woe_end", "woe_6"],
    ),
]


def figure(column: Column, kind: str, args: tuple[str, ...]) -> dict[str, Any]:
    """One figure of one column: its value (None: hidden or none), and for a share the count
    and the total it rests on."""
    shown = {"column": column.key, "withheld": bool(column.withheld)}
    return {**shown, **_figure(column, kind, args)}


def _figure(column: Column, kind: str, args: tuple[str, ...]) -> dict[str, Any]:
    if kind == "share":
        part, total = args
        return {
            "value": column.share(part, total),
            "n": column.cells[part],
            "of": column.cells[total],
        }
    if kind == "days":
        return {"value": column.median_days(), "n": column.cells[args[0]], "of": None}
    return {"value": column.per_counselor(args[0]), "n": column.cells[args[0]], "of": None}


def sections(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The figures grouped as the page shows them, with the belief trend by quarter."""
    rows = {key: (label, kind, args) for key, label, kind, args in ROWS}
    shown = []
    for title, keys in SECTIONS:
        shown.append(
            {
                "title": str(title),
                "rows": [
                    {
                        "key": key,
                        "label": str(rows[key][0]),
                        "kind": rows[key][1],
                        "figures": [
                            figure(c, rows[key][1], rows[key][2]) for c in result["columns"]
                        ],
                    }
                    for key in keys
                ],
            }
        )
    trend = {
        "title": _("Belief over the last four quarters: check-ins at 4 or 5"),
        "rows": [
            {
                "key": f"q{i}",
                "label": f"{window.start.isoformat()} – {window.end.isoformat()}",
                "start": window.start,
                "end": window.end,
                "kind": "share",
                "figures": [
                    figure(c, "share", (f"q{i}_high", f"q{i}_checkins")) for c in result["columns"]
                ],
            }
            for i, window in enumerate(result["quarters"])
        ],
    }
    shown.insert(1, trend)
    return shown
