"""Fuzz the JSON API with schemathesis from its own OpenAPI document: 10,000 requests or more.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/samspill_fuzz \\
        .venv/bin/python -m bench.api_fuzz [--requests 10000] [--examples 25] [--label NAME]

The database named is made anew (dropped first if it is there: use a database of its own,
never one with data), migrated, and given one organisation's records through the services
(`tests/api/fuzz.py: seed_world`). Then every route of `/api/v1/openapi.json` gets `--examples`
valid and `--examples` invalid requests per round, in process through the WSGI application,
as a counselor with an API token, round after round (each with another seed) until
`--requests` were sent. Each answer is checked as the CI test checks it (no server error, a
documented status, content type and shape, no invalid request accepted).

The figures (requests, by status and by kind, server errors, invalid requests accepted, every
other failure, the time) are written to `bench/results/api_fuzz-<label>.json` and printed. The
run exits 1 if anything failed. An SQLite URL (`sqlite:////tmp/fuzz.sqlite3`) works too.
"""

import argparse
import json
import logging
import os
import platform
import sys
from pathlib import Path
from urllib.parse import urlsplit

RESULTS = Path(__file__).parent / "results"


def fresh_database(url: str) -> None:
    """Drop and create the database `url` names (SQLite: remove the file)."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if parts.scheme.startswith("sqlite"):
        Path(parts.path[1:] if parts.path.startswith("//") else name).unlink(missing_ok=True)
        return
    import psycopg

    admin = f"host={parts.hostname} port={parts.port or 5432} user={parts.username} dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--examples", type=int, default=25, help="per route, kind and round")
    parser.add_argument("--label", default="run")
    parser.add_argument("--only", default="", help='routes whose label contains it ("PATCH /")')
    args = parser.parse_args()

    url = os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/samspill_fuzz")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samspill.settings")
    fresh_database(url)

    import django
    from django.core.management import call_command

    django.setup()
    # Every refused request is logged as a warning by Django; only server errors matter here.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    call_command("migrate", verbosity=0)

    from tests.api.fuzz import fuzz, seed_world

    world = seed_world()
    report = fuzz(
        world=world,
        examples=args.examples,
        rounds=10_000,
        until=lambda report: report.requests >= args.requests,
        only=args.only,
    )
    figures = report.as_dict() | {
        "label": args.label,
        "database": urlsplit(url).scheme,
        "examples_per_round": args.examples,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"api_fuzz-{args.label}.json"
    out.write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps({k: v for k, v in figures.items() if k != "failures"}, indent=2))
    for failure in figures["failures"]:
        print("FAILURE", failure)
    print(f"written to {out}")
    return 1 if figures["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
