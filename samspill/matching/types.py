"""What matching returns: the contract between the engine (engine.py) and its pages and API.

A suggestion pairs one participant with one open recruitment need and says, per factor and in
plain words, why and what is missing. The engine never decides: people do (models.py records
what they did with a suggestion).
"""

from __future__ import annotations

from dataclasses import dataclass, field


class FactorKey:
    """The factors every suggestion is explained by, in display order."""

    SKILLS = "skills"  # the need's skills and tasks met by what the person can or wants to learn
    WISHES = (
        "wishes"  # the person's own words: wishes, dreams, interests ("outdoors", "not nights")
    )
    INDUSTRY = "industry"  # industry wished for vs the employer's
    PLACE = "place"  # municipality / distance
    HOURS = "hours"  # hours the person can work vs the need's
    MENTOR = "mentor"  # the employer's mentor capacity and experience with similar needs
    HISTORY = "history"  # earlier placements with this employer or in this kind of work, and how they ended

    ALL = (SKILLS, WISHES, INDUSTRY, PLACE, HOURS, MENTOR, HISTORY)


@dataclass(frozen=True)
class Factor:
    key: str  # one of FactorKey.ALL
    score: float  # 0..1, how well this factor is met
    weight: float  # the factor's weight in the total
    explanation: str  # plain words, translated: what matched ("Kan: lager, truck")
    missing: str = ""  # plain words, translated: what is missing ("Ingen timer oppgitt")


@dataclass(frozen=True)
class Suggestion:
    participant_id: int
    need_id: int
    employer_id: int
    score: float  # 0..1, the weighted sum
    factors: tuple[Factor, ...]
    # For the fairness view: the person's need group and how long they have waited / how many
    # chances (placements started) they have had.
    need_group: str = ""
    waiting_days: int | None = None
    chances: int = 0


@dataclass(frozen=True)
class MatchResult:
    """A ranked list and, against creaming, how those suggested compare with the whole pool."""

    suggestions: list[Suggestion]
    pool_size: int
    # need group -> count, over the pool the viewer may see and over the suggestions shown.
    pool_need_groups: dict[str, int] = field(default_factory=dict)
    suggested_need_groups: dict[str, int] = field(default_factory=dict)
    favour: str = ""  # "", "waited_longest" or "fewest_chances"
