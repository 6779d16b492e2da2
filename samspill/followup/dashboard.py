"""The leader's follow-up dashboard: continuity over time and belief per team.

Team-level and organisation-level figures only for belief (never per counselor: belief is for
reflection, not for ranking people). Continuity is shown per counselor sorted by name, as the
research asks continuity to be visible for each person, team and office.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Subquery

from samspill.followup import continuity
from samspill.followup.models import Belief, BeliefCheckIn
from samspill.organisations.models import Membership
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


def continuity_over_time(
    organisation_id: int, today: datetime.date
) -> list[tuple[Window, continuity.Continuity]]:
    return [
        (window, continuity.organisation_continuity(organisation_id, window.start, window.end))
        for window in quarters_back(today)
    ]


def continuity_by_team_and_counselor(
    organisation_id: int, start: datetime.date, end: datetime.date
) -> dict[str, Any]:
    """Figures per counselor (by name) and per team, with the median months with the same
    counselor: two grouped queries, two median queries and the staff list.

    Rows: counselors (name, team name, figures, median months); teams (name, figures, median).
    """
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
    teams: dict[str, list[continuity.Continuity]] = {}
    for user_id, figures in per_counselor.items():
        teams.setdefault(team_of.get(user_id, ""), []).append(figures)
    return {
        "counselors": sorted(
            (
                (names.get(uid, "?"), team_of.get(uid, ""), figures, median_counselor.get(uid))
                for uid, figures in per_counselor.items()
            ),
            key=lambda row: row[0],
        ),
        "teams": sorted(
            (
                (name, continuity.combine(parts), median_team.get(team_id_of_name.get(name)))
                for name, parts in teams.items()
            ),
            key=lambda row: row[0],
        ),
    }


@dataclass(frozen=True)
class BeliefRow:
    team: str
    counts: dict[int, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def shares(self) -> list[tuple[int, str, int, float]]:
        total = self.total or 1
        return [
            (step, str(label), self.counts.get(step, 0), 100 * self.counts.get(step, 0) / total)
            for step, label in Belief.choices
        ]


def belief_by_team(organisation_id: int) -> list[BeliefRow]:
    """The latest belief for each participant in follow-up, counted per team (one query)."""
    latest = (
        BeliefCheckIn.objects.filter(
            participant=OuterRef("pk"), period_id=OuterRef("active_period_id")
        )
        .order_by("-asked_on", "-id")
        .values("belief")[:1]
    )
    rows = (
        Participant.objects.filter(organisation_id=organisation_id, active_period__isnull=False)
        .annotate(latest_belief=Subquery(latest))
        .filter(latest_belief__isnull=False)
        .values("team__name", "latest_belief")
        .annotate(n=Count("id"))
        .order_by()
    )
    teams: dict[str, dict[int, int]] = {}
    for row in rows:
        teams.setdefault(row["team__name"] or "", {})[row["latest_belief"]] = row["n"]
    return [BeliefRow(team=name, counts=counts) for name, counts in sorted(teams.items())]
