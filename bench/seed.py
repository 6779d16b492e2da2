"""Seed the bench database with N participants (default 1,000,000).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/samspill_bench \\
        .venv/bin/python -m bench.seed [--participants N] [--plan-share 1.0] [--reset]

The database is migrated first. Every row is made inside PostgreSQL with
INSERT ... SELECT over generate_series (no ORM, no per-row round trips), from one temporary table
that decides, per participant, the organisation, counselor, team, dates and names with a
deterministic hash of the id: two runs with the same N give the same data (dates are relative to
the day of the run).

Shape (for N = 1,000,000):
- one big organisation with 60 % of the participants (600,000), 40 teams and one counselor per
  400 participants (1,500 counselors), its counselors see their team's participants;
- the other 40 % in organisations of 20,000 (20 of them), one counselor per 400, a team per 25
  counselors;
- a leader per organisation;
- 85 % of participants in an open follow-up period; 15 % ended (no counselor, no team);
  20 % of the active ones have an earlier, ended period; 10 % changed counselor in the current
  period (so the assignment history has 1-3 rows per participant);
- for a share of participants (--plan-share, default all): 3 notes, 2 activities and 1 goal;
- one "heavy" participant (the first counselor's first participant) with 400 more notes,
  200 more activities and 8 more goals, to show that the participant page does not grow with
  the record.

Nothing is disabled: constraints, foreign keys and indexes stay as the migrations made them.
The run ends with VACUUM (ANALYZE) so that the planner statistics and visibility map look like a
database autovacuum has visited.
"""

import argparse
import datetime
import re
import time
from dataclasses import dataclass
from typing import Any

from bench import env

# Most common first: family names are drawn with a skew towards the front of the list.
FAMILY = [
    "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen",
    "Jensen", "Karlsen", "Johnsen", "Pettersen", "Eriksen", "Berg", "Haugen", "Hagen",
    "Johannessen", "Andreassen", "Jacobsen", "Dahl", "Jørgensen", "Halvorsen", "Henriksen",
    "Lund", "Sørensen", "Jakobsen", "Moen", "Gundersen", "Iversen", "Strand", "Solberg",
    "Svendsen", "Eide", "Knutsen", "Martinsen", "Paulsen", "Bakken", "Kristoffersen", "Mathisen",
    "Lie", "Amundsen", "Nguyen", "Rasmussen", "Ali", "Lunde", "Solheim", "Berntsen", "Moe",
    "Kristensen", "Bakke", "Ahmed", "Mohamed", "Hussain", "Khan", "Nielsen", "Christensen",
    "Poulsen", "Madsen", "Thomsen", "Ødegård", "Åsheim", "Haug", "Hauge", "Hammer", "Holm",
    "Fredriksen", "Sandvik", "Ruud", "Aas", "Myhre", "Berge", "Hovland", "Tangen", "Nygård",
    "Bøe", "Wold", "Brekke", "Vik", "Mikkelsen", "Ellingsen", "Lien", "Aasen", "Dalen",
    "Gulbrandsen", "Sæther", "Engen", "Kvamme", "Foss", "Rønning", "Abdi", "Yusuf", "Hassan",
    "Kowalski", "Nowak", "Shevchenko", "Tesfay", "Haile", "Rahimi", "Karimi", "Wiśniewski",
    "Ødegaard", "Østby", "Ånonsen", "Ziegler", "Quist", "Xu", "Yilmaz", "Ibrahim", "Osman",
    "Gebre", "Bondarenko", "Lindqvist", "Granli", "Fjeld", "Urdal", "Vestby", "Tveit",
]  # fmt: skip
GIVEN = [
    "Emma", "Nora", "Sofie", "Ingrid", "Sara", "Maja", "Ella", "Thea", "Amalie", "Ida",
    "Jonas", "Lukas", "Emil", "Filip", "Oskar", "Henrik", "Magnus", "Aksel", "Sander", "Mathias",
    "Ahmed", "Amina", "Yonas", "Olena", "Mariam", "Jakub", "Leah", "Kasper", "Aurora", "Tobias",
    "Hanna", "Hassan", "Halvor", "Hege", "Harald", "Helene", "Hamza", "Hawa", "Øyvind", "Åse",
    "Kari", "Ola", "Per", "Anne", "Lars", "Liv", "Nils", "Marit", "Knut", "Randi", "Ali",
    "Fatima", "Abdi", "Hodan", "Mohammed", "Zainab", "Tesfay", "Selam", "Oksana", "Andrii",
    "Piotr", "Agnieszka", "Reza", "Shirin", "Mette", "Søren", "Frederik", "Freja", "Mads",
    "Camilla", "Victoria", "William", "Noah", "Olivia", "Elias", "Jakob", "Isak", "Live",
    "Vilde", "Julie",
]  # fmt: skip
MUNICIPALITIES = ["Oslo", "Bergen", "Trondheim", "Stavanger", "Drammen", "Kristiansand",
                  "Tromsø", "Bærum", "Fredrikstad", "Sandnes", "Aarhus", "Odense"]  # fmt: skip
LANGUAGES = ["nb", "nb", "nb", "nb", "nb", "nn", "ar", "so", "ti", "uk", "pl", "fa", "en", "da"]
NEED_GROUPS = ["", "good_prospects", "needs_guidance", "reduced_capacity", "partial_work",
               "little_prospect"]  # fmt: skip
DREAMS = ["Jobbe i barnehage", "Bli kokk", "Kjøre lastebil", "Jobbe med dyr",
          "Fast jobb i butikk", "Bli elektriker", "Jobbe på lager", "Ta fagbrev som tømrer"]  # fmt: skip
NOTE_TEXT = [
    "Samtale om arbeidsutprøving. Deltakeren er motivert og ønsker å prøve seg i butikk.",
    "Ringte for å avtale møte med arbeidsgiver neste uke. Deltakeren hadde spørsmål om turnus.",
    "Møte med arbeidsgiver og mentor. Gode tilbakemeldinger på oppmøte og samarbeid.",
    "Snakket om helse og tilrettelegging. Avtalt kortere dager de første to ukene.",
    "Oppfølging etter første uke i praksis. Litt sliten, men fornøyd med arbeidsoppgavene.",
]
ACTIVITY_KINDS = ["job_search", "work_training", "education", "health", "meeting",
                  "own_activity", "employer_contact", "follow_up"]  # fmt: skip
ACTIVITY_TITLES = ["Søke tre stillinger", "Arbeidsutprøving på lager", "Kurs i truckførerbevis",
                   "Time hos fastlege", "Møte med NAV-veileder", "CV-verksted",
                   "Besøk hos arbeidsgiver", "Oppfølgingssamtale"]  # fmt: skip
END_REASONS = ["ordinary_work", "education", "apprenticeship", "other_next_step",
               "transferred", "moved", "withdrew", "other"]  # fmt: skip

HEAVY_NOTES = 400
HEAVY_ACTIVITIES = 200
HEAVY_GOALS = 8


@dataclass
class OrgPlan:
    id: int
    name: str
    kind: str
    country: str
    team_sees_team: bool
    participants: int
    counselors: int
    teams: int
    offset: int  # participants of this organisation have ids offset+1 .. offset+participants
    first_team: int
    leader: int  # user id
    first_counselor: int  # user id


def plan_organisations(n: int, *, big_share: float, small_size: int) -> list[OrgPlan]:
    """The big organisation first, then organisations of `small_size` until N is reached."""
    sizes = [round(n * big_share)]
    rest = n - sizes[0]
    while rest > 0:
        sizes.append(min(small_size, rest))
        rest -= sizes[-1]
    plans = []
    offset, team, user = 0, 0, 0
    kinds = [("nav_office", "NO"), ("municipality", "NO"), ("jobcenter", "DK")]
    for i, size in enumerate(sizes):
        counselors = max(1, round(size / 400))
        if i == 0:
            teams = max(1, min(counselors, round(40 * n / 1_000_000)))
            kind, country, name = "inclusion_company", "NO", "Stor Inkludering AS"
        else:
            teams = max(1, counselors // 25)
            kind, country = kinds[i % len(kinds)]
            name = f"Bench-organisasjon {i:02d}"
        plans.append(
            OrgPlan(
                id=i + 1,
                name=name,
                kind=kind,
                country=country,
                team_sees_team=i % 2 == 0,
                participants=size,
                counselors=counselors,
                teams=teams,
                offset=offset,
                first_team=team + 1,
                leader=user + 1,
                first_counselor=user + 2,
            )
        )
        offset += size
        team += teams
        user += 1 + counselors
    return plans


# One row per participant: every later INSERT is a projection of this table.
SOURCE_TABLE = """
CREATE TEMP TABLE bench_src (
    id bigint PRIMARY KEY, org bigint, leader bigint, counselor bigint, prev_counselor bigint,
    team bigint, active boolean, two_periods boolean, changed boolean, has_plan boolean,
    given text, family text, birth date, start_date date, end_date date, end_reason text,
    switch_date date, last_contact date, next_fu date, u bigint
)
"""

SOURCE_ROWS_TEMPLATE = """
INSERT INTO bench_src
SELECT id, org, leader, counselor, prev_counselor, team, active, two_periods, changed, has_plan,
       given, family, birth, start_date, end_date, end_reason,
       CASE WHEN changed THEN start_date + (%(today)s::date - start_date) / 2 END,
       CASE
           WHEN NOT active THEN end_date - mod(u11, 30)::int
           WHEN mod(u10, 100) < 5 THEN NULL
           ELSE GREATEST(start_date, %(today)s::date - CASE WHEN mod(u11, 100) < 70
                THEN (mod(u11, 100) * 30 / 70)::int ELSE (30 + (mod(u11, 100) - 70) * 4)::int END)
       END,
       CASE WHEN active AND mod(u12, 100) >= 10
            THEN %(today)s::date + (mod(u13, 60) - 14)::int END,
       u11
FROM (
    SELECT *,
           CASE WHEN active THEN NULL
                ELSE start_date + (30 + mod(u4, 360))::int END AS end_date,
           CASE WHEN active THEN NULL
                ELSE (%(end_reasons)s::text[])[1 + mod(u4, %(n_end_reasons)s)] END AS end_reason
    FROM (
        SELECT id,
               %(org)s::bigint AS org,
               %(leader)s::bigint AS leader,
               %(first_counselor)s + mod(j, %(counselors)s) AS counselor,
               %(first_counselor)s + mod(j + 1, %(counselors)s) AS prev_counselor,
               %(first_team)s + mod(mod(j, %(counselors)s), %(teams)s) AS team,
               active,
               active AND mod(u3, 5) = 0 AS two_periods,
               active AND mod(u5, 10) = 0 AS changed,
               mod(u9, 1000) < %(plan_permille)s AS has_plan,
               (%(given)s::text[])[1 + mod(u6, %(n_given)s)] AS given,
               (%(family)s::text[])[1 + floor(%(n_family)s * power(u7 / 2147483648.0, 1.5))::int]
                   AS family,
               date '1958-01-01' + mod(u8, 16000)::int AS birth,
               CASE WHEN active THEN %(today)s::date - (14 + mod(u2, 700))::int
                    ELSE %(today)s::date - (400 + mod(u2, 900))::int END AS start_date,
               u4, u10, u11, u12, u13
        FROM (
            SELECT id, j, mod(h1, 100) < 85 AS active, {hashes}
            FROM (SELECT %(offset)s + j + 1 AS id, j
                  FROM generate_series(0, %(participants)s - 1) AS j) AS g
        ) AS hashed
    ) AS decided
) AS dated
"""
# u2 .. u13: deterministic hashes of (id, stream) in 0 .. 2^31-1; h1 decides "active".
SOURCE_ROWS = SOURCE_ROWS_TEMPLATE.replace(
    "{hashes}",
    ", ".join(f"hashint8extended(id, {k}) & 2147483647 AS u{k}" for k in range(2, 14)),
).replace("mod(h1, 100)", "mod(hashint8extended(id, 1) & 2147483647, 100)")


PARTICIPANTS = """
INSERT INTO participants_participant (
    id, organisation_id, given_name, family_name, national_id, national_id_kind, birth_date,
    phone, phone_digits, email, address, postal_code, municipality, preferred_language,
    need_group, dreams, who_i_am, what_i_can, want_to_learn, interests, needs,
    counselor_id, team_id, active_period_id, last_contact_on, next_follow_up_on,
    external_key, created_at, updated_at{cols})
SELECT id, org, given, family, lpad(id::text, 11, '0'), 'fnr', birth,
       -- 8 digits, written without spaces: the phone's digits (core/phone.py) are the same.
       '9' || lpad(mod(id * 7919, 10000000)::text, 7, '0'),
       '9' || lpad(mod(id * 7919, 10000000)::text, 7, '0'),
       lower(given) || '.' || id || '@example.invalid',
       'Storgata ' || (1 + mod(id, 200)), lpad((1000 + mod(id, 9000))::text, 4, '0'),
       (%(municipalities)s::text[])[1 + mod(u, %(n_municipalities)s)],
       (%(languages)s::text[])[1 + mod(u / 7, %(n_languages)s)],
       (%(need_groups)s::text[])[1 + mod(u / 11, %(n_need_groups)s)],
       (%(dreams)s::text[])[1 + mod(u / 13, %(n_dreams)s)],
       'Rolig og pliktoppfyllende, liker å jobbe med hendene.',
       'Møter presis, god med kunder.', 'Norsk muntlig og skriftlig, førerkort klasse B.',
       'Fotball, matlaging og friluftsliv.',
       CASE WHEN mod(u, 4) = 0 THEN 'Trenger korte arbeidsdager i starten.' ELSE '' END,
       CASE WHEN active THEN counselor END, CASE WHEN active THEN team END,
       CASE WHEN active THEN id END, last_contact, next_fu,
       '', start_date::timestamptz, now(){vals}
FROM bench_src
ORDER BY id
"""

PERIODS = """
INSERT INTO participants_followupperiod
    (id, participant_id, start_date, end_date, end_reason, external_key{cols})
SELECT id, id, start_date, end_date, coalesce(end_reason, ''), ''{vals} FROM bench_src
UNION ALL
SELECT %(n)s + id, id, start_date - (600 + mod(u, 200))::int,
       start_date - (420 + mod(u, 200))::int, 'withdrew', ''{vals}
FROM bench_src WHERE two_periods
"""

ASSIGNMENTS = """
INSERT INTO participants_counselorassignment (id, period_id, participant_id, counselor_id,
    started_at, ended_at, assigned_by_id, reason, reason_text, handover_note, seen_at{cols})
SELECT id, id, id, counselor,
       (coalesce(switch_date, start_date) + time '09:00')::timestamptz,
       CASE WHEN NOT active THEN (end_date + time '15:00')::timestamptz END,
       leader, CASE WHEN changed THEN 'caseload_balancing' ELSE 'initial' END, '', '',
       (coalesce(switch_date, start_date) + time '10:00')::timestamptz{vals}
FROM bench_src
UNION ALL
SELECT %(n)s + id, id, id, prev_counselor, (start_date + time '09:00')::timestamptz,
       (switch_date + time '09:00')::timestamptz, leader, 'initial', '',
       'Overført ved fordeling av saker. Deltakeren er orientert.',
       (start_date + time '10:00')::timestamptz{vals}
FROM bench_src WHERE changed
UNION ALL
SELECT 2 * %(n)s + id, %(n)s + id, id, prev_counselor,
       (start_date - (600 + mod(u, 200))::int + time '09:00')::timestamptz,
       (start_date - (420 + mod(u, 200))::int + time '15:00')::timestamptz,
       leader, 'initial', '', '',
       (start_date - (600 + mod(u, 200))::int + time '10:00')::timestamptz{vals}
FROM bench_src WHERE two_periods
"""

# Contact notes (conversation, phone, meeting) end on last_contact_on, as the note service
# would have left it; a participant never contacted has only "other" notes.
NOTES = """
INSERT INTO plans_note (participant_id, period_id, author_id, kind, occurred_on, text, created_at{cols})
SELECT id, id, counselor,
       CASE WHEN last_contact IS NULL THEN 'other'
            ELSE (ARRAY['conversation', 'phone', 'meeting'])[k + 1] END,
       coalesce(last_contact, start_date + 3) - 21 * k,
       (%(note_text)s::text[])[1 + mod(u + k, %(n_note_text)s)],
       (coalesce(last_contact, start_date + 3) - 21 * k + time '15:00')::timestamptz{vals}
FROM bench_src CROSS JOIN generate_series(0, 2) AS k
WHERE has_plan
"""

GOALS = """
INSERT INTO plans_goal (id, participant_id, period_id, title, description, target_date, status,
                        created_by_id, created_at{cols})
SELECT id, id, id, 'Komme i ordinært arbeid', 'Deltakerens eget mål.',
       coalesce(end_date, %(today)s::date + 90 + mod(u, 200)::int),
       CASE WHEN active THEN 'active' WHEN mod(u, 2) = 0 THEN 'reached' ELSE 'dropped' END,
       counselor, (start_date + time '10:00')::timestamptz{vals}
FROM bench_src
WHERE has_plan
"""

ACTIVITIES = """
INSERT INTO plans_activity (participant_id, period_id, goal_id, employer_id, kind, title,
    description, due_date, status, created_by_id, created_at, updated_at{cols})
SELECT id, id, CASE WHEN k = 0 THEN id END, NULL,
       (%(activity_kinds)s::text[])[1 + mod(u + k, %(n_activity_kinds)s)],
       (%(activity_titles)s::text[])[1 + mod(u / 3 + k, %(n_activity_titles)s)], '',
       CASE WHEN k = 1 THEN start_date + (7 + mod(u, 20))::int
            WHEN active THEN %(today)s::date + (mod(u, 45) - 5)::int
            ELSE end_date - 5 END,
       CASE WHEN k = 1 THEN 'done' WHEN NOT active THEN 'cancelled'
            WHEN mod(u, 3) = 0 THEN 'in_progress' ELSE 'planned' END,
       counselor, (start_date + time '10:00')::timestamptz, now(){vals}
FROM bench_src CROSS JOIN generate_series(0, 1) AS k
WHERE has_plan
"""

HEAVY_NOTES_SQL = """
INSERT INTO plans_note (participant_id, period_id, author_id, kind, occurred_on, text, created_at{cols})
SELECT %(pid)s, %(pid)s, %(counselor)s, 'other', %(before)s::date - 30 - k,
       (%(note_text)s::text[])[1 + mod(k, %(n_note_text)s)],
       (%(before)s::date - 30 - k + time '12:00')::timestamptz{vals}
FROM generate_series(0, %(notes)s - 1) AS k
"""

HEAVY_GOALS_SQL = """
INSERT INTO plans_goal (participant_id, period_id, title, description, target_date, status,
                        created_by_id, created_at{cols})
SELECT %(pid)s, %(pid)s, 'Delmål ' || (k + 1), '', %(today)s::date + 30 * k,
       (ARRAY['active', 'reached', 'dropped'])[1 + mod(k, 3)], %(counselor)s, now(){vals}
FROM generate_series(0, %(goals)s - 1) AS k
"""

HEAVY_ACTIVITIES_SQL = """
INSERT INTO plans_activity (participant_id, period_id, goal_id, employer_id, kind, title,
    description, due_date, status, created_by_id, created_at, updated_at{cols})
SELECT %(pid)s, %(pid)s, NULL, NULL,
       (%(activity_kinds)s::text[])[1 + mod(k, %(n_activity_kinds)s)],
       (%(activity_titles)s::text[])[1 + mod(k, %(n_activity_titles)s)], '',
       %(today)s::date - 2 * k + 30, CASE WHEN k > 15 THEN 'done' ELSE 'planned' END,
       %(counselor)s, now(), now(){vals}
FROM generate_series(0, %(activities)s - 1) AS k
"""

APP_TABLES = [
    "organisations_organisation",
    "organisations_team",
    "organisations_membership",
    "accounts_user",
    "participants_participant",
    "participants_followupperiod",
    "participants_counselorassignment",
    "participants_consentrecord",
    "plans_note",
    "plans_goal",
    "plans_activity",
    "audit_accesslog",
    "audit_auditevent",
    "employers_employer",
    "django_session",
]
EXPLICIT_ID_TABLES = [
    "organisations_organisation",
    "organisations_team",
    "accounts_user",
    "participants_participant",
    "participants_followupperiod",
    "participants_counselorassignment",
    "plans_goal",
]


INSERT_COLUMNS = re.compile(r"INSERT INTO (\w+)\s*\(([^)]*)\{cols\}\)")


def complete(statement: str) -> tuple[str, dict[str, Any]]:
    """Fill the `{cols}`/`{vals}` markers with every column the statement leaves out.

    Other work adds fields to these models all the time; a column the seed does not know gets
    the model field's default (as the ORM would), so the seed keeps working.
    """
    from django.apps import apps
    from django.db import connection
    from django.utils import timezone

    match = INSERT_COLUMNS.search(statement)
    assert match, statement
    table, listed = match.group(1), {c.strip() for c in match.group(2).split(",")}
    model = next(m for m in apps.get_models() if m._meta.db_table == table)
    columns, params = [], {}
    for field in model._meta.concrete_fields:
        if field.column in listed or field.primary_key:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = timezone.now()
        else:
            value = field.get_default()
        # Typed: a NULL in the first branch of a UNION ALL would otherwise be text.
        columns.append((field.column, field.cast_db_type(connection)))
        params[f"default_{field.column}"] = field.get_db_prep_save(value, connection)
    cols = "".join(f", {c}" for c, _type in columns)
    vals = "".join(f", %(default_{c})s::{db_type}" for c, db_type in columns)
    return statement.replace("{cols}", cols).replace("{vals}", vals), params


def lists() -> dict[str, Any]:
    """The word lists as array parameters, with their lengths."""
    named = {
        "given": GIVEN,
        "family": FAMILY,
        "municipalities": MUNICIPALITIES,
        "languages": LANGUAGES,
        "need_groups": NEED_GROUPS,
        "dreams": DREAMS,
        "note_text": NOTE_TEXT,
        "activity_kinds": ACTIVITY_KINDS,
        "activity_titles": ACTIVITY_TITLES,
        "end_reasons": END_REASONS,
    }
    params: dict[str, Any] = dict(named)
    params.update({f"n_{key}": len(value) for key, value in named.items()})
    return params


class Steps:
    """Run and time the seeding steps."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.timings: list[tuple[str, float]] = []

    def run(self, label: str, fn: Any) -> Any:
        t0 = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - t0
        self.timings.append((label, elapsed))
        print(f"  {label:<44} {elapsed:8.1f} s", flush=True)
        return result

    @property
    def total(self) -> float:
        return time.perf_counter() - self.started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=1_000_000)
    parser.add_argument(
        "--plan-share",
        type=float,
        default=1.0,
        help="share of participants with 3 notes, 2 activities and 1 goal (0-1; default 1)",
    )
    parser.add_argument("--big-share", type=float, default=0.6)
    parser.add_argument("--small-size", type=int, default=20_000)
    parser.add_argument(
        "--reset", action="store_true", help="empty the Samspill tables first (bench db only!)"
    )
    args = parser.parse_args()
    url = env.setup()

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    n = args.participants
    orgs = plan_organisations(n, big_share=args.big_share, small_size=args.small_size)
    today = timezone.localdate()
    common = lists() | {"today": today, "n": n}
    print(f"Seeding {url} with {n:,} participants in {len(orgs)} organisations", flush=True)
    steps = Steps()
    steps.run("migrate", lambda: call_command("migrate", verbosity=0, interactive=False))

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM participants_participant")
        existing = cursor.fetchone()[0]
        if existing and not args.reset:
            raise SystemExit(
                f"The database already holds {existing:,} participants; pass --reset to empty it."
            )
        if args.reset:
            steps.run(
                "truncate",
                lambda: cursor.execute(
                    f"TRUNCATE {', '.join(APP_TABLES)} RESTART IDENTITY CASCADE"
                ),
            )

    def staff() -> None:
        # A few thousand rows: the ORM is fast enough and fills every field's default.
        from samspill.accounts.models import User
        from samspill.organisations.models import Membership, Organisation, Team

        with transaction.atomic():
            Organisation.objects.bulk_create(
                Organisation(
                    id=o.id,
                    name=o.name,
                    kind=o.kind,
                    country=o.country,
                    team_sees_team_participants=o.team_sees_team,
                )
                for o in orgs
            )
            Team.objects.bulk_create(
                Team(id=o.first_team + t, organisation_id=o.id, name=f"Team {t + 1:02d}")
                for o in orgs
                for t in range(o.teams)
            )
            users, memberships = [], []
            for o in orgs:
                users.append(
                    User(
                        id=o.leader,
                        email=f"leader@org{o.id}.bench.invalid",
                        full_name=f"Leder {o.id}",
                        password="!bench",
                    )
                )
                memberships.append(
                    Membership(user_id=o.leader, organisation_id=o.id, role="leader")
                )
                for c in range(o.counselors):
                    users.append(
                        User(
                            id=o.first_counselor + c,
                            email=f"counselor{c + 1:04d}@org{o.id}.bench.invalid",
                            full_name=f"{GIVEN[c % len(GIVEN)]} Veileder{c + 1}",
                            password="!bench",
                        )
                    )
                    memberships.append(
                        Membership(
                            user_id=o.first_counselor + c,
                            organisation_id=o.id,
                            team_id=o.first_team + c % o.teams,
                            role="counselor",
                        )
                    )
            User.objects.bulk_create(users, batch_size=2000)
            Membership.objects.bulk_create(memberships, batch_size=2000)

    def source() -> None:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_src")
            cursor.execute(SOURCE_TABLE)
            for org in orgs:
                params = common | vars(org) | {"org": org.id}
                params["plan_permille"] = round(args.plan_share * 1000)
                cursor.execute(SOURCE_ROWS, params)
            cursor.execute("ANALYZE bench_src")

    def sql(*statements: str, **extra: Any) -> Any:
        def run() -> None:
            with transaction.atomic(), connection.cursor() as cursor:
                for statement in statements:
                    text, defaults = complete(statement)
                    cursor.execute(text, common | defaults | extra)

        return run

    # The participant points at its open period and the period at the participant: both in
    # one transaction, where the deferred foreign keys are checked at commit.
    records = sql(PARTICIPANTS, PERIODS)

    def heavy() -> int:
        big = orgs[0]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT min(id) FROM bench_src WHERE counselor = %s AND active AND has_plan",
                [big.first_counselor],
            )
            pid = cursor.fetchone()[0]
            cursor.execute("SELECT last_contact FROM bench_src WHERE id = %s", [pid])
            before = cursor.fetchone()[0] or today
            cursor.execute(
                "UPDATE participants_participant SET external_key = 'bench:heavy' WHERE id = %s",
                [pid],
            )
            params = common | {
                "pid": pid,
                "counselor": big.first_counselor,
                "before": before,
                "notes": HEAVY_NOTES,
                "goals": HEAVY_GOALS,
                "activities": HEAVY_ACTIVITIES,
            }
            for statement in (HEAVY_NOTES_SQL, HEAVY_GOALS_SQL, HEAVY_ACTIVITIES_SQL):
                text, defaults = complete(statement)
                cursor.execute(text, params | defaults)
        return int(pid)

    def sequences() -> None:
        with connection.cursor() as cursor:
            for table in EXPLICIT_ID_TABLES:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
                )

    def vacuum() -> None:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_src")
            for table in APP_TABLES:
                cursor.execute(f"VACUUM (ANALYZE) {table}")

    steps.run("organisations, teams, staff", staff)
    steps.run("decide participants (temp table)", source)
    steps.run("participants + follow-up periods", records)
    steps.run("counselor assignments", sql(ASSIGNMENTS))
    steps.run("notes (3 per participant with a plan)", sql(NOTES))
    steps.run("goals (1 per participant with a plan)", sql(GOALS))
    steps.run("sequences", sequences)
    steps.run("activities (2 per participant with a plan)", sql(ACTIVITIES))
    pid = steps.run("heavy participant", heavy)
    steps.run("VACUUM (ANALYZE)", vacuum)

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
        counts = {}
        for table in (
            "participants_participant",
            "participants_followupperiod",
            "participants_counselorassignment",
            "plans_note",
            "plans_activity",
            "plans_goal",
            "accounts_user",
        ):
            cursor.execute(f"SELECT reltuples::bigint FROM pg_class WHERE relname = '{table}'")
            counts[table] = cursor.fetchone()[0]
    print(f"Seeded in {steps.total:.0f} s ({datetime.timedelta(seconds=round(steps.total))}).")
    print(f"Heavy participant: {pid}. Database size: {size}.")
    for table, count in counts.items():
        print(f"  {table:<36} ~{count:>12,} rows")


if __name__ == "__main__":
    main()
