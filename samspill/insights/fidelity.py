"""How close practice is to what the evidence says (the IPS fidelity principles), per
counselor, team and organisation, on a date:

- active caseload per counselor (IPS: at most 20);
- days from the start of a follow-up period to the first employer contact (median, and the
  share within 30 days), for periods started in the year up to the date;
- follow-along after an ordinary job starts: the share of jobs with at least one contact in
  each of the first four weeks, for jobs started in the year up to four weeks before the date.

Each period and job is counted for the counselor who followed the participant when it started.
Counts of 1-4 (and the figures that rest on them) are hidden by the one rule, core/smallcells.py.
"""

import datetime
import statistics
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone

from samspill.core import smallcells
from samspill.core.smallcells import Cell
from samspill.organisations.models import Membership, Organisation
from samspill.participants.models import CounselorAssignment, FollowUpPeriod
from samspill.placements.models import FollowUp, Placement
from samspill.plans.models import Activity

IPS_CASELOAD = 20
FIRST_CONTACT_DAYS = 30
FOLLOW_ALONG_WEEKS = 4
CONTACT_KINDS = (Activity.Kind.EMPLOYER_CONTACT, Activity.Kind.FOLLOW_UP, Activity.Kind.MEETING)


@dataclass
class Tally:
    caseload: int = 0
    days_to_contact: list[int] = field(default_factory=list)
    periods_30: int = 0  # periods started at least 30 days before the date
    contacted_30: int = 0
    jobs: int = 0
    jobs_followed: int = 0

    def add(self, other: "Tally") -> None:
        self.caseload += other.caseload
        self.days_to_contact += other.days_to_contact
        self.periods_30 += other.periods_30
        self.contacted_30 += other.contacted_30
        self.jobs += other.jobs
        self.jobs_followed += other.jobs_followed

    def counts(self) -> dict[str, int]:
        """The counts of people (participants, periods, jobs) its figures rest on."""
        return {
            "caseload": self.caseload,
            "with_contact": len(self.days_to_contact),
            "periods_30": self.periods_30,
            "contacted_30": self.contacted_30,
            "not_contacted_30": self.periods_30 - self.contacted_30,
            "jobs": self.jobs,
            "jobs_followed": self.jobs_followed,
            "jobs_not_followed": self.jobs - self.jobs_followed,
        }

    def report(self, shown: dict[str, Cell], counselors: int = 1) -> dict[str, Any]:
        """The figures; `shown` is `counts()` with the small cells hidden (None): a figure
        that rests on a hidden count is hidden too."""
        return {
            "active_caseload": shown["caseload"] if counselors == 1 else None,
            "mean_caseload": (
                round(self.caseload / counselors, 1)
                if counselors and shown["caseload"] is not None
                else None
            ),
            "within_ips_caseload": self.caseload <= IPS_CASELOAD if counselors == 1 else None,
            "median_days_to_first_employer_contact": (
                statistics.median(self.days_to_contact)
                if self.days_to_contact and shown["with_contact"] is not None
                else None
            ),
            "periods_with_employer_contact": shown["with_contact"],
            "share_first_contact_within_30_days": smallcells.share(
                shown["contacted_30"], shown["periods_30"]
            ),
            "periods_started_30_days_before": shown["periods_30"],
            "ordinary_jobs": shown["jobs"],
            "share_jobs_followed_weekly": smallcells.share(shown["jobs_followed"], shown["jobs"]),
            "suppressed": None in shown.values(),
        }


# Within one counselor, team or organisation: the parts that add up to a count.
WITHIN = [
    ("periods_30", ["contacted_30", "not_contacted_30"]),
    ("jobs", ["jobs_followed", "jobs_not_followed"]),
]


def _hidden(
    counselors: dict[int, Tally], team_of: dict[int, str], teams: dict[str, Tally], total: Tally
) -> dict[tuple[object, ...], Cell]:
    """The counts of every counselor, team and the organisation with the small cells hidden by
    the one rule (core/smallcells.py): counselors add up to their team, teams to the
    organisation, so no count can be worked out from the others."""
    entities: dict[tuple[object, ...], Tally] = {
        **{("counselor", uid): tally for uid, tally in counselors.items()},
        **{("team", name): tally for name, tally in teams.items()},
        ("organisation",): total,
    }
    values = {
        (*entity, key): n for entity, tally in entities.items() for key, n in tally.counts().items()
    }
    lines = [
        ((*entity, whole), [(*entity, part) for part in parts])
        for entity in entities
        for whole, parts in WITHIN
    ]
    for key in Tally().counts():
        for name in teams:
            members = [uid for uid in counselors if team_of[uid] == name]
            lines.append((("team", name, key), [("counselor", uid, key) for uid in members]))
        lines.append((("organisation", key), [("team", name, key) for name in teams]))
    return smallcells.apply(values, lines)


def _end_of(day: datetime.date) -> datetime.datetime:
    start = datetime.datetime.combine(day, datetime.time.min)
    return timezone.make_aware(start) + datetime.timedelta(days=1)


class _Counselors:
    """Who followed each participant when: the assignment history as sorted start times."""

    def __init__(self, participant_ids: set[int]) -> None:
        self.history: dict[int, list[tuple[datetime.datetime, int]]] = defaultdict(list)
        rows = (
            CounselorAssignment.objects.filter(participant_id__in=participant_ids)
            .order_by("participant_id", "started_at")
            .values_list("participant_id", "started_at", "counselor_id")
        )
        for pid, started, counselor in rows.iterator(chunk_size=10_000):
            self.history[pid].append((started, counselor))

    def on(self, participant_id: int, day: datetime.date) -> int | None:
        history = self.history.get(participant_id, [])
        index = bisect_right([started for started, _c in history], _end_of(day)) - 1
        return history[index][1] if index >= 0 else None


def counselor_tallies(organisation: Organisation, on: datetime.date) -> dict[int, Tally]:
    """The raw counts per counselor (user id) on `on`, before any small cell is hidden: six
    queries, however many people."""
    end_of_day = _end_of(on)
    tallies: dict[int, Tally] = defaultdict(Tally)

    active = CounselorAssignment.objects.filter(
        participant__organisation=organisation, started_at__lt=end_of_day
    ).filter(Q(ended_at__isnull=True) | Q(ended_at__gte=end_of_day))
    for counselor_id in active.values_list("counselor_id", flat=True).iterator(chunk_size=10_000):
        tallies[counselor_id].caseload += 1

    year_ago = on - datetime.timedelta(days=365)
    periods = list(
        FollowUpPeriod.objects.filter(
            participant__organisation=organisation, start_date__gt=year_ago, start_date__lte=on
        ).values_list("id", "participant_id", "start_date")
    )
    jobs = list(
        Placement.objects.filter(
            participant__organisation=organisation,
            kind=Placement.Kind.ORDINARY_JOB,
            cancelled_at__isnull=True,
            start_date__gt=year_ago - datetime.timedelta(weeks=FOLLOW_ALONG_WEEKS),
            start_date__lte=on - datetime.timedelta(weeks=FOLLOW_ALONG_WEEKS),
        ).values_list("id", "participant_id", "start_date")
    )
    participants = {pid for _id, pid, _start in periods} | {pid for _id, pid, _s in jobs}
    counselors = _Counselors(participants)

    first_contact: dict[int, datetime.date] = {}
    contacts = (
        Activity.objects.filter(
            period_id__in=[pid for pid, _p, _s in periods],
            kind=Activity.Kind.EMPLOYER_CONTACT,
            due_date__lte=on,
        )
        .exclude(status=Activity.Status.CANCELLED)
        .order_by("period_id", "due_date")
        .values_list("period_id", "due_date")
    )
    for period_id, day in contacts.iterator(chunk_size=10_000):
        first_contact.setdefault(period_id, day)
    for period_id, pid, start in periods:
        counselor = counselors.on(pid, start)
        if counselor is None:
            continue
        tally = tallies[counselor]
        contacted = first_contact.get(period_id)
        if contacted is not None and contacted >= start:
            tally.days_to_contact.append((contacted - start).days)
        if (on - start).days >= FIRST_CONTACT_DAYS:
            tally.periods_30 += 1
            if contacted is not None and (contacted - start).days <= FIRST_CONTACT_DAYS:
                tally.contacted_30 += 1

    weeks_with_contact: dict[int, set[int]] = defaultdict(set)
    jobs_of: dict[int, list[tuple[int, datetime.date]]] = defaultdict(list)
    for job_id, pid, start in jobs:
        jobs_of[pid].append((job_id, start))
    window = datetime.timedelta(weeks=FOLLOW_ALONG_WEEKS)

    def contact(pid: int, day: datetime.date | None) -> None:
        for job_id, start in jobs_of[pid]:
            if day is not None and start <= day < start + window:
                weeks_with_contact[job_id].add((day - start).days // 7)

    activity_days = (
        Activity.objects.filter(participant_id__in=list(jobs_of), kind__in=CONTACT_KINDS)
        .exclude(status=Activity.Status.CANCELLED)
        .values_list("participant_id", "due_date")
    )
    for pid, day in activity_days.iterator(chunk_size=10_000):
        contact(pid, day)
    follow_ups = FollowUp.objects.filter(
        placement_id__in=[job_id for job_id, _p, _s in jobs], held_on__isnull=False
    ).values_list("placement__participant_id", "held_on")
    for pid, held in follow_ups.iterator(chunk_size=10_000):
        contact(pid, held)
    for job_id, pid, start in jobs:
        counselor = counselors.on(pid, start)
        if counselor is None:
            continue
        tallies[counselor].jobs += 1
        if len(weeks_with_contact[job_id]) == FOLLOW_ALONG_WEEKS:
            tallies[counselor].jobs_followed += 1
    return tallies


def compute(organisation: Organisation, on: datetime.date) -> dict[str, Any]:
    """Fidelity on `on`, keyed by external keys (a counselor or organisation without one is
    keyed `user:<id>` / `organisation:<id>`)."""
    tallies = counselor_tallies(organisation, on)

    staff = {
        m.user_id: m
        for m in Membership.objects.filter(organisation=organisation, is_active=True)
        .filter(user_id__in=list(tallies))
        .select_related("team")
    }
    by_team: dict[str, list[Tally]] = defaultdict(list)
    team_of: dict[int, str] = {}
    total = Tally()
    for user_id, tally in tallies.items():
        membership = staff.get(user_id)
        team_of[user_id] = membership.team.name if membership and membership.team else "-"
        by_team[team_of[user_id]].append(tally)
        total.add(tally)
    teams: dict[str, Tally] = {}
    for team, members in sorted(by_team.items()):
        teams[team] = Tally()
        for member in members:
            teams[team].add(member)
    shown = _hidden(tallies, team_of, teams, total)

    def cells(*entity: object) -> dict[str, Cell]:
        return {key: shown[(*entity, key)] for key in Tally().counts()}

    counselor_reports = {}
    for user_id, tally in tallies.items():
        membership = staff.get(user_id)
        key = (
            membership.external_key if membership and membership.external_key else f"user:{user_id}"
        )
        counselor_reports[key] = tally.report(cells("counselor", user_id))
    return {
        "date": on.isoformat(),
        "organisation": {
            "key": organisation.external_key or f"organisation:{organisation.pk}",
            **total.report(cells("organisation"), counselors=len(tallies) or 1),
        },
        "teams": {
            team: tally.report(cells("team", team), counselors=len(by_team[team]))
            for team, tally in teams.items()
        },
        "counselors": dict(sorted(counselor_reports.items())),
    }
