"""Seed placements with their follow-up schedules into the bench database and measure the
pages that read them.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/samspill_bench \\
        .venv/bin/python -m bench.placements [--share 10] [--runs 10]

Run after `bench.seed` and `bench.employers`. Every `--share`-th participant of the big
organisation (id 1) gets an approved work-training placement at one of its employers, made
inside PostgreSQL with INSERT ... SELECT, with a follow-up schedule (weeks 1, 2 and 4, then
monthly), the past ones held. Then a counselor's Today page (which lists placement follow-ups
due), a placement's agreement page, the participant page and the placements API list are
measured like bench.caseload; the API list also for the organisation's leader, whose scope is
every participant of the organisation.
"""

import argparse
import time
from pathlib import Path

from bench import env

TARGET_MS = 50


def seed(share: int) -> float:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM placements_placement")
        if cursor.fetchone()[0]:
            return 0.0
        cursor.execute(
            """
            INSERT INTO placements_placement (
                participant_id, organisation_id, employer_id, mentor_id, kind, title, tasks,
                hours_per_week, work_days, work_place, start_date, end_date, start_reason,
                extension_reason, wage_subsidy_percent, goals, employer_expects,
                participant_expects, we_offer,
                accommodations, if_something_happens, call_whom, revision, agreement_number,
                locked_at, cancelled_at, cancel_reason, cancel_note, ended_at, outcome,
                previous_id, follow_up_until, follow_up_unlimited, next_follow_up_on,
                created_by_id, external_key, created_at)
            SELECT p.id, p.organisation_id, e.id, NULL, 'work_training', 'Lagermedarbeider',
                'Plukke varer', 30,
                'Man-tor', 'Lageret', CURRENT_DATE - (p.id %% 200)::int,
                CURRENT_DATE - (p.id %% 200)::int + 180,
                'Registrert etter oppstart', '', NULL,
                '[{"category": "experience", "text": "Erfaring"}]'::jsonb,
                'Presis', 'Opplæring', 'Oppfølging', '', 'Ring veilederen', 'Veilederen', 1, 1,
                now(), NULL, '', '', NULL, '', NULL, NULL, false, NULL,
                p.counselor_id, '', now()
            FROM participants_participant p
            JOIN LATERAL (
                SELECT id FROM employers_employer
                WHERE organisation_id = 1 ORDER BY id OFFSET (p.id %% 1000) LIMIT 1
            ) e ON true
            WHERE p.organisation_id = 1 AND p.counselor_id IS NOT NULL AND p.id %% %(share)s = 0
            """,
            {"share": share},
        )
        cursor.execute(
            """
            INSERT INTO placements_followup (
                placement_id, due_on, held_on, going, notes, next_steps, logged_by_id,
                logged_at, participant_present, mentor_present, employer_present,
                counselor_present)
            SELECT pl.id, d.due, CASE WHEN d.due < CURRENT_DATE THEN d.due END,
                CASE WHEN d.due < CURRENT_DATE THEN 'well' ELSE '' END, '', '',
                CASE WHEN d.due < CURRENT_DATE THEN pl.created_by_id END,
                CASE WHEN d.due < CURRENT_DATE THEN now() END, false, false, false,
                d.due < CURRENT_DATE
            FROM placements_placement pl
            CROSS JOIN LATERAL (
                SELECT pl.start_date + w * 7 AS due FROM unnest(ARRAY[1, 2, 4]) AS w
                UNION ALL
                SELECT (pl.start_date + make_interval(months => m))::date
                FROM generate_series(2, 6) AS m
            ) d
            """
        )
        cursor.execute(
            """
            UPDATE placements_placement pl SET next_follow_up_on = f.due
            FROM (SELECT placement_id, min(due_on) AS due FROM placements_followup
                  WHERE held_on IS NULL GROUP BY placement_id) f
            WHERE f.placement_id = pl.id
            """
        )
        cursor.execute("ANALYZE placements_placement")
        cursor.execute("ANALYZE placements_followup")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--share", type=int, default=10)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    env.setup()

    from django.core.management import call_command
    from django.db.models import Count
    from django.test import Client

    from bench.caseload import RESULTS, Case, machine, measure, table, today
    from samspill.accounts.models import User
    from samspill.organisations.models import Membership
    from samspill.placements.models import FollowUp, Placement

    call_command("migrate", verbosity=0)
    seconds = seed(args.share)
    print(f"Seeded placements in {seconds:.1f} s")
    # The counselor with the most placements (a few hundred of their 400 or so participants).
    busiest = (
        Placement.objects.values("created_by")
        .annotate(n=Count("id"))
        .order_by("-n", "created_by")
        .first()
    )
    assert busiest is not None, "run bench.employers first"
    counselor = User.objects.get(pk=busiest["created_by"])
    client = Client()
    client.force_login(counselor)
    placement = Placement.objects.filter(created_by=counselor).order_by("id").first()
    assert placement is not None
    leader = (
        Membership.objects.filter(organisation_id=1, role=Membership.Role.LEADER)
        .order_by("id")
        .first()
    )
    assert leader is not None, "run bench.seed first"
    leader_client = Client()
    leader_client.force_login(leader.user)
    cases = [
        Case("today page (placement follow-ups due)", "counselor", "/today/", TARGET_MS),
        Case("placement agreement page", "counselor", f"/placements/{placement.pk}/", TARGET_MS),
        Case(
            "participant page (placements)",
            "counselor",
            f"/participants/{placement.participant_id}/",
            TARGET_MS,
        ),
        Case("API: my placements", "counselor", "/api/v1/placements", TARGET_MS),
        Case("API: the organisation's placements", "leader", "/api/v1/placements", TARGET_MS),
    ]
    clients = {"counselor": client, "leader": leader_client}
    results = []
    for case in cases:
        result = measure(clients[case.who], case, args.runs)
        results.append(result)
        print(f"{case.name:<40} {len(result.queries):>3} queries  median {result.median:7.1f} ms")
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"placements-{today()}.md"
    path.write_text(
        f"# Placement pages: {today()}\n\nMachine: {machine()}.\n\n"
        f"{Placement.objects.count():,} placements, {FollowUp.objects.count():,} follow-ups.\n\n"
        + table(results)
        + "\n"
    )
    print()
    print(table(results))
    print(f"\nWritten to {path.relative_to(Path.cwd())}")


if __name__ == "__main__":
    main()
