"""The first stage of a list on PostgreSQL: every candidate scored in the database from the
stored terms (`match_terms`), the place, the mentoring and the person's placements, so that only
the best few hundred come back to be scored in full in Python (scoring.py).

The first-stage score follows the full score factor by factor (scoring.WEIGHTS); it counts the
need's stems met where the full score counts the person's own words met for the wishes, so it
can differ a little: the shortlist is therefore several times longer than the list shown, and
the final order is always the full score's (tests/test_stages.py compares the two).

SQLite has no arrays: the engine scores the whole pool in Python there (the same answer, slower).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction

from samspill.core import matchtext as text
from samspill.matching.scoring import FAVOUR_BAND, LEARN_CREDIT, WEIGHTS, Need
from samspill.matching.types import FactorKey
from samspill.participants.models import WORK_OR_EDUCATION, Participant

TABLE = Participant._meta.db_table

W = WEIGHTS
# The hours factor is 0.5 for everyone (the profile records no hours).
HOURS_PART = W[FactorKey.HOURS] * 0.5


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
) -> list[int]:
    """The ids of the best `shortlist` of the pool by the first-stage score, and with `favour`
    also the first `shortlist` of those within the band by the favour's order.

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
(SELECT id FROM scored WHERE score >= (SELECT score FROM best) * {FAVOUR_BAND} - 0.05
 ORDER BY {favour_key} score DESC, id LIMIT %s)"""
        if favour_key
        else ""
    )
    sql = f"""
WITH pool (id, municipality, need_group, start_date, shared) AS ({pool_sql}),
probe AS (
  SELECT * FROM unnest(%s::text[], %s::text[], %s::text[]) AS p(key, stem, kind)
),
-- One lookup per probe key in the GIN index on the stored terms: the people who hold it.
hits AS MATERIALIZED (
  SELECT hit.id, probe_key.key
  FROM (SELECT DISTINCT key FROM probe) probe_key CROSS JOIN LATERAL (
    SELECT t.id FROM {TABLE} t
    WHERE string_to_array(t.match_terms, ' ') && ARRAY[probe_key.key]
  ) hit
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
best AS (SELECT max(score) AS score FROM scored)
(SELECT id FROM scored ORDER BY score DESC, id LIMIT %s)
{favour_sql}
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
        params.append(shortlist)
    with transaction.atomic(), connection.cursor() as cursor:
        # The planner's estimates of the CTEs are high enough to start JIT compilation, which
        # costs more than the query (about 150 ms): off for this one statement.
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]
