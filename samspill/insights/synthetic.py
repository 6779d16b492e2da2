"""A synthetic cohort with known effects, written as an interchange folder: the test of the
effects analysis and its benchmark import it and check the estimates against the truth.

Each participant has one follow-up period. The counselor checks belief every eight weeks; the
chance of believing depends on the need group (so leaving the need group out would bias the
estimate: adjustment matters). Counselors change now and then. The hazard of reaching work,
education or an apprenticeship is h0 * exp(b_belief * believes(t) + b_change * changes(t) +
need effect + b_age * (age - 40)), simulated exactly piece by piece.
"""

import csv
import datetime
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from django.utils import timezone

from samspill.accounts.models import User
from samspill.followup.services import checkin_record
from samspill.organisations.models import Membership, Organisation, Team
from samspill.participants import services
from samspill.participants.models import CounselorAssignment

NEED_GROUPS = [
    "good_prospects",
    "needs_guidance",
    "reduced_capacity",
    "partial_work",
    "little_prospect",
]
NEED_SHARE = [0.25, 0.3, 0.2, 0.15, 0.1]
NEED_EFFECT = [0.0, -0.3, -0.7, -1.0, -1.4]  # log hazard ratios against good prospects
BELIEF_CHANCE = [0.8, 0.6, 0.4, 0.3, 0.2]  # chance a check-in believes (4-5), by need group
CHECKIN_DAYS = 56
FIRST_CHECKIN = 28
CHANGE_RATE = 1 / 500  # counselor changes per day
BASE_HAZARD = 1 / 400  # per day
AGE_EFFECT = -0.01  # per year
LONGEST = 730  # days of follow-up at most


@dataclass
class Truth:
    hazard_ratio_belief: float = 1.33
    hazard_ratio_change: float = 0.78


@dataclass
class Cohort:
    organisation_key: str
    staff: list[str] = field(default_factory=list)
    participants: list[tuple[str, str, str]] = field(default_factory=list)  # key, birth, need
    periods: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    assignments: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    checkins: list[tuple[str, str, str, int]] = field(default_factory=list)
    outcomes: list[tuple[str, str, str]] = field(default_factory=list)


def simulate(
    n: int, *, seed: int = 7, today: datetime.date, truth: Truth | None = None, staff: int = 40
) -> Cohort:
    truth = truth or Truth()
    rng = np.random.default_rng(seed)
    b_belief, b_change = math.log(truth.hazard_ratio_belief), math.log(truth.hazard_ratio_change)
    cohort = Cohort(organisation_key="SYN")
    cohort.staff = [f"S{s}" for s in range(staff)]
    needs = rng.choice(len(NEED_GROUPS), size=n, p=NEED_SHARE)
    ages = rng.uniform(18, 60, size=n)
    starts = rng.integers(0, 3 * 365, size=n)
    for i in range(n):
        key, period = f"P{i}", f"F{i}"
        g = int(needs[i])
        start = today - datetime.timedelta(days=int(starts[i]) + 30)
        birth = start - datetime.timedelta(days=int(ages[i] * 365.25))
        horizon = min(LONGEST, (today - start).days)
        base = math.log(BASE_HAZARD) + NEED_EFFECT[g] + AGE_EFFECT * (ages[i] - 40)
        # Change points: check-ins (belief drawn at each) and counselor changes.
        points: list[tuple[int, str, int]] = [
            (day, "belief", int(rng.random() < BELIEF_CHANCE[g]))
            for day in range(FIRST_CHECKIN, horizon, CHECKIN_DAYS)
        ]
        day = 0.0
        while (day := day + rng.exponential(1 / CHANGE_RATE)) < horizon:
            points.append((int(day) + 1, "change", 1))
        points.sort()
        believes, changes, at, event_day = 0, 0, 0.0, None
        for when, what, value in [*points, (horizon, "end", 0)]:
            rate = math.exp(base + b_belief * believes + b_change * changes)
            wait = rng.exponential(1 / rate)
            if at + wait < when:
                event_day = int(at + wait)
                break
            at = float(when)
            if what == "belief":
                believes = value
            elif what == "change":
                changes += 1
        counselor = int(rng.integers(staff))
        assignments_at = [0] + [
            p[0] for p in points if p[1] == "change" and (event_day is None or p[0] <= event_day)
        ]
        end = start + datetime.timedelta(days=event_day) if event_day is not None else None
        if end is None and horizon >= LONGEST:
            end = start + datetime.timedelta(days=LONGEST)
        cohort.participants.append((key, birth.isoformat(), NEED_GROUPS[g]))
        cohort.periods.append(
            (
                period,
                key,
                start.isoformat(),
                end.isoformat() if end else "",
                "ordinary_work" if event_day is not None else ("moved_other" if end else ""),
            )
        )
        for index, offset in enumerate(assignments_at):
            began = start + datetime.timedelta(days=offset)
            nxt = assignments_at[index + 1] if index + 1 < len(assignments_at) else None
            ended = start + datetime.timedelta(days=nxt) if nxt is not None else end
            cohort.assignments.append(
                (
                    period,
                    cohort.staff[(counselor + index) % staff],
                    began.isoformat(),
                    ended.isoformat() if ended else "",
                    "initial" if index == 0 else "other",
                )
            )
        for when, what, value in points:
            if what == "belief" and (event_day is None or when <= event_day):
                asked = start + datetime.timedelta(days=when)
                cohort.checkins.append(
                    (period, cohort.staff[counselor], asked.isoformat(), 4 if value else 2)
                )
        if event_day is not None:
            cohort.outcomes.append((period, end.isoformat() if end else "", "ordinary_work"))
    return cohort


def frames(cohort: Cohort) -> tuple[Any, Any, Any, Any]:
    """The cohort as the frames `effects.lay_out` reads from the database (periods, first
    outcomes, check-ins, counselor changes), for fitting many cohorts without a database."""
    import pandas as pd

    epoch = datetime.date(1970, 1, 1)

    def days(value: str) -> float:
        return float((datetime.date.fromisoformat(value) - epoch).days) if value else math.nan

    ids = {key: n for n, (key, *_rest) in enumerate(cohort.periods)}
    births = {key: (birth, need) for key, birth, need in cohort.participants}
    periods = pd.DataFrame(
        [
            (ids[key], n, days(start), days(end), days(births[p][0]), births[p][1])
            for n, (key, p, start, end, _reason) in enumerate(cohort.periods)
        ],
        columns=["period", "participant", "start", "end", "birth", "need"],
    )
    first = pd.DataFrame(
        [(ids[key], days(day)) for key, day, _outcome in cohort.outcomes],
        columns=["period", "first"],
    )
    checkins = pd.DataFrame(
        [
            (ids[key], days(day), belief, n)
            for n, (key, _who, day, belief) in enumerate(cohort.checkins)
        ],
        columns=["period", "on", "belief", "seq"],
    )
    # A period's first assignment is not a change (they are listed in order).
    changes = pd.DataFrame(
        [
            (ids[key], days(began), n)
            for n, (key, _who, began, _ended, reason) in enumerate(cohort.assignments)
            if reason != "initial"
        ],
        columns=["period", "on", "seq"],
    )
    return periods, first, checkins, changes


def write_interchange(cohort: Cohort, directory: Path, version: int = 2) -> Path:
    """The cohort as an interchange folder (docs/interchange.md), ready for `samspill import`.
    `version=1` writes a folder as from before statuses after follow-up existed (its codes are
    then the caller's to keep within format 1's)."""
    directory.mkdir(parents=True, exist_ok=True)
    org = cohort.organisation_key
    files: dict[str, tuple[list[str], Sequence[tuple[object, ...]]]] = {
        "organisations.csv": (
            ["org_key", "name", "kind"],
            [(org, "Syntetisk AS", "inclusion_company")],
        ),
        "staff.csv": (
            ["staff_key", "org_key", "team", "name", "email", "role"],
            [
                (s, org, "Team", f"Veileder {s}", f"{s.lower()}@syntetisk.example", "counselor")
                for s in cohort.staff
            ],
        ),
        "participants.csv": (
            [
                "participant_key",
                "org_key",
                "given_name",
                "family_name",
                "birth_date",
                "national_id",
                "need_group",
            ],
            [
                (key, org, "Deltaker", key, birth, "", need)
                for key, birth, need in cohort.participants
            ],
        ),
        "followup_periods.csv": (
            ["period_key", "participant_key", "start_date", "end_date", "end_reason"],
            cohort.periods,
        ),
        "assignments.csv": (
            ["period_key", "staff_key", "start_date", "end_date", "reason"],
            cohort.assignments,
        ),
        "belief_checkins.csv": (
            ["period_key", "staff_key", "date", "belief", "self_belief"],
            [(*row, "") for row in cohort.checkins],
        ),
        "outcomes.csv": (["period_key", "date", "outcome"], cohort.outcomes),
        "employers.csv": (["employer_key", "org_number", "name", "nace"], []),
        "activities.csv": (["period_key", "staff_key", "date", "kind", "employer_key"], []),
        "placements.csv": (
            [
                "placement_key",
                "period_key",
                "employer_key",
                "kind",
                "start_date",
                "end_date",
                "outcome",
            ],
            [],
        ),
        "referrals.csv": (
            [
                "referral_key",
                "org_key",
                "date",
                "source",
                "need_group",
                "participant_key",
                "outcome",
            ],
            [],
        ),
    }
    for name, (header, rows) in files.items():
        with (directory / name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
    (directory / "interchange.json").write_text(
        json.dumps({"format": "samspill-interchange", "version": version}), encoding="utf-8"
    )
    return directory


def record(cohort: Cohort, *, organisation: Organisation, team: Team, email_domain: str) -> None:
    """Record the cohort in `organisation` through the services, as counselors would: each
    participant created with their first counselor, counselor changes, belief check-ins and
    the end of the period with its outcome, in the order they happened. The staff become
    counselors of `team` (e-mail addresses at `email_domain`)."""
    staff = {}
    for key in cohort.staff:
        user = User.objects.create_user(
            email=f"{key.lower()}@{email_domain}", password=None, full_name=f"Veileder {key}"
        )
        Membership.objects.create(
            user=user, organisation=organisation, role=Membership.Role.COUNSELOR, team=team
        )
        staff[key] = user
    by_period: dict[str, list[tuple[str, int, tuple[Any, ...]]]] = {}
    for assignment in cohort.assignments:
        by_period.setdefault(assignment[0], []).append((assignment[2], 1, assignment))
    for checkin in cohort.checkins:
        by_period.setdefault(checkin[0], []).append((checkin[2], 0, checkin))
    outcome_of = {period: outcome for period, _day, outcome in cohort.outcomes}
    people = {key: (birth, need) for key, birth, need in cohort.participants}
    zone = timezone.get_current_timezone()
    for period_key, participant_key, start, end, end_reason in cohort.periods:
        birth, need = people[participant_key]
        events = sorted(by_period.get(period_key, []), key=lambda e: (e[0], e[1]))
        first = next(row for _day, kind, row in events if kind == 1)
        participant = services.participant_create(
            organisation=organisation,
            by=staff[first[1]],
            counselor=staff[first[1]],
            start_date=datetime.date.fromisoformat(start),
            given_name="Deltaker",
            family_name=participant_key,
            birth_date=datetime.date.fromisoformat(birth),
            need_group=need,
            external_key=participant_key,
        )
        for day, kind, row in events:
            when = datetime.date.fromisoformat(day)
            if kind == 0:
                checkin_record(
                    participant=participant, by=staff[row[1]], belief=int(row[3]), asked_on=when
                )
            elif row is not first:
                services.counselor_assign(
                    participant=participant,
                    counselor=staff[row[1]],
                    by=staff[row[1]],
                    reason=CounselorAssignment.Reason.OTHER,
                    reason_text="Synthetic change.",
                    started_at=datetime.datetime.combine(when, datetime.time(8), tzinfo=zone),
                )
        if end:
            services.period_end(
                participant=participant,
                by=staff[first[1]],
                end_date=datetime.date.fromisoformat(end),
                outcome=outcome_of.get(period_key) or end_reason,
            )
