"""Reads of matching: the fairness view of a list, and the hit rates per factor."""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from samspill.core import smallcells
from samspill.employers.models import EmployerContact
from samspill.matching.models import Proposal
from samspill.matching.types import FactorKey, MatchResult
from samspill.participants.models import NeedGroup, Outcome
from samspill.placements.models import Placement

# The need groups that need the most support: creaming shows as these missing from a list.
HARDEST = (NeedGroup.REDUCED_CAPACITY, NeedGroup.PARTIAL_WORK, NeedGroup.LITTLE_PROSPECT)
# "Markedly easier": the hardest groups' share among the suggested under half the pool's.
CREAMING_RATIO = 0.5
HIGH = 0.5  # a factor scored high at or above this


@dataclass(frozen=True)
class GroupRow:
    label: str
    pool: smallcells.Cell
    suggested: smallcells.Cell


@dataclass(frozen=True)
class Fairness:
    rows: list[GroupRow]
    pool_total: smallcells.Cell
    suggested_total: smallcells.Cell
    creaming: bool  # the suggested are markedly easier than the pool
    suppressed: bool


def _hardest_share(groups: dict[str, int]) -> float:
    total = sum(groups.values())
    return sum(groups.get(g, 0) for g in HARDEST) / total if total else 0.0


def fairness(result: MatchResult) -> Fairness:
    """How the need groups of the suggested compare with the pool's (small cells hidden)."""
    keys = [*NeedGroup.values, ""]
    values: dict[tuple[str, str], int] = {}
    for side, groups in (
        ("pool", result.pool_need_groups),
        ("suggested", result.suggested_need_groups),
    ):
        for key in keys:
            values[(side, key)] = groups.get(key, 0)
        values[(side, "total")] = sum(groups.values())
    lines = [((side, "total"), [(side, k) for k in keys]) for side in ("pool", "suggested")]
    shown = smallcells.apply(values, lines)
    labels = dict(NeedGroup.choices)
    rows = [
        GroupRow(
            label=str(labels.get(key, _("Not assessed"))),
            pool=shown[("pool", key)],
            suggested=shown[("suggested", key)],
        )
        for key in keys
        if values[("pool", key)] or values[("suggested", key)]
    ]
    pool_share = _hardest_share(result.pool_need_groups)
    creaming = bool(result.suggested_need_groups) and (
        pool_share > 0
        and _hardest_share(result.suggested_need_groups) < pool_share * CREAMING_RATIO
    )
    return Fairness(
        rows=rows,
        pool_total=shown[("pool", "total")],
        suggested_total=shown[("suggested", "total")],
        creaming=creaming,
        suppressed=any(v is None for v in shown.values()),
    )


def led_to(proposal: Any, placements: list[Any]) -> str:
    """What a proposal led to: a placement with the employer, agreed (locked) and not cancelled,
    drafted after the proposal (a job when it is an ordinary job or ended in ordinary work),
    else what was recorded by hand."""
    started = [
        p
        for p in placements
        if p["employer_id"] == proposal["employer_id"]
        and p["created_at"] >= proposal["created_at"]
        and p["locked_at"] is not None
        and p["cancelled_at"] is None
    ]
    if any(
        p["kind"] == Placement.Kind.ORDINARY_JOB or p["outcome"] == Outcome.ORDINARY_WORK
        for p in started
    ):
        return Proposal.Outcome.JOB
    if proposal["outcome"] == Proposal.Outcome.JOB:
        return Proposal.Outcome.JOB
    if started:
        return Proposal.Outcome.PLACEMENT
    return str(proposal["outcome"])


@dataclass(frozen=True)
class HitRate:
    label: str
    high: smallcells.Cell
    high_hits: smallcells.Cell
    low: smallcells.Cell
    low_hits: smallcells.Cell
    # Meetings with the employer (or more) that followed: the first thing a proposal leads to.
    high_meetings: smallcells.Cell
    low_meetings: smallcells.Cell

    @property
    def high_rate(self) -> float | None:
        return smallcells.share(self.high_hits, self.high)

    @property
    def low_rate(self) -> float | None:
        return smallcells.share(self.low_hits, self.low)

    @property
    def high_meeting_rate(self) -> float | None:
        return smallcells.share(self.high_meetings, self.high)

    @property
    def low_meeting_rate(self) -> float | None:
        return smallcells.share(self.low_meetings, self.low)


def hit_rates(organisation_id: int) -> tuple[list[HitRate], int]:
    """Per factor: proposals where it scored high vs low, and how many of each led to a
    meeting with the employer (or further), and to a placement or a job. Two queries; small cells hidden. Returns the rows and the number of
    proposals counted."""
    proposals = list(
        Proposal.objects.filter(organisation_id=organisation_id)
        .exclude(action=Proposal.Action.PASSED)
        .values("participant_id", "employer_id", "created_at", "outcome", "response", "factors")
    )
    placements: dict[int, list[Any]] = defaultdict(list)
    for row in Placement.objects.filter(
        participant_id__in={p["participant_id"] for p in proposals}
    ).values(
        "participant_id",
        "employer_id",
        "created_at",
        "locked_at",
        "cancelled_at",
        "kind",
        "outcome",
    ):
        placements[row["participant_id"]].append(row)
    hits: tuple[str, ...] = (Proposal.Outcome.PLACEMENT, Proposal.Outcome.JOB)
    meetings: tuple[str, ...] = (Proposal.Outcome.MEETING, *hits)
    labels = factor_labels()
    rows = []
    for key in FactorKey.ALL:
        counts = dict.fromkeys(
            ("high", "high_hits", "high_meetings", "low", "low_hits", "low_meetings"), 0
        )
        for p in proposals:
            side = "high" if p["factors"].get(key, 0) >= HIGH else "low"
            counts[side] += 1
            outcome = led_to(p, placements[p["participant_id"]])
            if outcome in hits:
                counts[f"{side}_hits"] += 1
            if outcome in meetings or p["response"] == Proposal.Response.MEET:
                counts[f"{side}_meetings"] += 1
        shown = {k: smallcells.count(v) for k, v in counts.items()}
        rows.append(HitRate(label=labels[key], **shown))
    return rows, len(proposals)


def factor_labels() -> dict[str, str]:
    return {
        FactorKey.SKILLS: _("Skills and tasks"),
        FactorKey.WISHES: _("Own wishes"),
        FactorKey.INDUSTRY: _("Industry"),
        FactorKey.PLACE: _("Place"),
        FactorKey.HOURS: _("Hours"),
        FactorKey.MENTOR: _("Mentor and experience"),
        FactorKey.HISTORY: _("Earlier placements"),
    }


def decided(
    need_id: int | None = None, participant_id: int | None = None
) -> dict[tuple[int, int], str]:
    """(participant, need) -> the latest action taken on that pair, for marking a list."""
    rows = Proposal.objects.all()
    if need_id is not None:
        rows = rows.filter(need_id=need_id)
    if participant_id is not None:
        rows = rows.filter(participant_id=participant_id)
    out: dict[tuple[int, int], str] = {}
    for pid, nid, action in rows.order_by("created_at", "id").values_list(
        "participant_id", "need_id", "action"
    ):
        out[(pid, nid)] = action
    return out


# The employer side.


def presentable_contacts(employer_ids: set[int]) -> dict[int, list[EmployerContact]]:
    """Employer id -> the contacts a proposed person may be presented to: active, not a mentor,
    with a portal account and a signed confidentiality declaration. One query."""
    out: dict[int, list[EmployerContact]] = defaultdict(list)
    for contact in EmployerContact.objects.filter(
        employer_id__in=employer_ids,
        is_active=True,
        is_mentor=False,
        user__isnull=False,
        confidentiality_signed_on__isnull=False,
    ).order_by("name", "id"):
        out[contact.employer_id].append(contact)
    return out


def presented_to(contact: EmployerContact) -> QuerySet[Proposal]:
    """The employer side's one door to proposals: those presented to this contact, while the
    contact may see participant data (active, not a mentor, a signed declaration). Anything
    else, another contact's or another employer's, is outside it (a 404)."""
    if not contact.is_active or contact.is_mentor or not contact.has_declaration:
        return Proposal.objects.none()
    return Proposal.objects.filter(
        presented_to=contact,
        presented_at__isnull=False,
        employer_id=contact.employer_id,
        action=Proposal.Action.PROPOSED,
    )
