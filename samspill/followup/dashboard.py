"""The leader's follow-up dashboard: continuity over time and belief per team.

Team-level and organisation-level figures only for belief (never per counselor: belief is for
reflection, not for ranking people). Continuity is shown per counselor sorted by name, as the
research asks continuity to be visible for each person, team and office.

Counts of 1-4 participants or periods are hidden by the one rule (core/smallcells.py), with the
figures that rest on them; counselors add up to their team and teams to the organisation, so a
hidden count cannot be worked out from those either.
"""

import datetime
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from django.db.models import Count, OuterRef, Subquery

from samspill.core import smallcells
from samspill.core.smallcells import Cell
from samspill.followup import continuity
from samspill.followup.models import Belief, BeliefCheckIn
from samspill.organisations.models import Membership
from samspill.organisations.queries import teams_for_organisation
from samspill.participants.models import Participant

QUARTERS = 4


@dataclass(frozen=True)
class Window:
    start: datetime.date
    end: datetime.date


def quarters_back(today: datetime.date, count: int = QUARTERS) -> list[Window]:
    """The last `count` calendar quarters, the current (partial) one last."""
    windows = []
    year, quarter = today.year, (today.month - 1) // 3
    for _ in range(count):
        start = datetime.date(year, quarter * 3 + 1, 1)
        next_start = datetime.date(year + (quarter == 3), (quarter + 1) % 4 * 3 + 1, 1)
        windows.append(Window(start, min(today, next_start - datetime.timedelta(days=1))))
        year, quarter = (year - 1, 3) if quarter == 0 else (year, quarter - 1)
    return list(reversed(windows))


@dataclass(frozen=True)
class Figures:
    """Continuity as shown: a hidden count is None, and so is a figure that rests on it."""

    periods: Cell
    without_change: Cell
    changes: Cell
    participant_years: float | None
    share_without_change: float | None
    changes_per_100_years: float | None
    suppressed: bool


COUNTS = ("periods", "without_change", "with_change", "changes")
K = TypeVar("K", bound=Hashable)


def _counts(c: continuity.Continuity) -> dict[str, int]:
    return {
        "periods": c.periods,
        "without_change": c.without_change,
        "with_change": c.periods - c.without_change,
        "changes": c.changes,
    }


def _figures(c: continuity.Continuity, shown: dict[str, Cell]) -> Figures:
    periods = shown["periods"]
    return Figures(
        periods=periods,
        without_change=shown["without_change"],
        changes=shown["changes"],
        participant_years=c.participant_years if periods is not None else None,
        share_without_change=smallcells.share(shown["without_change"], periods),
        changes_per_100_years=(
            c.changes_per_100_years
            if periods is not None and shown["changes"] is not None
            else None
        ),
        suppressed=None in shown.values(),
    )


def shown(
    figures: dict[K, continuity.Continuity], sums: Sequence[tuple[K, list[K]]] = ()
) -> dict[K, Figures]:
    """`figures` with the small cells hidden: within each (periods = with + without a change),
    and across `sums` (a total and the parts that add up to it)."""
    values = {(k, key): n for k, c in figures.items() for key, n in _counts(c).items()}
    lines = [((k, "periods"), [(k, "without_change"), (k, "with_change")]) for k in figures]
    lines += [((total, key), [(p, key) for p in parts]) for total, parts in sums for key in COUNTS]
    cells = smallcells.apply(values, lines)
    return {k: _figures(c, {key: cells[(k, key)] for key in COUNTS}) for k, c in figures.items()}


def continuity_over_time(
    organisation_id: int, today: datetime.date
) -> list[tuple[Window, Figures]]:
    windows = quarters_back(today)
    figures = shown(
        {
            window: continuity.organisation_continuity(organisation_id, window.start, window.end)
            for window in windows
        }
    )
    return [(window, figures[window]) for window in windows]


def continuity_by_team_and_counselor(
    organisation_id: int, start: datetime.date, end: datetime.date
) -> dict[str, Any]:
    """Figures for the organisation, per counselor (by name) and per team, with the median
    months with the same counselor: one aggregate, two grouped queries, three median queries
    and the staff list.

    Keys: organisation (figures, median); counselors (rows of name, team name, figures,
    median); teams (rows of name, figures, median).
    """
    whole = continuity.organisation_continuity(organisation_id, start, end)
    median_whole = continuity.median_months_with_same_counselor(organisation_id, start, end)
    per_counselor = continuity.continuity_by_counselor(organisation_id, start, end)
    median_counselor = continuity.median_months_by(organisation_id, start, end, group="counselor")
    median_team = continuity.median_months_by(organisation_id, start, end, group="team")
    # A counselor who handed all their periods on still followed participants in the window.
    for user_id in median_counselor:
        if user_id is not None and user_id not in per_counselor:
            per_counselor[user_id] = continuity.Continuity(0, 0, 0, 0.0)
    staff = Membership.objects.filter(
        organisation_id=organisation_id, user_id__in=list(per_counselor)
    ).select_related("user", "team")
    team_of = {m.user_id: m.team.name if m.team else "" for m in staff}
    team_id_of_name = {m.team.name if m.team else "": m.team_id for m in staff}
    names = {m.user_id: m.user.full_name for m in staff}
    teams: dict[str, list[int]] = {}
    for user_id in per_counselor:
        teams.setdefault(team_of.get(user_id, ""), []).append(user_id)
    figures = shown(
        {
            ("organisation", ""): whole,
            **{
                ("team", name): continuity.combine([per_counselor[u] for u in ids])
                for name, ids in teams.items()
            },
            **{("counselor", uid): c for uid, c in per_counselor.items()},
        },
        [(("team", name), [("counselor", uid) for uid in ids]) for name, ids in teams.items()]
        + [(("organisation", ""), [("team", name) for name in teams])],
    )
    organisation = figures[("organisation", "")]
    return {
        "organisation": (organisation, median_whole),
        "counselors": sorted(
            (
                (
                    names.get(uid, "?"),
                    team_of.get(uid, ""),
                    figures[("counselor", uid)],
                    median_counselor.get(uid),
                )
                for uid in per_counselor
            ),
            key=lambda row: row[0],
        ),
        "teams": sorted(
            (
                (
                    name,
                    figures[("team", name)],
                    median_team.get(team_id_of_name.get(name)),
                )
                for name in teams
            ),
            key=lambda row: row[0],
        ),
    }


@dataclass(frozen=True)
class BeliefRow:
    """One team's latest beliefs: participants per step (1-5) and in all, small counts hidden
    (None) with a second step wherever the total would give one away."""

    team: str
    counts: dict[int, Cell]
    total: Cell

    @property
    def suppressed(self) -> bool:
        return self.total is None or None in self.counts.values()

    def shares(self) -> list[tuple[int, str, Cell, float | None]]:
        """(step, label, count, share from 0 to 1) for each step."""
        return [
            (
                step,
                str(label),
                self.counts.get(step, 0),
                smallcells.share(self.counts.get(step, 0), self.total, 4),
            )
            for step, label in Belief.choices
        ]


def belief_by_team(
    organisation_id: int, *, question: Literal["belief", "market_belief"] = "belief"
) -> list[BeliefRow]:
    """The latest belief for each participant in follow-up, counted per team, every team of
    the organisation included (two queries). `question` picks the belief in the job seeker or
    the (optional) belief in the labour market: the latest check-in that answered it."""
    latest = (
        BeliefCheckIn.objects.filter(
            participant=OuterRef("pk"),
            period_id=OuterRef("active_period_id"),
            **{f"{question}__isnull": False},
        )
        .order_by("-asked_on", "-id")
        .values(question)[:1]
    )
    rows = (
        Participant.objects.filter(organisation_id=organisation_id, active_period__isnull=False)
        .annotate(latest_belief=Subquery(latest))
        .filter(latest_belief__isnull=False)
        .values("team__name", "latest_belief")
        .annotate(n=Count("id"))
        .order_by()
    )
    # Every team, so that one whose participants have no check-in yet shows as such.
    teams: dict[str, dict[int, int]] = {
        team.name: {} for team in teams_for_organisation(organisation_id)
    }
    for row in rows:
        teams.setdefault(row["team__name"] or "", {})[row["latest_belief"]] = row["n"]
    shown = []
    for name, counts in sorted(teams.items()):
        values: dict[int | str, int] = {"total": sum(counts.values())}
        for step, n in counts.items():
            values[step] = n
        steps: list[int | str] = list(counts)
        cells = smallcells.apply(values, [("total", steps)])
        shown.append(
            BeliefRow(
                team=name,
                counts={step: cells[step] for step in counts},
                total=cells["total"],
            )
        )
    return shown
