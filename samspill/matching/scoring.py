"""How one suggestion is scored and explained: one function per factor (types.FactorKey), each
giving a score from 0 to 1 and plain words for what matched and what is missing.

The engine (engine.py) decides who is considered and fetches what these functions read.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext as _

from samspill.core import matchtext as text
from samspill.employers import industries
from samspill.matching.types import Factor, FactorKey, Suggestion
from samspill.participants.models import WORK_OR_EDUCATION

WEIGHTS = {
    FactorKey.SKILLS: 0.25,
    FactorKey.WISHES: 0.25,  # their own words weigh as much as skills
    FactorKey.INDUSTRY: 0.1,
    FactorKey.PLACE: 0.15,
    FactorKey.HOURS: 0.05,
    FactorKey.MENTOR: 0.1,
    FactorKey.HISTORY: 0.1,
}
FAVOUR_BAND = 0.5
LEARN_CREDIT = 0.6  # a skill the person wants to learn counts this much of one they have
# Profile fields used to rank (never `needs`: health is not read here).
CAN_FIELDS = ("what_i_can",)
LEARN_FIELDS = ("want_to_learn",)
WISH_FIELDS = ("interests", "dreams", "who_i_am")
PROFILE_FIELDS = CAN_FIELDS + LEARN_FIELDS + WISH_FIELDS


@dataclass
class Person:
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
class Need:
    id: int
    employer_id: int
    role: str
    stems: frozenset[str]
    hours: int | None
    municipality: str
    nace_division: str
    nace_section: str
    industry_stems: frozenset[str]


def person_from(row: dict[str, Any], today: datetime.date) -> Person:
    shared = bool(row["shared"])

    def joined(fields: tuple[str, ...]) -> str:
        return " . ".join(row[f] or "" for f in fields) if shared else ""

    can = text.terms(joined(CAN_FIELDS))
    learn = text.terms(joined(LEARN_FIELDS))
    start = row["active_period__start_date"]
    return Person(
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


@lru_cache(maxsize=256)
def industry_stems(nace_division: str, nace_section: str) -> frozenset[str]:
    names: list[str] = []
    for code in (nace_division, nace_section):
        industry = industries.get(code) if code else None
        if industry is not None:
            names.extend(industry.names.get(lang, "") for lang in ("nb", "da"))
    return text.stems(" . ".join(names))


def need_from(row: dict[str, Any]) -> Need:
    return Need(
        id=row["id"],
        employer_id=row["employer_id"],
        role=row["role"],
        stems=text.stems(" . ".join((row["role"], row["tasks"] or "", row["skills"] or ""))),
        hours=row["hours_per_week"],
        municipality=row["employer__municipality"] or "",
        nace_division=row["employer__nace_division"] or "",
        nace_section=row["employer__nace_section"] or "",
        industry_stems=industry_stems(
            row["employer__nace_division"] or "", row["employer__nace_section"] or ""
        ),
    )


def _words(person: Person, stems: set[str]) -> str:
    return ", ".join(sorted(person.wishes.shown.get(s, s) for s in stems))


@dataclass
class Context:
    """What the full score reads beyond the two texts, fetched once per list."""

    mentors: dict[int, int]  # employer id -> active mentors
    employer_history: dict[int, list[tuple[str, str]]]  # employer id -> (need group, outcome)
    person_history: dict[int, list[tuple[int, str, str]]]  # pid -> (employer, outcome, cancel)


def _not_shared(key: str) -> Factor:
    return Factor(key, 0.0, WEIGHTS[key], "", _("Profile not shared"))


def _skills(person: Person, need: Need) -> Factor:
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


def _wishes(person: Person, need: Need) -> Factor:
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


def _industry(person: Person, need: Need) -> Factor:
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


def _place(person: Person, need: Need) -> Factor:
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


def _hours(person: Person, need: Need) -> Factor:
    """The profile records no hours of its own: neutral, and said to be missing."""
    return Factor(
        FactorKey.HOURS,
        0.5,
        WEIGHTS[FactorKey.HOURS],
        _("%(hours)s hours a week") % {"hours": need.hours} if need.hours else "",
        _("The person's hours are not recorded") if need.hours else _("The need gives no hours"),
    )


def _mentor(person: Person, need: Need, ctx: Context) -> Factor:
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


def _history(person: Person, need: Need, ctx: Context) -> Factor:
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


def _factors(person: Person, need: Need, ctx: Context) -> tuple[Factor, ...]:
    return (
        _skills(person, need),
        _wishes(person, need),
        _industry(person, need),
        _place(person, need),
        _hours(person, need),
        _mentor(person, need, ctx),
        _history(person, need, ctx),
    )


def suggestion(person: Person, need: Need, ctx: Context) -> Suggestion:
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


def order(suggestions: list[Suggestion], favour: str) -> list[Suggestion]:
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
