"""Seed 100,000 employers into the bench database and measure the employer pages.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/samspill_bench \\
        .venv/bin/python -m bench.employers [--employers 100000] [--runs 10]

Run after `bench.seed` (it needs its organisations and staff). The database is migrated first.
Employers go to the big organisation (id 1), made inside PostgreSQL with INSERT ... SELECT:
names from a word list and a number, 40 municipalities, the industry divisions of the code list,
every pipeline stage, and an open recruitment need for every fifth employer. Then the list (with
search and every filter), the pipeline board and an employer page are measured through Django's
test client, like bench.caseload (median, p95, query counts, seq scans, slowest plan).
"""

import argparse
import time
from pathlib import Path

from bench import env

TARGET_MS = 100
WORDS = [
    "Bakeri",
    "Verksted",
    "Frisør",
    "Bygg",
    "Kafé",
    "Lager",
    "Barnehage",
    "Transport",
    "Hotell",
    "Rørlegger",
    "Elektro",
    "Maling",
    "Regnskap",
    "Data",
    "Butikk",
    "Gartneri",
    "Fisk",
    "Marina",
    "Sykehjem",
    "Renhold",
    "Snekker",
    "Blomster",
    "Sport",
    "Møbel",
    "Bok",
    "Optiker",
    "Apotek",
    "Restaurant",
    "Catering",
    "Vaskeri",
    "Trykkeri",
    "Auto",
    "Dekk",
    "Glass",
    "Takst",
    "Eiendom",
    "Åsane",
    "Øvre",
    "Haugland",
    "Fjord",
]
MUNICIPALITIES = [
    "Oslo",
    "Bergen",
    "Trondheim",
    "Stavanger",
    "Kristiansand",
    "Drammen",
    "Fredrikstad",
    "Sandnes",
    "Tromsø",
    "Sarpsborg",
    "Skien",
    "Bodø",
    "Ålesund",
    "Sandefjord",
    "Larvik",
    "Tønsberg",
    "Arendal",
    "Haugesund",
    "Porsgrunn",
    "Askøy",
    "Moss",
    "Halden",
    "Harstad",
    "Molde",
    "Lillehammer",
    "Gjøvik",
    "Hamar",
    "Kongsberg",
    "Steinkjer",
    "Narvik",
    "Alta",
    "Elverum",
    "Øygarden",
    "Bjørnafjorden",
    "Asker",
    "Bærum",
    "Lørenskog",
    "Ullensaker",
    "Nordre Follo",
    "Lillestrøm",
]


def seed(count: int) -> float:
    from django.db import connection

    from samspill.employers import industries

    divisions = [(d.code, d.parent or "") for d in industries.divisions()]
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM employers_employer WHERE organisation_id = 1")
        have = cursor.fetchone()[0]
        cursor.execute(
            "SELECT u.id FROM accounts_user u JOIN organisations_membership m ON m.user_id = u.id "
            "WHERE m.organisation_id = 1 AND m.role = 'counselor' ORDER BY u.id"
        )
        staff = [row[0] for row in cursor.fetchall()]
        if have < count:
            cursor.execute(
                """
                INSERT INTO employers_employer (
                    organisation_id, name, org_number, nace_division, nace_section, size_band,
                    street_address, postcode, municipality, website, public_services_experience,
                    contact_person_id, stage, next_step, next_step_on, external_key, created_at,
                    updated_at)
                SELECT 1,
                    (%(words)s::text[])[1 + (i * 7) %% array_length(%(words)s::text[], 1)] || ' '
                        || (%(words)s::text[])[1 + (i * 13) %% array_length(%(words)s::text[], 1)] || ' ' || i || ' AS',
                    lpad((800000000 + i)::text, 9, '0'),
                    (%(divisions)s::text[])[1 + (i * 3) %% array_length(%(divisions)s::text[], 1)],
                    (%(sections)s::text[])[1 + (i * 3) %% array_length(%(sections)s::text[], 1)],
                    '', '', '',
                    (%(places)s::text[])[1 + (i * 11) %% array_length(%(places)s::text[], 1)],
                    '', '',
                    (%(staff)s::bigint[])[1 + (i * 17) %% array_length(%(staff)s::bigint[], 1)],
                    (ARRAY['prospect','first_meeting','intention_agreement','active_partner','paused'])
                        [1 + i %% 5],
                    'Ring', CURRENT_DATE + (i %% 90), '', now(), now()
                FROM generate_series(%(start)s, %(stop)s) AS i
                """,
                {
                    "words": WORDS,
                    "divisions": [d for d, _ in divisions],
                    "sections": [s for _, s in divisions],
                    "places": MUNICIPALITIES,
                    "staff": staff,
                    "start": have + 1,
                    "stop": count,
                },
            )
        cursor.execute(
            """
            INSERT INTO employers_recruitmentneed (
                employer_id, role, tasks, skills, hours_per_week, positions, needed_from,
                is_open, created_at)
            SELECT e.id, (ARRAY['Lagermedarbeider','Kokk','Butikkmedarbeider','Assistent'])
                [1 + e.id % 4], '', '', 30, 1, NULL, true, now()
            FROM employers_employer e WHERE e.organisation_id = 1 AND e.id % 5 = 0
              AND NOT EXISTS (SELECT 1 FROM employers_recruitmentneed n WHERE n.employer_id = e.id)
            """
        )
        cursor.execute("ANALYZE employers_employer")
        cursor.execute("ANALYZE employers_recruitmentneed")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--employers", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    env.setup()

    from django.core.management import call_command
    from django.test import Client

    from bench.caseload import RESULTS, Case, machine, measure, table, today
    from samspill.accounts.models import User
    from samspill.employers.models import Employer

    call_command("migrate", verbosity=0)
    seconds = seed(args.employers)
    print(f"Seeded employers in {seconds:.1f} s")
    counselor = User.objects.get(email="counselor0001@org1.bench.invalid")
    client = Client()
    client.force_login(counselor)
    employer = Employer.objects.filter(organisation_id=1).order_by("id").first()
    assert employer is not None
    url = "/employers/"
    cases = [
        Case("list: default (by name)", "counselor", url, TARGET_MS),
        Case("list: page 200", "counselor", f"{url}?page=200", TARGET_MS),
        Case("list: search 'bak'", "counselor", f"{url}?q=bak", TARGET_MS),
        Case("list: search 'bakeri lager'", "counselor", f"{url}?q=bakeri+lager", TARGET_MS),
        Case("list: search org number", "counselor", f"{url}?q=80001", TARGET_MS),
        Case("list: industry section C", "counselor", f"{url}?section=C", TARGET_MS),
        Case("list: municipality Bergen", "counselor", f"{url}?municipality=Bergen", TARGET_MS),
        Case("list: stage active partner", "counselor", f"{url}?stage=active_partner", TARGET_MS),
        Case("list: open need 'kokk'", "counselor", f"{url}?need=kokk", TARGET_MS),
        Case("list: mine", "counselor", f"{url}?mine=on", TARGET_MS),
        Case("pipeline board", "counselor", f"{url}pipeline/", TARGET_MS),
        Case("employer page", "counselor", f"{url}{employer.pk}/", TARGET_MS),
    ]
    results = []
    for case in cases:
        result = measure(client, case, args.runs)
        results.append(result)
        print(f"{case.name:<36} {len(result.queries):>3} queries  median {result.median:7.1f} ms")
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"employers-{today()}.md"
    path.write_text(
        f"# Employer pages: {today()}\n\nMachine: {machine()}.\n\n"
        f"{Employer.objects.filter(organisation_id=1).count():,} employers in the organisation.\n\n"
        + table(results)
        + "\n"
    )
    print()
    print(table(results))
    print(f"\nWritten to {path.relative_to(Path.cwd())}")


if __name__ == "__main__":
    main()
