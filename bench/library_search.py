"""Search the methods library over 10,000 methods: the page, through Django's test Client.

    .venv/bin/python -m bench.library_search [--methods 10000] [--runs 30]

Uses its own database (samspill_learning_bench, made and migrated when missing), fills one
organisation's library with published methods in Norwegian once, then times GET /learning/?q=
for several searches (two warm-up runs each): median and p95 wall time of the page, p95 of the
time its library queries took in the database as Django saw it (waiting for a core included),
their execution time as PostgreSQL reports it (EXPLAIN ANALYZE, once), and the indexes the plans of the count and the
page use (EXPLAIN). Target: p95 under 50 ms. The load average is printed first: on a shared
machine the page's own time (Python, templates) grows with it, the database's much less.
"""

import argparse
import os
import random
import statistics
import time
from typing import Any

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/samspill_learning_bench")

from bench import env

WORDS = [
    "tro",
    "deltaker",
    "arbeid",
    "veileder",
    "oppfølging",
    "arbeidsgiver",
    "mentor",
    "forventning",
    "møte",
    "plan",
    "mål",
    "kontinuitet",
    "overlevering",
    "bytte",
    "praksis",
    "trening",
    "lønnstilskudd",
    "utdanning",
    "samtale",
    "sparring",
    "metode",
    "forskning",
    "effekt",
    "nettverk",
    "samling",
    "rotasjon",
    "kandidat",
    "bedrift",
    "læring",
    "refleksjon",
]
INDEXES = ("learning_method_fts", "learning_method_title_id", "learning_method_pkey")
SEARCHES = [
    "deltaker",
    "forventninger arbeidsgiver",
    "kontinuitet",
    "sparring metode",
    "zebra",
    "rotasjon 42",
]


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[-1]
    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as c:
        if not c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            c.execute(f'CREATE DATABASE "{name}"')


def seed(count: int) -> tuple[Any, Any]:
    from django.core.management import call_command

    from samspill.core.testing import make_staff
    from samspill.learning import services
    from samspill.learning.models import Method, MethodVersion
    from samspill.organisations.models import Membership, Organisation

    call_command("migrate", verbosity=0)
    org = Organisation.objects.filter(name="Bench-bibliotek AS").first()
    if org is None:
        org = Organisation.objects.create(name="Bench-bibliotek AS")
        leader = make_staff(org, "bench-leader@example.org", Membership.Role.LEADER)
        mentor = make_staff(org, "bench-mentor@example.org", Membership.Role.COUNSELOR)
        services.platform_mentor_appoint(user=mentor, by=leader)
    mentor = Membership.objects.get(organisation=org, role=Membership.Role.COUNSELOR).user
    have = Method.objects.filter(organisation=org).count()
    rng = random.Random(10_000)
    batch = []
    for n in range(have, count):
        # A bench fills the table directly; the services are measured by the tests.
        text = " ".join(rng.choices(WORDS, k=60))
        title = " ".join(rng.choices(WORDS, k=3)).capitalize() + f" {n}"
        batch.append((title, text))
    for start in range(0, len(batch), 1000):
        chunk = batch[start : start + 1000]
        methods = Method.objects.bulk_create(
            Method(organisation=org, title=t, search_text=f"{t}\n{x}", created_by=mentor)
            for t, x in chunk
        )
        versions = MethodVersion.objects.bulk_create(
            MethodVersion(method=m, number=1, title=t, purpose=x, created_by=mentor)
            for m, (t, x) in zip(methods, chunk, strict=True)
        )
        for method, version in zip(methods, versions, strict=True):
            method.published = version
        Method.objects.bulk_update(methods, ["published"])
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE learning_method SET search_vector = to_tsvector('norwegian', search_text)"
            " WHERE search_vector IS NULL"
        )
        cursor.execute("ANALYZE learning_method")
    return org, mentor


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--methods", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    ensure_database(url)
    env.setup()
    _org, mentor = seed(args.methods)

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(mentor)
    print(f"{args.methods} methods; {args.runs} runs per search; target p95 < 50 ms")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"{'search':28} {'median ms':>10} {'p95 ms':>8} {'db p95 ms':>10} {'exec ms':>8} "
        f"{'queries':>8}  indexes in the plans (count; page)"
    )
    for text in SEARCHES:
        for _ in range(2):
            client.get("/learning/", {"q": text})
        times = []
        db_times = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = client.get("/learning/", {"q": text})
                times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
            db_times.append(
                sum(
                    float(q["time"])
                    for q in captured.captured_queries
                    if "learning_method" in q["sql"]
                )
                * 1000
            )
        searched = [q["sql"] for q in captured.captured_queries if "@@" in q["sql"]]
        used = []
        executed = 0.0
        for sql in searched:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN ANALYZE " + sql)
                plan = " ".join(row[0] for row in cursor.fetchall())
            executed += float(plan.rsplit("Execution Time: ", 1)[1].split()[0])
            names = [n for n in INDEXES if n in plan]
            used.append("+".join(names) or "seq scan")
        p95 = statistics.quantiles(times, n=20)[18]
        db_p95 = statistics.quantiles(db_times, n=20)[18]
        print(
            f"{text:28} {statistics.median(times):10.1f} {p95:8.1f} {db_p95:10.1f} "
            f"{executed:8.1f} {len(captured.captured_queries):8}  {'; '.join(used)}"
        )


if __name__ == "__main__":
    main()
