"""The first stage of a list on PostgreSQL: candidates scored in the database from the stored
terms (`match_terms`), the place, the employer's mentoring and the person's placements, so that
only the best few dozen come back to be read and scored in full in Python (scoring.py), which
alone decides the order shown and writes the explanations.

The words come from one index-only lookup per probe key (matchtext.probes) in the narrow
posting lists of the stored terms (participants.ParticipantTerm, employers.NeedTerm: one row
per key of `match_terms`, kept by the services that write it; a closed need has none). The first-stage score follows the full score factor by
factor (scoring.WEIGHTS) but counts keys, not words, where the stored keys cannot tell them
apart (a person's wishes met; a need's stems met through a compound part), so it can differ a
little: more are read than are shown (engine.SHORTLIST) and, for needs, a common word held by
tens of thousands of needs makes the words alone pick the best first (engine.BY_WORDS).

For a person the first stage is a bounded retrieval, as a search engine's: of each of their
keys it reads at most engine.PER_TERM open needs outside their municipality, those with the
highest static score first (NeedTerm.static_score, 1 / the need's stems: the share of the skills
factor one stem met is worth), then by id, and every need in their municipality. A need
elsewhere that holds a common word but is not among its first PER_TERM is not considered
(bench/README.md, "Bounded retrieval").
tests/test_stages.py compares the list with the full score of everyone on a fixture where the
cut matters.

SQLite has no arrays: the engine scores the whole pool in Python there (the same answer, slower).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection

from samspill.core import matchtext as text
from samspill.employers import industries
from samspill.employers.models import NeedTerm
from samspill.matching.scoring import (
    FAVOUR_BAND,
    LEARN_CREDIT,
    WEIGHTS,
    Need,
    Person,
    industry_stems,
)
from samspill.matching.types import FactorKey
from samspill.participants.models import WORK_OR_EDUCATION, Participant, ParticipantTerm

TABLE = Participant._meta.db_table
TERM_TABLE = ParticipantTerm._meta.db_table

W = WEIGHTS
# The hours factor is 0.5 for everyone (the profile records no hours).
HOURS_PART = W[FactorKey.HOURS] * 0.5


WORK_MEM = "32MB"


def _fetch_without_jit(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """The rows of `sql` with JIT compilation off for it alone: the planner's estimates of the
    CTEs are high enough to start JIT compilation, which costs more than the query (about
    150 ms). `SET LOCAL` and the query go in one round trip: outside a transaction the two
    statements of one simple query run in one implicit transaction (so it also holds behind
    PgBouncer in transaction mode); inside one, as before, until it ends. Django's psycopg
    cursors bind parameters on the client, so several statements may share one execute.
    `work_mem` for it alone too: a person's common words are held by tens of thousands of
    needs, and their per-need sums spilled to disk at the default 4 MB."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL jit = off; SET LOCAL work_mem = '{WORK_MEM}';\n{sql}", params)
        cursor.nextset()
        cursor.nextset()
        return cursor.fetchall()


def probe_rows(need: Need) -> tuple[list[str], list[str], list[str]]:
    """(key, need stem, kind) rows: a stored profile key that shows the profile meets a stem of
    the need in one way (can, wants to learn, wishes, does not want)."""
    keys: list[str] = []
    stems: list[str] = []
    kinds: list[str] = []

    def add(kind: str, wanted: Iterable[str]) -> None:
        for key, met in sorted(text.probes(kind, wanted).items()):
            for s in sorted(met):
                keys.append(key)
                stems.append(s)
                kinds.append(kind)

    add(text.CAN, need.stems)
    add(text.LEARN, need.stems)
    add(text.WISH, need.stems | need.industry_stems)
    add(text.NOT, need.stems)
    return keys, stems, kinds


def _mentor_case(mentors: int, employer_history: list[tuple[str, str]]) -> tuple[str, list[Any]]:
    """The mentor factor as SQL over the person's need group (scoring._mentor)."""
    base = 0.5 if mentors else 0.0
    by_group: dict[str, list[str]] = {}
    for group, outcome in employer_history:
        by_group.setdefault(group, []).append(outcome)
    if not by_group:
        return "%s::float8", [base]
    whens = []
    params: list[Any] = []
    for group, outcomes in sorted(by_group.items()):
        good = sum(1 for o in outcomes if o in WORK_OR_EDUCATION)
        whens.append("WHEN %s THEN %s::float8")
        params += [group, base + 0.5 * good / len(outcomes)]
    return f"(CASE coalesce(pool.need_group, '') {' '.join(whens)} ELSE %s::float8 END)", [
        *params,
        base,
    ]


def candidate_ids(
    pool_sql: str,
    pool_params: tuple[Any, ...],
    need: Need,
    *,
    mentors: int,
    employer_history: list[tuple[str, str]],
    favour: str,
    shortlist: int,
) -> tuple[list[int], dict[str, int]]:
    """The ids of the best `shortlist` of the pool by the first-stage score, and with `favour`
    also the first of those within the band by the favour's order; and the pool's need groups
    (group -> count), counted in the same statement.

    `pool_sql` selects (id, municipality, need_group, start_date, shared)."""
    keys, stems, kinds = probe_rows(need)
    good = sorted(WORK_OR_EDUCATION)
    mentor_sql, mentor_params = _mentor_case(mentors, employer_history)
    n_stems = len(need.stems)
    skills_sql = (
        f"least(1.0, coalesce(words.skill_num, 0) / {10.0 * n_stems}::float8)" if n_stems else "0.0"
    )
    favour_key = {
        "waited_longest": "start_date ASC NULLS LAST,",
        "fewest_chances": "chances ASC,",
    }.get(favour, "")
    # The band by the first-stage score, a little wider than the full score's (FAVOUR_BAND).
    favour_sql = (
        f"""UNION
(SELECT id FROM scored WHERE score >= (SELECT score FROM best) * {FAVOUR_BAND} - 0.02
 ORDER BY {favour_key} score DESC, id LIMIT %s)"""
        if favour_key
        else ""
    )
    sql = f"""
WITH pool (id, municipality, need_group, start_date, shared) AS ({pool_sql}),
probe AS (
  SELECT * FROM unnest(%s::text[], %s::text[], %s::text[]) AS p(key, stem, kind)
),
-- One index-only lookup per probe key in the posting list: the people who hold it.
hits AS MATERIALIZED (
  SELECT t.participant_id AS id, t.term AS key
  FROM (SELECT DISTINCT key FROM probe) probe_key
  JOIN {TERM_TABLE} t ON t.term = probe_key.key
),
shared_hits AS (
  SELECT hits.id, hits.key FROM hits JOIN pool ON pool.id = hits.id WHERE pool.shared
),
per_stem AS (
  SELECT shared_hits.id, probe.stem,
         bool_or(probe.kind = 'c') AS c, bool_or(probe.kind = 'l') AS l,
         bool_or(probe.kind = 'w') AS w, bool_or(probe.kind = 'n') AS n
  FROM shared_hits JOIN probe ON probe.key = shared_hits.key
  GROUP BY shared_hits.id, probe.stem
),
words AS (
  SELECT per_stem.id,
         sum(CASE WHEN per_stem.c THEN 10 WHEN per_stem.l THEN {round(LEARN_CREDIT * 10)} ELSE 0 END) AS skill_num,
         bool_or(per_stem.n) AS negated,
         bool_or(per_stem.w AND per_stem.stem = ANY(%s::text[])) AS industry,
         -- the person's own words met, counted (as the full score does) on their side: each
         -- wish key held stands for one of their words
         min(wishes.n) AS wish_n
  FROM per_stem LEFT JOIN (
    SELECT id, count(DISTINCT key) AS n FROM shared_hits
    WHERE key LIKE '{text.WISH}%%' GROUP BY id
  ) wishes ON wishes.id = per_stem.id
  GROUP BY per_stem.id
),
placed AS (
  SELECT participant_id AS id, count(*) AS chances,
         count(*) FILTER (WHERE outcome = ANY(%s::text[])) AS good,
         bool_or(employer_id = %s AND (coalesce(cancel_reason, '') <> ''
                 OR (coalesce(outcome, '') <> '' AND NOT outcome = ANY(%s::text[])))) AS badly
  FROM placements_placement
  WHERE locked_at IS NOT NULL AND participant_id IN (SELECT id FROM pool)
  GROUP BY participant_id
),
scored AS (
  SELECT pool.id, pool.start_date, coalesce(placed.chances, 0) AS chances,
    {W[FactorKey.SKILLS]}::float8 * {skills_sql}
    + {W[FactorKey.WISHES]}::float8 * (CASE WHEN coalesce(words.negated, false) THEN 0.0::float8
                                   ELSE least(1.0, coalesce(words.wish_n, 0) / 2.0::float8) END)
    + {W[FactorKey.INDUSTRY]}::float8 * (CASE WHEN coalesce(words.industry, false) THEN 1.0 ELSE 0.0 END)
    + {W[FactorKey.PLACE]}::float8 * (CASE WHEN %s <> '' AND lower(btrim(pool.municipality)) = lower(%s)
                                  THEN 1.0 ELSE 0.0 END)
    + {HOURS_PART}::float8
    + {W[FactorKey.MENTOR]}::float8 * {mentor_sql}
    + {W[FactorKey.HISTORY]}::float8 * (CASE WHEN placed.id IS NULL THEN 0.5
                                    WHEN placed.badly THEN 0.0
                                    ELSE 0.5 + 0.5 * placed.good / placed.chances::float8 END)
    AS score
  FROM pool LEFT JOIN words ON words.id = pool.id LEFT JOIN placed ON placed.id = pool.id
),
best AS (SELECT max(score) AS score FROM scored),
chosen AS (
(SELECT id FROM scored ORDER BY score DESC, id LIMIT %s)
{favour_sql}
)
SELECT id, NULL, NULL FROM chosen
UNION ALL
SELECT NULL, coalesce(need_group, ''), count(*) FROM pool GROUP BY coalesce(need_group, '')
"""
    place = need.municipality.strip()
    params: list[Any] = [
        *pool_params,
        keys,
        stems,
        kinds,
        sorted(need.industry_stems),
        good,
        need.employer_id,
        good,
        place,
        place,
        *mentor_params,
        shortlist,
    ]
    if favour_key:
        # Those near the band's edge by the first stage may fall outside it by the full score:
        # more are fetched by the favour's order, so that enough of the band come back.
        params.append(2 * shortlist)
    rows = _fetch_without_jit(sql, params)
    groups: dict[str, int] = {}
    for _id, group, n in rows:
        if group is not None:
            groups[group] = groups.get(group, 0) + n
    return [row[0] for row in rows if row[0] is not None], groups


NEED_TABLE = "employers_recruitmentneed"
NEED_TERM_TABLE = NeedTerm._meta.db_table  # open needs only
EMPLOYER_TABLE = "employers_employer"


def person_probe_rows(
    person: Person,
) -> tuple[list[str], list[bool], list[bool], list[int], list[bool]]:
    """Per stored need key that meets the person's stems: does it meet what they can, what they
    want to learn, how many of their wishes, and what they do not want."""
    by_key: dict[str, list[Any]] = {}
    if person.shared:
        for i, wanted in enumerate(
            (person.can, person.learn, person.wishes.positive, person.wishes.negative)
        ):
            for key, met in text.probes("", wanted).items():
                row = by_key.setdefault(key, [False, False, 0, False])
                row[i] = len(met) if i == 2 else True
    keys = sorted(by_key)
    return (
        keys,
        [by_key[k][0] for k in keys],
        [by_key[k][1] for k in keys],
        [by_key[k][2] for k in keys],
        [by_key[k][3] for k in keys],
    )


def _industry_counts(person: Person) -> tuple[list[str], list[int]]:
    """Industry codes (sections and divisions) whose names meet the person's wishes, with how
    many of their words they meet."""
    codes: list[str] = []
    counts: list[int] = []
    if not person.shared or not person.wishes.positive:
        return codes, counts
    for industry in (*industries.sections(), *industries.divisions()):
        met = text.overlap(person.wishes.positive, industry_stems(industry.code, ""))
        if met:
            codes.append(industry.code)
            counts.append(len(met))
    return codes, counts


def need_ids(
    employers_sql: str,
    employers_params: tuple[Any, ...],
    person: Person,
    *,
    history: list[tuple[int, str, str]],
    nearby: int,
    by_words: int,
    per_term: int,
    shortlist: int,
) -> list[int]:
    """The ids of the best `shortlist` open needs of the employers `employers_sql` selects (their
    ids) for `person` by the first-stage score: the needs that hold one of the person's words,
    and the first `nearby` in their municipality (those who have not shared their strengths are
    ranked on the place, the employer and their placements alone).

    A bounded retrieval: of each of the person's keys at most `per_term` postings are read
    outside their municipality, those of the highest static score (NeedTerm.static_score: 1 /
    the need's stems) first, then by id; in their municipality every posting is read. A need
    outside it that is not among the first `per_term` of any of its keys is not considered, and
    one among the first of some keys but not others is scored on the keys read."""
    keys, can, learn, wish, negated = person_probe_rows(person)
    codes, counts = _industry_counts(person)
    good = sorted(WORK_OR_EDUCATION)
    ended_well = sum(1 for _e, o, _c in history if o in WORK_OR_EDUCATION)
    history_base = 0.5 + 0.5 * ended_well / len(history) if history else 0.5
    badly = sorted(
        {e for e, o, c in history if c or (o and o not in WORK_OR_EDUCATION)} if history else set()
    )

    # Keys met, summed per need as two packed integers (one aggregate each, not five): what
    # they can and want to learn (cl: can + 65536 * learn) and their wishes and what they do
    # not want (wn: wishes + 65536 * not); a probe has far fewer than 65536 keys.
    def words_sql(hits: str, where: str) -> str:
        return f"""SELECT id, cl & 65535 AS can_n, cl >> 16 AS learn_n, wn & 65535 AS wish_n,
         wn >= 65536 AS negated,
         {W[FactorKey.SKILLS]}::float8 * least(1.0::float8,
           ((cl & 65535) + {LEARN_CREDIT}::float8 * (cl >> 16)) / 4.0::float8)
         + (CASE WHEN wn >= 65536 THEN 0.0::float8
                 ELSE {W[FactorKey.WISHES]}::float8 * least(1.0::float8, (wn & 65535) / 2.0::float8)
            END) AS by_words
  FROM (SELECT id, sum(cl) AS cl, sum(wn) AS wn FROM {hits} {where} GROUP BY id) agg"""

    sql = f"""
WITH probe AS (
  SELECT * FROM unnest(%s::text[], %s::bool[], %s::bool[], %s::int[], %s::bool[])
    AS p(key, c, l, w, n)
),
-- Bounded retrieval: one index-only scan per probe key in the posting list, at most
-- `per_term` of the open needs that hold it, the best by their static score first, with what
-- the key stands for (so the hits are not joined to the probe again).
hits AS MATERIALIZED (
  SELECT t.need_id AS id,
         probe.c::int + 65536 * (probe.l AND NOT probe.c)::int AS cl,
         probe.w + 65536 * probe.n::int AS wn
  FROM probe CROSS JOIN LATERAL (
    SELECT need_id FROM {NEED_TERM_TABLE} WHERE term = probe.key
    ORDER BY static_score DESC, need_id LIMIT %s
  ) t
),
-- The open needs in the person's municipality: its employers (index employer_place), then
-- each one's needs (a nested loop, not a scan of all needs).
local AS MATERIALIZED (
  SELECT t.id, t.employer_id FROM {EMPLOYER_TABLE} e CROSS JOIN LATERAL (
    SELECT n.id, n.employer_id FROM {NEED_TABLE} n WHERE n.employer_id = e.id AND n.is_open
    OFFSET 0  -- kept apart, so it is not planned as a hash join over all needs
  ) t
  WHERE %s <> '' AND lower(btrim(e.municipality)) = lower(%s)
),
-- And every posting of the probe keys in the person's municipality (an index-only scan of
-- (term, place)).
local_hits AS MATERIALIZED (
  SELECT t.need_id AS id,
         probe.c::int + 65536 * (probe.l AND NOT probe.c)::int AS cl,
         probe.w + 65536 * probe.n::int AS wn
  FROM probe JOIN {NEED_TERM_TABLE} t ON t.term = probe.key AND t.place = lower(%s)
  WHERE %s <> ''
),
-- Keys met, by kind (a need stem met twice counts twice here, once in the full score), and
-- the words alone as a score (as if a need had four stems): over the open needs read outside
-- the person's municipality, and over those in it.
all_words AS MATERIALIZED ({words_sql("hits", "WHERE id NOT IN (SELECT id FROM local)")}),
local_words AS MATERIALIZED ({words_sql("local_hits", "")}),
-- The best by the words alone, over all and in the person's municipality, go on to the place,
-- the employer and the need's own length: a common word is held by tens of thousands of
-- needs, and reading each one's length costs more than the rest.
words AS (SELECT * FROM all_words ORDER BY by_words DESC, id LIMIT %s),
words_local AS (SELECT * FROM local_words ORDER BY by_words DESC, id LIMIT %s),
-- And the first in their municipality, those of employers with a mentor first.
near AS (
  SELECT local.id FROM local
  ORDER BY EXISTS (
    SELECT 1 FROM employers_employercontact m
    WHERE m.employer_id = local.employer_id AND m.is_mentor AND m.is_active
  ) DESC, local.id
  LIMIT %s
),
candidates AS (
  SELECT ids.id, ids.can_n, ids.learn_n, ids.wish_n, ids.negated, t.employer_id,
         -- the need's stems: its keys "=<stem>" (matchtext.index_keys)
         greatest(1, (length(t.match_terms) - length(replace(t.match_terms, ' =', ''))) / 2
                    + (t.match_terms LIKE '=%%')::int) AS n_stems
  FROM (
    SELECT * FROM words UNION SELECT * FROM words_local
    UNION SELECT near.id, lw.can_n, lw.learn_n, lw.wish_n, lw.negated, lw.by_words
    FROM near LEFT JOIN local_words lw ON lw.id = near.id
  ) ids
  JOIN {NEED_TABLE} t ON t.id = ids.id
  WHERE t.employer_id IN ({employers_sql})
),
mentors AS (
  SELECT employer_id, count(*) AS n FROM employers_employercontact
  WHERE is_mentor AND is_active AND employer_id IN (SELECT employer_id FROM candidates)
  GROUP BY employer_id
),
same_group AS (
  SELECT pl.employer_id, count(*) AS n, count(*) FILTER (WHERE pl.outcome = ANY(%s::text[])) AS good
  FROM placements_placement pl JOIN {TABLE} pp ON pp.id = pl.participant_id
  WHERE pl.locked_at IS NOT NULL AND pl.cancelled_at IS NULL
    AND coalesce(pp.need_group, '') = %s
    AND pl.employer_id IN (SELECT employer_id FROM candidates)
  GROUP BY pl.employer_id
),
scored AS (
  SELECT c.id,
    {W[FactorKey.SKILLS]}::float8 * least(1.0::float8,
      (coalesce(c.can_n, 0) + {LEARN_CREDIT}::float8 * coalesce(c.learn_n, 0))
      / c.n_stems::float8)
    + {W[FactorKey.WISHES]}::float8 * (CASE WHEN coalesce(c.negated, false) THEN 0.0::float8
        ELSE least(1.0::float8, (coalesce(c.wish_n, 0) + coalesce(ind.n, 0)) / 2.0::float8) END)
    + {W[FactorKey.INDUSTRY]}::float8 * (CASE WHEN ind.n > 0 THEN 1.0 ELSE 0.0 END)
    + {W[FactorKey.PLACE]}::float8 * (CASE WHEN %s <> '' AND lower(btrim(e.municipality)) = lower(%s)
                                  THEN 1.0 ELSE 0.0 END)
    + {HOURS_PART}::float8
    + {W[FactorKey.MENTOR]}::float8 * ((CASE WHEN mentors.n > 0 THEN 0.5 ELSE 0.0 END)
        + (CASE WHEN same_group.n > 0 THEN 0.5 * same_group.good / same_group.n::float8 ELSE 0.0 END))
    + {W[FactorKey.HISTORY]}::float8 * (CASE WHEN c.employer_id = ANY(%s::bigint[]) THEN 0.0
                                            ELSE %s::float8 END)
    AS score
  FROM candidates c JOIN {EMPLOYER_TABLE} e ON e.id = c.employer_id
  LEFT JOIN mentors ON mentors.employer_id = c.employer_id
  LEFT JOIN same_group ON same_group.employer_id = c.employer_id
  LEFT JOIN LATERAL (
    SELECT greatest(max(n) FILTER (WHERE code = e.nace_division),
                    max(n) FILTER (WHERE code = e.nace_section)) AS n
    FROM unnest(%s::text[], %s::int[]) AS i(code, n)
  ) ind ON true
)
SELECT id FROM scored ORDER BY score DESC, id LIMIT %s
"""
    place = person.municipality.strip()
    params: list[Any] = [
        keys,
        can,
        learn,
        wish,
        negated,
        per_term,
        place,
        place,
        place,
        place,
        by_words,
        by_words,
        nearby,
        *employers_params,
        good,
        person.need_group,
        place,
        place,
        badly,
        history_base,
        codes,
        counts,
        shortlist,
    ]
    return [row[0] for row in _fetch_without_jit(sql, params)]
