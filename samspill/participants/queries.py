"""Reads of participants: the caseload and the participant page (STYLE.md 2).

Every function starts from `Participant.objects.visible_to(user)`: the one door.
"""

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.expressions import OrderBy, RawSQL
from django.utils import timezone

from samspill.core.phone import phone_digits
from samspill.organisations.models import Membership
from samspill.participants.models import (
    CounselorAssignment,
    FollowUpPeriod,
    FollowUpStatus,
    Participant,
    PeriodOutcome,
    PeriodOutcomeChange,
)
from samspill.participants.permissions import participant_scope_branches

NO_CONTACT_DAYS_DEFAULT = 30
DUE_WITHIN_DAYS = 7

SORTS: dict[str, tuple[str | OrderBy, ...]] = {
    "name": ("family_name", "given_name", "id"),
    "-name": ("-family_name", "-given_name", "-id"),
    # Empty dates last on both databases (PostgreSQL's own default for ascending order, so its
    # indexes serve the sort; SQLite would otherwise put them first).
    "next_follow_up": (F("next_follow_up_on").asc(nulls_last=True), "family_name", "id"),
    "last_contact": (F("last_contact_on").asc(nulls_last=True), "family_name", "id"),
}
QUICK_FILTERS = ("all", "due", "overdue", "no_contact", "no_follow_up")
# A search over a team or an organisation can match tens of thousands ("h": a fifth of 600,000)
# and counting them all was most of such a page's time (bench/README.md): its counts stop
# here, and the page says "more than" and asks for a narrower search.
COUNT_CAP = 1000
# An unsearched team or organisation this large (a leader over 600,000) takes most of its page's
# time counting (45 ms of 60 at 1M, bench/README.md), and its counts move by a handful a
# minute: they are kept for WIDE_COUNTS_SECONDS and reused. Below this size they are always
# counted afresh, and a user's own caseload always is.
WIDE_COUNTS_FROM = 10_000
WIDE_COUNTS_SECONDS = 60


@dataclass
class CaseloadFilter:
    """The caseload's search, filters and sort, as parsed from the query string."""

    scope: str = "mine"  # mine | team | organisation
    q: str = ""
    status: str = "active"  # active | ended | all
    quick: str = "all"
    team: int | None = None
    no_contact_days: int = NO_CONTACT_DAYS_DEFAULT
    sort: str = "name"
    errors: list[str] = field(default_factory=list)


# Names are searched by the words of the query, as typed or as the list shows them ("Family,
# Given"); a query of digits (and the spaces, dashes and "+" people write in numbers) is a
# national id or a phone number.
TERM_SEPARATORS = re.compile(r"[\s,]+")
NUMBER = re.compile(r"^\+?[\d\s().-]+$")
MIN_NUMBER_DIGITS = 5


def search_terms(q: str) -> list[str]:
    """The name search's words (at most four)."""
    return [term for term in TERM_SEPARATORS.split(q) if term][:4]


def searched_number(q: str) -> str:
    """The digits of a query that is a number (a national id or a phone), else ""."""
    digits = "".join(ch for ch in q if ch.isdigit())
    if NUMBER.match(q.strip()) and len(digits) >= MIN_NUMBER_DIGITS:
        return digits
    return ""


def scopes_for(membership: Membership | None) -> list[str]:
    if membership is None:
        return []
    if membership.is_leader:
        return ["organisation", "mine"]
    if membership.organisation.team_sees_team_participants and membership.team_id:
        return ["mine", "team"]
    return ["mine"]


def quick_filter_q(quick: str, *, today: datetime.date, no_contact_days: int) -> Q:
    if quick == "due":
        return Q(next_follow_up_on__lte=today + datetime.timedelta(days=DUE_WITHIN_DAYS))
    if quick == "overdue":
        return Q(next_follow_up_on__lt=today)
    if quick == "no_contact":
        cutoff = today - datetime.timedelta(days=no_contact_days)
        return Q(last_contact_on__isnull=True) | Q(last_contact_on__lt=cutoff)
    if quick == "no_follow_up":
        return Q(next_follow_up_on__isnull=True)
    return Q()


def caseload_base(user: Any, membership: Membership, flt: CaseloadFilter) -> QuerySet[Participant]:
    """Visible participants in the chosen scope, search, status and team; no quick filter."""
    qs = _scoped(user, membership, flt)
    number = searched_number(flt.q)
    if number:
        # Exact lookups, each through an index: (organisation, national_id) of the uniqueness
        # constraint and participant_org_phone. The view logs a national id match as a read.
        return qs.filter(Q(national_id=number) | Q(phone_digits=phone_digits(flt.q.strip())))
    for term in search_terms(flt.q):
        qs = qs.filter(_matches(term))
    return qs


def _matches(term: str) -> Q:
    return Q(given_name__istartswith=term) | Q(family_name__istartswith=term)


def _scoped(user: Any, membership: Membership, flt: CaseloadFilter) -> QuerySet[Participant]:
    """Visible participants in the chosen scope, status and team: caseload_base unsearched."""
    qs = Participant.objects.visible_to(user)
    team_branch = Q(organisation_id=membership.organisation_id) & Q(team_id=membership.team_id)
    if flt.scope == "mine":
        qs = qs.filter(counselor_id=user.pk)
    elif flt.scope == "team" and team_branch in participant_scope_branches(user):
        # Within the team, the door's other branch (the user's own participants) lies inside
        # this one: the plain AND walks participant_team_name, where the door's OR read every
        # row of the team to sort them (17 ms of 15,000, bench/README.md).
        qs = Participant.objects.filter(team_branch)
    elif flt.scope == "team":
        qs = qs.filter(team_id=membership.team_id) if membership.team_id else qs.none()
    if flt.status == "active":
        qs = qs.filter(active_period__isnull=False)
    elif flt.status == "ended":
        qs = qs.filter(active_period__isnull=True)
    if flt.team is not None:
        qs = qs.filter(team_id=flt.team)
    return qs


def _capped_counts_of(
    streams: "NameSearch", flt: CaseloadFilter, today: datetime.date
) -> dict[str, int]:
    """caseload_counts over the first COUNT_CAP + 1 matches of `streams`: the quick filters of
    quick_filter_q, written over the union's columns."""
    union, params = _union(streams, ("pk", "next_follow_up_on", "last_contact_on"))
    due = today + datetime.timedelta(days=DUE_WITHIN_DAYS)
    cutoff = today - datetime.timedelta(days=flt.no_contact_days)
    sql = (
        "SELECT COUNT(*), COUNT(*) FILTER (WHERE next_follow_up_on <= %s), "
        "COUNT(*) FILTER (WHERE next_follow_up_on < %s), "
        "COUNT(*) FILTER (WHERE last_contact_on IS NULL OR last_contact_on < %s), "
        "COUNT(*) FILTER (WHERE next_follow_up_on IS NULL) "
        f"FROM (SELECT * FROM ({union}) u LIMIT {COUNT_CAP + 1}) c"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [due, today, cutoff, *params])
        row = cursor.fetchone()
    return dict(zip(QUICK_FILTERS, row, strict=True))


def _union(streams: "NameSearch", columns: tuple[str, ...]) -> tuple[str, list[Any]]:
    """The UNION ALL of the streams' `columns`, as SQL and its parameters."""
    parts: list[str] = []
    params: list[Any] = []
    for stream in streams.parts:
        sql, stream_params = stream.order_by().values_list(*columns).query.sql_with_params()
        parts.append(f"({sql})")
        params.extend(stream_params)
    return " UNION ALL ".join(parts), params


@dataclass
class NameSearch:
    """A name search's matches as disjoint parts, sorted by name (descending or not)."""

    parts: list[QuerySet[Participant]]
    descending: bool


def name_search_streams(
    user: Any,
    membership: Membership,
    flt: CaseloadFilter,
    *,
    few: bool = True,
    quick: bool = True,
) -> NameSearch | None:
    # quick=False: every quick filter, for the counts, in any sort.
    """A name search sorted by name, as two disjoint querysets whose union is
    `caseload_rows(caseload_base(...))` unsorted, for `caseload_slice` (PostgreSQL only; None
    where the search is not such).

    A clustered search ("hansen": 25,000 of 600,000) sorts its matches (see _order). Read
    through the door's OR of the two name-prefix indexes, each match cost a visit to its row
    (17,000 pages of the table for "hansen", 240 ms, bench/README.md). Split on the longest
    term, as the family name's matches and the given name's matches whose family name does
    not match, each is a plain AND that an index-only scan of participant_org_family_cover or
    participant_org_given_cover answers (migration 0016: the name-prefix indexes with every
    column a caseload filters or sorts on), and PostgreSQL sorts the matches' keys without
    reading a row."""
    terms = search_terms(flt.q)
    if (
        connection.vendor != "postgresql"
        or not terms
        or searched_number(flt.q)
        or (quick and flt.sort not in ("name", "-name"))
        or not _clustered(flt, few)  # a broad search walks the name index
    ):
        return None
    lead = max(terms, key=len)
    others = list(terms)
    others.remove(lead)
    today = timezone.localdate()
    qs = _scoped(user, membership, flt)
    if quick:
        qs = qs.filter(quick_filter_q(flt.quick, today=today, no_contact_days=flt.no_contact_days))
    for term in others:
        qs = qs.filter(_matches(term))
    return NameSearch(
        parts=[
            qs.filter(family_name__istartswith=lead),
            qs.filter(given_name__istartswith=lead).exclude(family_name__istartswith=lead),
        ],
        descending=flt.sort == "-name",
    )


def counts_capped(flt: CaseloadFilter) -> bool:
    """Whether the counts stop at COUNT_CAP: a search beyond the user's own participants."""
    return bool(search_terms(flt.q)) and flt.scope != "mine"


def wide_counts_key(membership: Membership, flt: CaseloadFilter, today: datetime.date) -> str:
    """The cache key of an unsearched team's or organisation's counts, "" for any other list
    (a user's own, a search: always counted). The key holds everything the counts depend on,
    the day among them (the quick filters are relative to it)."""
    if flt.scope == "mine" or flt.q:
        return ""
    team = membership.team_id if flt.scope == "team" else flt.team
    return (
        f"caseload-counts:{membership.organisation_id}:{flt.scope}:{team}:{flt.status}:"
        f"{flt.no_contact_days}:{today.isoformat()}"
    )


def caseload_counts(
    base: QuerySet[Participant],
    flt: CaseloadFilter,
    membership: Membership | None = None,
    streams: "NameSearch | None" = None,
) -> dict[str, int]:
    """How many participants each quick filter would show: one aggregate query. Where the
    counts are capped, they are taken over the first COUNT_CAP + 1 matches: a total above
    COUNT_CAP means "more than", and the quick filters' counts are then not whole.

    With `membership`, an unsearched team's or organisation's counts of at least
    WIDE_COUNTS_FROM are reused for WIDE_COUNTS_SECONDS (no query then): a chip there may lag
    a new participant by up to a minute (a leader reading "All (512,034)"), and the last page
    may end a few rows early or late for that minute; the rows themselves are always read
    live.

    With `streams` (name_search_streams without the quick filter), a capped search counts the
    first COUNT_CAP + 1 keys of their union, read from the indexes alone."""
    today = timezone.localdate()
    key = wide_counts_key(membership, flt, today) if membership is not None else ""
    if key:
        cached: dict[str, int] | None = cache.get(key)
        if cached is not None:
            return cached
    aggregates = {
        quick: Count(
            "id", filter=quick_filter_q(quick, today=today, no_contact_days=flt.no_contact_days)
        )
        if quick != "all"
        else Count("id")
        for quick in QUICK_FILTERS
    }
    if counts_capped(flt) and streams is not None:
        return _capped_counts_of(streams, flt, today)
    if counts_capped(flt):
        return base.order_by()[: COUNT_CAP + 1].aggregate(**aggregates)
    counts = base.order_by().aggregate(**aggregates)
    if key and counts["all"] >= WIDE_COUNTS_FROM:
        cache.set(key, counts, WIDE_COUNTS_SECONDS)
    return counts


def quick_count(base: QuerySet[Participant], flt: CaseloadFilter) -> int:
    """How many the chosen quick filter shows, up to COUNT_CAP + 1 (for a capped search, whose
    counts from caseload_counts are not whole)."""
    return caseload_rows(base, flt).order_by()[: COUNT_CAP + 1].count()


def caseload_rows(
    base: QuerySet[Participant], flt: CaseloadFilter, *, user: Any = None, few: bool = True
) -> QuerySet[Participant]:
    """The rows of the chosen quick filter, sorted. `few`: the search is known to match at most
    COUNT_CAP participants (see _order)."""
    today = timezone.localdate()
    qs = base.filter(quick_filter_q(flt.quick, today=today, no_contact_days=flt.no_contact_days))
    if user is not None:
        # "New to you": handed over to the user by someone else and not opened yet.
        qs = qs.annotate(
            new_to_me=Exists(
                CounselorAssignment.objects.filter(
                    participant_id=OuterRef("pk"),
                    counselor_id=user.pk,
                    ended_at__isnull=True,
                    seen_at__isnull=True,
                ).exclude(assigned_by_id=user.pk)
            )
        )
    return qs.select_related("counselor", "team", "active_period").order_by(*_order(flt, few))


def caseload_slice(
    rows: QuerySet[Participant],
    start: int,
    stop: int,
    streams: "NameSearch | None" = None,
) -> QuerySet[Participant]:
    """Rows `start` to `stop` of `rows`, found by sorting only their keys.

    A broad search in a large organisation ("h": 126,000 of 600,000) sorts every match; sorting
    whole rows (the participant, counselor, team, period) spilled them to disk and took most of
    the page's time (bench/README.md). Here PostgreSQL sorts the matches' names and ids, small
    enough for memory, and reads the whole rows of the page alone. The key query has the same
    filters and order as `rows`, so it is planned the same (walking the name index when there
    is no search).

    With `streams` (name_search_streams), the keys are sorted from the union of the streams,
    each read from an index alone."""
    if streams is None:
        return rows.filter(pk__in=rows.values("pk")[start:stop])
    union, params = _union(streams, ("pk", "family_name", "given_name"))
    way = "DESC" if streams.descending else "ASC"
    keys = RawSQL(
        f"SELECT u.pk FROM ({union}) u "
        f"ORDER BY u.family_name {way}, u.given_name {way}, u.pk {way} "
        f"LIMIT {int(stop) - int(start)} OFFSET {int(start)}",
        params,
    )
    return rows.filter(pk__in=keys)


def _order(flt: CaseloadFilter, few: bool = True) -> tuple[str | OrderBy, ...]:
    """The sort, written so that a name search sorts its matches instead of hunting for them.

    Without a search, PostgreSQL walks the name index and stops after a page: fast. With one,
    it still walks it, expecting matches spread through the alphabet; but "haug" or "øde"
    matches cluster at one place in family-name order, so the walk reads every participant
    before them, up to the whole organisation (0.6-2 s over 600,000, bench/README.md). NULLS
    FIRST (ascending) or NULLS LAST (descending) on the NOT NULL family name moves no row, but
    the name index cannot deliver that order, so PostgreSQL finds the matches through the
    name-prefix indexes (migration 0004) and sorts them.

    Not for a search of only one or two letters that matches more than COUNT_CAP (not `few`):
    such a search ("h": a fifth of an organisation) matches spread through the alphabet by the
    given names, so the walk meets a page of matches within a few hundred rows, where sorting
    would read every match. A rare short prefix ("Xu"), with few matches, is sorted.
    """
    order = SORTS.get(flt.sort, SORTS["name"])
    clustered = _clustered(flt, few)
    if clustered and order[0] == "family_name":
        return (F("family_name").asc(nulls_first=True), *order[1:])
    if clustered and order[0] == "-family_name":
        return (F("family_name").desc(nulls_last=True), *order[1:])
    return order


def _clustered(flt: CaseloadFilter, few: bool) -> bool:
    """Whether a name search's matches are sorted rather than met on a walk of the name index
    (see _order)."""
    terms = search_terms(flt.q)
    return bool(terms) and (few or any(len(term) >= 3 for term in terms))


def unseen_handover(participant: Participant, user: Any) -> CounselorAssignment | None:
    """The handover of `participant` to `user` by someone else that `user` has not opened
    yet, else None: one query, and no transaction on the common path where there is none
    (services.handover_open marks it seen)."""
    return (
        CounselorAssignment.objects.filter(
            participant=participant, counselor=user, ended_at__isnull=True, seen_at__isnull=True
        )
        .exclude(assigned_by=user)
        .select_related("assigned_by")
        .first()
    )


# Statuses after follow-up (participants.outcomes): the former counselor is reminded of those
# due within this many days, and of the overdue ones.
STATUS_DUE_WITHIN_DAYS = 14


def statuses_to_record(user: Any, membership: Membership, today: datetime.date) -> QuerySet[Any]:
    """The statuses after follow-up that `user` is reminded to record: theirs as the period's
    last counselor, in their organisation, not recorded, due within STATUS_DUE_WITHIN_DAYS or
    overdue. Reads the partial index status_counselor_due."""
    return (
        FollowUpStatus.objects.filter(
            counselor_id=user.pk,
            outcome="",
            due_on__lte=today + datetime.timedelta(days=STATUS_DUE_WITHIN_DAYS),
            period__participant__organisation_id=membership.organisation_id,
        )
        .select_related("period__participant")
        .order_by("due_on", "id")
    )


def follow_up_periods(participant_id: int) -> QuerySet[FollowUpPeriod]:
    """The participant's periods with their counselors, outcomes (and their corrections) and
    statuses after follow-up: five queries, however many there are."""
    return FollowUpPeriod.objects.filter(participant_id=participant_id).prefetch_related(
        Prefetch(
            "assignments",
            queryset=CounselorAssignment.objects.select_related("counselor", "assigned_by"),
        ),
        Prefetch(
            "outcomes",
            queryset=PeriodOutcome.objects.select_related("recorded_by").prefetch_related(
                Prefetch(
                    "changes", queryset=PeriodOutcomeChange.objects.select_related("changed_by")
                )
            ),
        ),
        Prefetch("statuses", queryset=FollowUpStatus.objects.select_related("recorded_by")),
    )


def own_status_due(participant_id: int, today: datetime.date) -> FollowUpStatus | None:
    """The status after follow-up the participant can answer now in the portal: the latest
    due of theirs not recorded and open for recording (from STATUS_EARLY_DAYS before it is
    due). Their answer is dated today, so the latest due is the one it describes."""
    from samspill.participants.outcomes import STATUS_EARLY_DAYS

    return (
        FollowUpStatus.objects.filter(
            period__participant_id=participant_id,
            outcome="",
            due_on__lte=today + datetime.timedelta(days=STATUS_EARLY_DAYS),
        )
        .select_related("period")
        .order_by("-due_on", "-id")
        .first()
    )
