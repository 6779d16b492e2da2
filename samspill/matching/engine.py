"""The matching engine: candidates for an open recruitment need, and open needs for a person.

Rules (issue 23):
- Only participants the user may see (`Participant.objects.visible_to`) and needs of employers
  the user may see (`Employer.objects.visible_to`) are considered.
- A person's profile text (what I can, want to learn, interests, dreams, who I am) ranks only
  when the person has an active consent to share their strengths with workplaces
  (ConsentRecord recipient=workplace, information=strengths). Someone without it is still
  listed (leaving them out would hide them from the coordinator and make them "harder to
  place"), ranked only on what is not their profile (municipality, history, the employer's
  mentoring) and marked "profile not shared". Withdrawing consent takes effect at the next
  request. The health field `needs` is never read: it is not even fetched.
- Their own words weigh as much as skills; a negated wish ("ikke natt") counts against a need
  that mentions nights.
- `favour`: among those whose score is at least FAVOUR_BAND of the best, "waited_longest" puts
  the longest-waiting first (days since their follow-up period began) and "fewest_chances"
  those with the fewest placements started; the rest follow by score. The band keeps a poor
  match from being proposed only for fairness' sake, while the ordering inside it is fair.
- Every list is one read of each person shown: one AccessLog row per participant, written in
  one query (bulk), `what` naming the list.

Queries are constant in the size of the pool: the pool is read once, the details for the
shortlist once each.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.audit.models import AccessLog
from samspill.employers import industries
from samspill.employers.models import Employer, EmployerContact, RecruitmentNeed
from samspill.matching import text
from samspill.matching.types import Factor, FactorKey, MatchResult, Suggestion
from samspill.organisations.queries import membership_for_user
from samspill.participants.models import WORK_OR_EDUCATION, ConsentRecord, Participant
from samspill.participants.permissions import Relationship
from samspill.placements.models import Placement

WEIGHTS = {
    FactorKey.SKILLS: 0.25,
    FactorKey.WISHES: 0.25,  # their own words weigh as much as skills
    FactorKey.INDUSTRY: 0.1,
    FactorKey.PLACE: 0.15,
    FactorKey.HOURS: 0.05,
    FactorKey.MENTOR: 0.1,
    FactorKey.HISTORY: 0.1,
}
FAVOUR_CHOICES = ("", "waited_longest", "fewest_chances")
FAVOUR_BAND = 0.5
LEARN_CREDIT = 0.6  # a skill the person wants to learn counts this much of one they have
SHORTLIST = 300  # how many go on from the text score to the full score
# Profile fields used to rank (never `needs`: health is not read here).
CAN_FIELDS = ("what_i_can",)
LEARN_FIELDS = ("want_to_learn",)
WISH_FIELDS = ("interests", "dreams", "who_i_am")
PROFILE_FIELDS = CAN_FIELDS + LEARN_FIELDS + WISH_FIELDS


@dataclass
class _Person:
    id: int
    organisation_id: int
    counselor_id: int | None
    team_id: int | None
    need_group: str
    municipality: str
    shared: bool
    can: frozenset[str]
    learn: frozenset[str]
    wishes: text.Terms
    waiting_days: int | None


@dataclass
class _Need:
    id: int
    employer_id: int
    role: str
    stems: frozenset[str]
    hours: int | None
    municipality: str
    nace_division: str
    nace_section: str
    industry_stems: frozenset[str]


def _shared_strengths() -> Exists:
    return Exists(
        ConsentRecord.objects.filter(
            participant_id=OuterRef("pk"),
            recipient=ConsentRecord.Recipient.WORKPLACE,
            information=ConsentRecord.Information.STRENGTHS,
            withdrawn_at__isnull=True,
        )
    )


def _person(row: dict[str, Any], today: datetime.date) -> _Person:
    shared = bool(row["shared"])

    def joined(fields: tuple[str, ...]) -> str:
        return " . ".join(row[f] or "" for f in fields) if shared else ""

    can = text.terms(joined(CAN_FIELDS))
    learn = text.terms(joined(LEARN_FIELDS))
    start = row["active_period__start_date"]
    return _Person(
        id=row["id"],
        organisation_id=row["organisation_id"],
        counselor_id=row["counselor_id"],
        team_id=row["team_id"],
        need_group=row["need_group"] or "",
        municipality=row["municipality"] or "",
        shared=shared,
        can=can.positive,
        learn=learn.positive,
        wishes=text.terms(joined(WISH_FIELDS)),
        waiting_days=(today - start).days if start else None,
    )


PERSON_VALUES = (
    "id",
    "organisation_id",
    "counselor_id",
    "team_id",
    "need_group",
    "municipality",
    "active_period__start_date",
    "shared",
    *PROFILE_FIELDS,
)


def _industry_stems(nace_division: str, nace_section: str) -> frozenset[str]:
    names: list[str] = []
    for code in (nace_division, nace_section):
        industry = industries.get(code) if code else None
        if industry is not None:
            names.extend(industry.names.get(lang, "") for lang in ("nb", "da"))
    return text.stems(" . ".join(names))


def _need(row: dict[str, Any]) -> _Need:
    return _Need(
        id=row["id"],
        employer_id=row["employer_id"],
        role=row["role"],
        stems=text.stems(" . ".join((row["role"], row["tasks"] or "", row["skills"] or ""))),
        hours=row["hours_per_week"],
        municipality=row["employer__municipality"] or "",
        nace_division=row["employer__nace_division"] or "",
        nace_section=row["employer__nace_section"] or "",
        industry_stems=_industry_stems(
            row["employer__nace_division"] or "", row["employer__nace_section"] or ""
        ),
    )


NEED_VALUES = (
    "id",
    "employer_id",
    "role",
    "tasks",
    "skills",
    "hours_per_week",
    "employer__municipality",
    "employer__nace_division",
    "employer__nace_section",
)


def _words(person: _Person, stems: set[str]) -> str:
    return ", ".join(sorted(person.wishes.shown.get(s, s) for s in stems))


def _text_score(person: _Person, need: _Need) -> float:
    """The skills and wishes part of the score, cheap: used to shortlist."""
    if not need.stems:
        return 0.0
    met = text.overlap(need.stems, person.can | person.learn)
    wish = text.overlap(person.wishes.positive, need.stems | need.industry_stems)
    against = text.overlap(person.wishes.negative, need.stems)
    skills = len(met) / len(need.stems)
    wishes = min(1.0, len(wish) / 2) - (1.0 if against else 0.0)
    return WEIGHTS[FactorKey.SKILLS] * skills + WEIGHTS[FactorKey.WISHES] * max(wishes, -1.0)


@dataclass
class _Context:
    """What the full score reads beyond the two texts, fetched once per list."""

    mentors: dict[int, int]  # employer id -> active mentors
    employer_history: dict[int, list[tuple[str, str]]]  # employer id -> (need group, outcome)
    person_history: dict[int, list[tuple[int, str, str]]]  # pid -> (employer, outcome, cancel)


def _not_shared(key: str) -> Factor:
    return Factor(key, 0.0, WEIGHTS[key], "", _("Profile not shared"))


def _skills(person: _Person, need: _Need) -> Factor:
    """The need's role, tasks and skills met by what the person can (full) or wants to learn
    (0.6 each)."""
    if not person.shared:
        return _not_shared(FactorKey.SKILLS)
    can_met = text.overlap(need.stems, person.can)
    learn_met = text.overlap(need.stems, person.learn) - can_met
    parts = []
    if can_met:
        parts.append(_("Can: %(words)s") % {"words": ", ".join(sorted(can_met))})
    if learn_met:
        parts.append(_("Wants to learn: %(words)s") % {"words": ", ".join(sorted(learn_met))})
    missing = sorted(need.stems - can_met - learn_met)
    score = (len(can_met) + LEARN_CREDIT * len(learn_met)) / len(need.stems) if need.stems else 0.0
    return Factor(
        FactorKey.SKILLS,
        round(min(score, 1.0), 3),
        WEIGHTS[FactorKey.SKILLS],
        "; ".join(parts),
        _("Not mentioned: %(words)s") % {"words": ", ".join(missing[:6])} if missing else "",
    )


def _wishes(person: _Person, need: _Need) -> Factor:
    """Their own words: two wishes met is full marks; one negated wish the need mentions is
    nought, whatever else matches."""
    if not person.shared:
        return _not_shared(FactorKey.WISHES)
    wish = text.overlap(person.wishes.positive, need.stems | need.industry_stems)
    against = text.overlap(person.wishes.negative, need.stems)
    if against:
        missing = _("Does not want: %(words)s") % {"words": _words(person, against)}
    else:
        missing = "" if wish else _("No wish mentions this work")
    return Factor(
        FactorKey.WISHES,
        0.0 if against else round(min(1.0, len(wish) / 2), 3),
        WEIGHTS[FactorKey.WISHES],
        _("In their own words: %(words)s") % {"words": _words(person, wish)} if wish else "",
        missing,
    )


def _industry(person: _Person, need: _Need) -> Factor:
    """An industry wished for (in their own words) against the employer's NACE names."""
    if not need.industry_stems:
        return Factor(
            FactorKey.INDUSTRY, 0.0, WEIGHTS[FactorKey.INDUSTRY], "", _("Industry not recorded")
        )
    if not person.shared:
        return _not_shared(FactorKey.INDUSTRY)
    hit = text.overlap(person.wishes.positive, need.industry_stems)
    return Factor(
        FactorKey.INDUSTRY,
        1.0 if hit else 0.0,
        WEIGHTS[FactorKey.INDUSTRY],
        _("Wishes for this industry: %(words)s") % {"words": _words(person, hit)} if hit else "",
        "" if hit else _("No wish for this industry"),
    )


def _place(person: _Person, need: _Need) -> Factor:
    if not (person.municipality and need.municipality):
        return Factor(FactorKey.PLACE, 0.0, WEIGHTS[FactorKey.PLACE], "", _("Municipality missing"))
    if person.municipality.strip().lower() == need.municipality.strip().lower():
        return Factor(
            FactorKey.PLACE,
            1.0,
            WEIGHTS[FactorKey.PLACE],
            _("Same municipality: %(place)s") % {"place": need.municipality},
        )
    return Factor(
        FactorKey.PLACE,
        0.0,
        WEIGHTS[FactorKey.PLACE],
        "",
        _("Lives in %(home)s, work in %(work)s")
        % {"home": person.municipality, "work": need.municipality},
    )


def _hours(person: _Person, need: _Need) -> Factor:
    """The profile records no hours of its own: neutral, and said to be missing."""
    return Factor(
        FactorKey.HOURS,
        0.5,
        WEIGHTS[FactorKey.HOURS],
        _("%(hours)s hours a week") % {"hours": need.hours} if need.hours else "",
        _("The person's hours are not recorded") if need.hours else _("The need gives no hours"),
    )


def _mentor(person: _Person, need: _Need, ctx: _Context) -> Factor:
    """Half for having an active mentor, half for how those of the same need group who were
    placed here ended."""
    mentors = ctx.mentors.get(need.employer_id, 0)
    similar = [
        o for g, o in ctx.employer_history.get(need.employer_id, []) if g == person.need_group
    ]
    good = sum(1 for o in similar if o in WORK_OR_EDUCATION)
    parts = []
    if mentors:
        parts.append(_("%(n)s mentor(s)") % {"n": mentors})
    if similar:
        parts.append(
            _("%(good)s of %(n)s with similar needs went on to work or education")
            % {"good": good, "n": len(similar)}
        )
    return Factor(
        FactorKey.MENTOR,
        round((0.5 if mentors else 0.0) + (0.5 * good / len(similar) if similar else 0.0), 3),
        WEIGHTS[FactorKey.MENTOR],
        "; ".join(parts),
        "" if mentors else _("No workplace mentor recorded"),
    )


def _history(person: _Person, need: _Need, ctx: _Context) -> Factor:
    """Neutral without placements; higher the more ended in work or education; nought when an
    earlier placement with this employer was cancelled or ended without work."""
    history = ctx.person_history.get(person.id, [])
    if not history:
        return Factor(
            FactorKey.HISTORY, 0.5, WEIGHTS[FactorKey.HISTORY], "", _("No earlier placements")
        )
    ended_well = sum(1 for _e, o, _c in history if o in WORK_OR_EDUCATION)
    badly_here = any(
        c or (o and o not in WORK_OR_EDUCATION) for e, o, c in history if e == need.employer_id
    )
    return Factor(
        FactorKey.HISTORY,
        0.0 if badly_here else round(0.5 + 0.5 * ended_well / len(history), 3),
        WEIGHTS[FactorKey.HISTORY],
        _("%(n)s earlier placement(s), %(good)s ended in work or education")
        % {"n": len(history), "good": ended_well},
        _("An earlier placement here ended early or without work") if badly_here else "",
    )


def _factors(person: _Person, need: _Need, ctx: _Context) -> tuple[Factor, ...]:
    return (
        _skills(person, need),
        _wishes(person, need),
        _industry(person, need),
        _place(person, need),
        _hours(person, need),
        _mentor(person, need, ctx),
        _history(person, need, ctx),
    )


def _context(employer_ids: set[int], participant_ids: list[int]) -> _Context:
    mentors = dict(
        EmployerContact.objects.filter(employer_id__in=employer_ids, is_mentor=True, is_active=True)
        .values("employer_id")
        .annotate(n=Count("id"))
        .values_list("employer_id", "n")
    )
    employer_history: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for employer_id, group, outcome in Placement.objects.filter(
        employer_id__in=employer_ids, locked_at__isnull=False, cancelled_at__isnull=True
    ).values_list("employer_id", "participant__need_group", "outcome"):
        employer_history[employer_id].append((group or "", outcome or ""))
    person_history: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for pid, employer_id, outcome, cancel in Placement.objects.filter(
        participant_id__in=participant_ids, locked_at__isnull=False
    ).values_list("participant_id", "employer_id", "outcome", "cancel_reason"):
        person_history[pid].append((employer_id, outcome or "", cancel or ""))
    return _Context(mentors, employer_history, person_history)


def _suggestion(person: _Person, need: _Need, ctx: _Context) -> Suggestion:
    factors = _factors(person, need, ctx)
    total = sum(f.score * f.weight for f in factors)
    history = ctx.person_history.get(person.id, [])
    return Suggestion(
        participant_id=person.id,
        need_id=need.id,
        employer_id=need.employer_id,
        score=round(max(0.0, min(1.0, total)), 3),
        factors=factors,
        need_group=person.need_group,
        waiting_days=person.waiting_days,
        chances=len(history),
    )


def _order(suggestions: list[Suggestion], favour: str) -> list[Suggestion]:
    ranked = sorted(suggestions, key=lambda s: (-s.score, s.participant_id, s.need_id))
    if not favour or not ranked:
        return ranked
    floor = ranked[0].score * FAVOUR_BAND
    band = [s for s in ranked if s.score >= floor]
    rest = [s for s in ranked if s.score < floor]
    if favour == "waited_longest":
        band.sort(key=lambda s: (-(s.waiting_days or 0), -s.score, s.participant_id))
    elif favour == "fewest_chances":
        band.sort(key=lambda s: (s.chances, -s.score, s.participant_id))
    return band + rest


def _log_reads(user: Any, people: list[_Person], what: str) -> None:
    """One access-log row per person shown, in one query."""
    if not people:
        return
    membership = membership_for_user(user)
    rows = []
    for p in people:
        if p.counselor_id == user.pk:
            why = Relationship.COUNSELOR
        elif membership is not None and membership.is_leader:
            why = Relationship.LEADER
        else:
            why = Relationship.TEAM
        rows.append(
            AccessLog(
                actor=user,
                participant_id=p.id,
                organisation_id=p.organisation_id,
                what=what[:100],
                why=why,
            )
        )
    AccessLog.objects.bulk_create(rows)


def candidates_for_need(
    user: Any, need: RecruitmentNeed, *, favour: str = "", limit: int = 20
) -> MatchResult:
    """Ranked participants `user` may see for an open need of an employer `user` may see."""
    if favour not in FAVOUR_CHOICES:
        raise ValueError(favour)
    need_row = (
        RecruitmentNeed.objects.filter(pk=need.pk, employer__in=Employer.objects.visible_to(user))
        .values(*NEED_VALUES)
        .first()
    )
    if need_row is None:
        return MatchResult(suggestions=[], pool_size=0, favour=favour)
    the_need = _need(need_row)
    today = timezone.localdate()
    rows = (
        Participant.objects.visible_to(user)
        .filter(active_period__isnull=False)
        .annotate(shared=_shared_strengths())
        .values(*PERSON_VALUES)
    )
    people = [_person(row, today) for row in rows]
    pool_groups = Counter(p.need_group for p in people)
    shortlist = sorted(people, key=lambda p: (-_text_score(p, the_need), p.id))[:SHORTLIST]
    ctx = _context({the_need.employer_id}, [p.id for p in shortlist])
    suggestions = _order([_suggestion(p, the_need, ctx) for p in shortlist], favour)[:limit]
    shown = {s.participant_id for s in suggestions}
    _log_reads(user, [p for p in shortlist if p.id in shown], f"matching:need:{the_need.id}")
    return MatchResult(
        suggestions=suggestions,
        pool_size=len(people),
        pool_need_groups=dict(pool_groups),
        suggested_need_groups=dict(Counter(s.need_group for s in suggestions)),
        favour=favour,
    )


def needs_for_participant(user: Any, participant: Participant, *, limit: int = 20) -> MatchResult:
    """Ranked open needs of employers `user` may see for a participant `user` may see."""
    row = (
        Participant.objects.visible_to(user)
        .filter(pk=participant.pk)
        .annotate(shared=_shared_strengths())
        .values(*PERSON_VALUES)
        .first()
    )
    if row is None:
        return MatchResult(suggestions=[], pool_size=0)
    person = _person(row, timezone.localdate())
    needs_qs = RecruitmentNeed.objects.filter(
        is_open=True, employer__in=Employer.objects.visible_to(user)
    )
    needs = [_need(r) for r in needs_qs.values(*NEED_VALUES)]
    shortlist = sorted(needs, key=lambda n: (-_text_score(person, n), n.id))[:SHORTLIST]
    ctx = _context({n.employer_id for n in shortlist}, [person.id])
    suggestions = _order([_suggestion(person, n, ctx) for n in shortlist], "")[:limit]
    _log_reads(user, [person], f"matching:participant:{person.id}")
    group = {person.need_group: 1}
    return MatchResult(
        suggestions=suggestions,
        pool_size=len(needs),
        pool_need_groups=group,
        suggested_need_groups=group if suggestions else {},
    )


__all__ = ["candidates_for_need", "needs_for_participant"]
