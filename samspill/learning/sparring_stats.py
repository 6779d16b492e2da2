"""Does sparring help? (issue 20, item 7) For lost beliefs, the share whose belief recovered
at the next check-ins, with and without sparring, per team and for the organisation.

Definitions (shown on the page too):
- a *lost belief* is the first check-in in a follow-up period that asks for sparring by the
  check-in's own rule (`followup.services.belief_suggests_sparring`: a fall to "probably not" or
  "no", or a fall of two steps or more);
- it *recovered* when one of the next two check-ins in the same period answers 4 or 5
  ("probably", "yes, certainly": the same line the effects estimate draws); a lost belief with
  no later check-in yet is left out (it is not known);
- a lost belief counts for the team of the counselor who recorded it;
- *with sparring*: a sparring case about the participant was asked from the day of the lost
  belief until the next check-in (or one linked to that check-in).

It is observational: counselors choose when to ask, so the two groups differ in more than
sparring. Counts follow the small-cells rule (core/smallcells.py); a share and its interval
are hidden with a hidden count. The interval is Wilson's score interval at 95 %.
"""

import datetime
import math
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils import timezone

from samspill.core import smallcells
from samspill.followup.models import BeliefCheckIn
from samspill.followup.services import belief_suggests_sparring
from samspill.learning.models import SparringCase
from samspill.organisations.models import Membership, Team

RECOVERED_AT = 4  # "probably" or "yes, certainly"
NEXT_CHECKINS = 2
Z95 = 1.959964


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson's score interval for a share `successes / n` (n > 0)."""
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class Arm:
    """Lost beliefs with (or without) sparring in one team or the organisation."""

    n: smallcells.Cell
    recovered: smallcells.Cell

    @property
    def share(self) -> float | None:
        return smallcells.share(self.recovered, self.n)

    @property
    def interval(self) -> tuple[float, float] | None:
        if self.recovered is None or not self.n:
            return None
        return wilson(self.recovered, self.n)

    @property
    def suppressed(self) -> bool:
        return self.n is None or self.recovered is None


@dataclass(frozen=True)
class Row:
    name: str
    with_sparring: Arm
    without: Arm


@dataclass(frozen=True)
class Effect:
    teams: list[Row]
    organisation: Row
    pending: smallcells.Cell  # lost beliefs with no later check-in yet

    @property
    def suppressed(self) -> bool:
        rows = [*self.teams, self.organisation]
        return self.pending is None or any(
            arm.suppressed for row in rows for arm in (row.with_sparring, row.without)
        )


@dataclass(frozen=True)
class Episode:
    team_id: int | None
    sparring: bool
    recovered: bool | None  # None: no later check-in yet


def _episodes(organisation_id: int) -> Iterator[Episode]:
    rows = (
        BeliefCheckIn.objects.filter(participant__organisation_id=organisation_id)
        .order_by("period_id", "asked_on", "id")
        .values_list("id", "period_id", "participant_id", "counselor_id", "asked_on", "belief")
    )
    # A lost belief counts for the team of the counselor who recorded it (a participant whose
    # follow-up ended is in no team any more).
    teams = dict(
        Membership.objects.filter(organisation_id=organisation_id).values_list("user_id", "team_id")
    )
    cases = SparringCase.objects.filter(
        organisation_id=organisation_id, participant__isnull=False
    ).values_list("participant_id", "checkin_id", "created_at")
    asked_on: dict[int, list[datetime.date]] = defaultdict(list)
    linked: set[int] = set()
    for case_participant, case_checkin, created_at in cases:
        asked_on[case_participant].append(timezone.localdate(created_at))
        if case_checkin:
            linked.add(case_checkin)
    by_period: dict[int, list[tuple[int, int, int | None, datetime.date, int]]] = defaultdict(list)
    for row in rows:
        by_period[row[1]].append((row[0], row[2], teams.get(row[3]), row[4], row[5]))
    for period in by_period.values():
        for index, (checkin_id, participant_id, team_id, day, belief) in enumerate(period):
            previous = period[index - 1][4] if index else None
            if not belief_suggests_sparring(belief=belief, previous_belief=previous):
                continue
            later = period[index + 1 : index + 1 + NEXT_CHECKINS]
            until = later[0][3] if later else None
            sparring = checkin_id in linked or any(
                day <= asked and (until is None or asked < until)
                for asked in asked_on.get(participant_id, ())
            )
            recovered = any(row[4] >= RECOVERED_AT for row in later) if later else None
            yield Episode(team_id=team_id, sparring=sparring, recovered=recovered)
            break  # the first lost belief in the period


def _arm_table(counts: dict[int | None, list[int]], keys: list[int | None]) -> smallcells.Table:
    """Rows: teams; columns: recovered, not recovered; totals: the organisation."""
    return smallcells.table([counts.get(key, [0, 0]) for key in keys], 2)


def _arm(table: smallcells.Table, index: int | None) -> Arm:
    if index is None:
        return Arm(n=table.total, recovered=table.column_totals[0])
    return Arm(n=table.row_totals[index], recovered=table.cells[index][0])


def sparring_effect(organisation_id: int) -> Effect:
    """Lost beliefs recovered, with and without sparring, per team and in all (four queries:
    check-ins, cases, memberships, teams)."""
    counts: dict[bool, dict[int | None, list[int]]] = {True: {}, False: {}}
    pending = 0
    for episode in _episodes(organisation_id):
        if episode.recovered is None:
            pending += 1
            continue
        cell = counts[episode.sparring].setdefault(episode.team_id, [0, 0])
        cell[0 if episode.recovered else 1] += 1
    teams = list(Team.objects.filter(organisation_id=organisation_id).order_by("name"))
    keys: list[int | None] = [team.pk for team in teams]
    names = [team.name for team in teams]
    if any(None in arm for arm in counts.values()):
        keys.append(None)
        names.append("")
    tables = {arm: _arm_table(counts[arm], keys) for arm in (True, False)}
    return Effect(
        teams=[
            Row(name, _arm(tables[True], i), _arm(tables[False], i)) for i, name in enumerate(names)
        ],
        organisation=Row("", _arm(tables[True], None), _arm(tables[False], None)),
        pending=smallcells.count(pending),
    )
