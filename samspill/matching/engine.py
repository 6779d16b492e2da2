"""The matching engine: candidates for an open recruitment need, and open needs for a person.

Rules (issue 23):
- Only participants the user may see (`Participant.objects.visible_to`: a counselor their own
  and, where the organisation allows it, their team's; a leader the organisation's), in an open
  follow-up period, and open needs of employers the user may see (`Employer.objects.visible_to`).
- A person's profile text (what I can, want to learn, interests, dreams, who I am) ranks only
  while the person consents to share their strengths with workplaces (ConsentRecord
  recipient=workplace, information=strengths, not withdrawn), read at every request. Someone
  without it is still listed — leaving them out would hide them from the coordinator, and
  those who share least are often those who need most help — ranked only on what is not their
  profile (municipality, earlier placements, the employer's mentoring), and marked "Profile not
  shared". The health field `needs` is never read: not fetched, not indexed.
- Their own words weigh as much as skills; a negated wish ("ikke natt") the need mentions
  makes the wishes factor nought.
- `favour`: among those whose score is at least FAVOUR_BAND of the best, "waited_longest" puts
  the longest waiting first (days since their follow-up period began) and "fewest_chances"
  those with the fewest placements started; the rest follow by score. The band keeps a poor
  match from being proposed for fairness' sake alone, and the order inside it is fair.
- Every list is a read of each person shown: one AccessLog row per participant, written in one
  query, `what` naming the list ("matching:need:12", "matching:participant:34").

Speed (bench/matching.py): the profile and the need are indexed as stems and compound parts
(`match_terms`, kept by the services that write them; core/matchtext.py). On PostgreSQL a list
is ranked first in the database (firststage.py): a lookup per probe key in the posting lists
of the terms (ParticipantTerm, NeedTerm) finds who or what shares a word, and the factors are summed in SQL with the place, the
employer's mentoring and the person's placements; only the best SHORTLIST (and, when favouring,
the first of the band in the favour's order) are read and scored in full here, so the list
shown is the full score's. SQLite scores the whole pool in full in Python (the same answer,
slower). The number of queries does not grow with the pool.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from samspill.audit.models import AccessLog
from samspill.employers.models import Employer, EmployerContact, RecruitmentNeed
from samspill.matching import firststage
from samspill.matching.scoring import (
    PROFILE_FIELDS,
    Context,
    need_from,
    order,
    person_from,
    suggestion,
)
from samspill.matching.types import MatchResult
from samspill.organisations.queries import membership_for_user
from samspill.participants.models import ConsentRecord, Participant
from samspill.participants.permissions import Relationship
from samspill.placements.models import Placement

FAVOUR_CHOICES = ("", "waited_longest", "fewest_chances")
SHORTLIST = 40  # how many go on from the first-stage score to the full score
# Needs in the person's municipality that share no word with their profile are considered up
# to this many (those of employers with a mentor first), so a person with little shared text
# still gets some.
NEARBY_NEEDS = 200
# Needs that share words with the person, the best this many by the words alone go on to the
# first-stage score (a common word is held by tens of thousands of needs).
BY_WORDS = 1000
# Bounded retrieval (firststage.need_ids): of each of the person's words at most this many open
# needs outside their municipality are read, the best by the need's static score first
# (NeedTerm.static_score); in their municipality all are.
PER_TERM = 1000

POOL_VALUES = (
    "id",
    "organisation_id",
    "counselor_id",
    "team_id",
    "need_group",
    "municipality",
    "active_period__start_date",
    "shared",
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


def _shared_strengths() -> Exists:
    return Exists(
        ConsentRecord.objects.filter(
            participant_id=OuterRef("pk"),
            recipient=ConsentRecord.Recipient.WORKPLACE,
            information=ConsentRecord.Information.STRENGTHS,
            withdrawn_at__isnull=True,
        )
    )


def _log_reads(user: Any, rows: list[tuple[int, int, int | None]], what: str) -> None:
    """One access-log row per person shown (id, organisation, counselor), in one query."""
    if not rows:
        return
    membership = membership_for_user(user)
    leader = membership is not None and membership.is_leader
    AccessLog.objects.bulk_create(
        AccessLog(
            actor=user,
            participant_id=pid,
            organisation_id=organisation_id,
            what=what[:100],
            why=Relationship.COUNSELOR
            if counselor_id == user.pk
            else (Relationship.LEADER if leader else Relationship.TEAM),
        )
        for pid, organisation_id, counselor_id in rows
    )


def _employer_context(employer_ids: set[int]) -> tuple[dict[int, int], dict[int, list[Any]]]:
    """Active mentors and (need group, outcome) of earlier placements, per employer."""
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
    return mentors, employer_history


def _person_history(participant_ids: list[int]) -> dict[int, list[tuple[int, str, str]]]:
    person_history: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for pid, employer_id, outcome, cancel in Placement.objects.filter(
        participant_id__in=participant_ids, locked_at__isnull=False
    ).values_list("participant_id", "employer_id", "outcome", "cancel_reason"):
        person_history[pid].append((employer_id, outcome or "", cancel or ""))
    return person_history


def first_stage_in_database() -> bool:
    """PostgreSQL ranks a pool in SQL first (firststage.py); SQLite scores it all in Python."""
    return connection.vendor == "postgresql"


def candidates_for_need(
    user: Any,
    need: RecruitmentNeed,
    *,
    favour: str = "",
    limit: int = 20,
    in_database: bool | None = None,
) -> MatchResult:
    """Ranked participants `user` may see for a need of an employer `user` may see (an empty
    result for a need outside that).

    `in_database` (default: on PostgreSQL) ranks the pool in SQL and scores only the best
    SHORTLIST in full; otherwise every person in the pool is scored in full in Python."""
    if favour not in FAVOUR_CHOICES:
        raise ValueError(favour)
    if in_database is None:
        in_database = first_stage_in_database()
    need_row = (
        RecruitmentNeed.objects.filter(pk=need.pk, employer__in=Employer.objects.visible_to(user))
        .values(*NEED_VALUES)
        .first()
    )
    if need_row is None:
        return MatchResult(suggestions=[], pool_size=0, favour=favour)
    the_need = need_from(need_row)
    pool = (
        Participant.objects.visible_to(user)
        .filter(active_period__isnull=False)
        .annotate(shared=_shared_strengths())
    )
    mentors, employer_history = _employer_context({the_need.employer_id})
    shortlist = pool
    # The pool's size and need groups, counted in the database (against creaming).
    pool_need_groups: Counter[str] = Counter()
    if not in_database:
        for group, n in pool.order_by().values_list("need_group").annotate(n=Count("id")):
            pool_need_groups[group or ""] += n
    else:
        pool_sql, pool_params = (
            pool.order_by()
            .values_list(
                "id",
                "municipality",
                "need_group",
                "active_period__start_date",
                "shared",
            )
            .query.sql_with_params()
        )
        ids, groups = firststage.candidate_ids(
            pool_sql,
            pool_params,
            the_need,
            mentors=mentors.get(the_need.employer_id, 0),
            employer_history=employer_history.get(the_need.employer_id, []),
            favour=favour,
            shortlist=max(SHORTLIST, 2 * limit),
        )
        pool_need_groups.update(groups)
        shortlist = Participant.objects.filter(pk__in=ids).annotate(shared=_shared_strengths())
    today = timezone.localdate()
    people = [person_from(row, today) for row in shortlist.values(*POOL_VALUES, *PROFILE_FIELDS)]
    ctx = Context(mentors, employer_history, _person_history([p.id for p in people]))
    suggestions = order([suggestion(p, the_need, ctx) for p in people], favour)[:limit]
    shown = {s.participant_id for s in suggestions}
    _log_reads(
        user,
        [(p.id, p.organisation_id, p.counselor_id) for p in people if p.id in shown],
        f"matching:need:{the_need.id}",
    )
    return MatchResult(
        suggestions=suggestions,
        pool_size=sum(pool_need_groups.values()),
        pool_need_groups=dict(pool_need_groups),
        suggested_need_groups=dict(Counter(s.need_group for s in suggestions)),
        favour=favour,
    )


def needs_for_participant(
    user: Any, participant: Participant, *, limit: int = 20, in_database: bool | None = None
) -> MatchResult:
    """Ranked open needs of employers `user` may see for a participant `user` may see (an empty
    result for a participant outside that).

    `in_database` (default: on PostgreSQL) ranks the open needs in SQL and scores only the best
    SHORTLIST in full; otherwise every open need is scored in full in Python."""
    if in_database is None:
        in_database = first_stage_in_database()
    row = (
        Participant.objects.visible_to(user)
        .filter(pk=participant.pk)
        .annotate(shared=_shared_strengths())
        .values(*POOL_VALUES, *PROFILE_FIELDS)
        .first()
    )
    if row is None:
        return MatchResult(suggestions=[], pool_size=0)
    person = person_from(row, timezone.localdate())
    visible_employers = Employer.objects.visible_to(user)
    open_needs = RecruitmentNeed.objects.filter(is_open=True, employer__in=visible_employers)
    pool_size = open_needs.count()
    history = _person_history([person.id])
    shortlist = open_needs
    if in_database:
        employers_sql, employers_params = (
            visible_employers.order_by().values("id").query.sql_with_params()
        )
        ids = firststage.need_ids(
            employers_sql,
            employers_params,
            person,
            history=history.get(person.id, []),
            nearby=max(NEARBY_NEEDS, 2 * limit),
            by_words=BY_WORDS,
            per_term=PER_TERM,
            shortlist=max(SHORTLIST, 2 * limit),
        )
        shortlist = RecruitmentNeed.objects.filter(pk__in=ids)
    needs = [need_from(r) for r in shortlist.values(*NEED_VALUES)]
    ctx = Context(*_employer_context({n.employer_id for n in needs}), history)
    suggestions = order([suggestion(person, n, ctx) for n in needs], "")[:limit]
    _log_reads(
        user,
        [(person.id, person.organisation_id, person.counselor_id)],
        f"matching:participant:{person.id}",
    )
    group = {person.need_group: 1}
    return MatchResult(
        suggestions=suggestions,
        pool_size=pool_size,
        pool_need_groups=group,
        suggested_need_groups=group if suggestions else {},
    )
