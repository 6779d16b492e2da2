"""Measure matching (issue 23) on its own seeded PostgreSQL database.

    .venv/bin/python -m bench.matching [--runs 30] [--participants 10000] [--needs 100000]

Uses DATABASE_URL if set, else its own database `samspill_bench_matching` (created and migrated
if missing). Seeds, once: one organisation with a coordinator who follows --participants
participants (each in an open follow-up period, strengths profiles written from a vocabulary of
bokmål, nynorsk and Danish words and compounds, wishes with and without negation, two in three
sharing their strengths with workplaces) and --needs open recruitment needs over a fifth as
many employers in 40 municipalities. The terms are computed by the same code the services use
(text.profile_index / text.need_index).

Then it measures `candidates_for_need` (the coordinator's whole pool for one need) and
`needs_for_participant` (every open need for one person), each for --runs different needs and
people, and prints the query count, median and p95 (target: p95 under 100 ms).
"""

import argparse
import datetime
import os
import random
import statistics
import time

DATABASE = "samspill_bench_matching"
TARGET_MS = 100

SKILLS = [
    "lager",
    "truck",
    "truckfører",
    "plukke",
    "varer",
    "pakke",
    "kasse",
    "butikk",
    "kunder",
    "kundeservice",
    "rengjøring",
    "vaskehjelp",
    "kjøkken",
    "kokk",
    "servitør",
    "kafé",
    "bake",
    "baker",
    "bakeri",
    "snekker",
    "tømrer",
    "maling",
    "maler",
    "hage",
    "gartner",
    "park",
    "grøntarbeid",
    "dyr",
    "dyrepleie",
    "stell",
    "omsorg",
    "barnehage",
    "skole",
    "data",
    "kontor",
    "regnskap",
    "sjåfør",
    "varebil",
    "levering",
    "bud",
    "sykkelbud",
    "resepsjon",
    "hotell",
    "renhold",
    "vaktmester",
    "lagermedarbeider",
    "butikkmedarbeider",
    "kjøkkenassistent",
    "lagerarbeid",
    "kassearbeid",
    "bilvask",
    "verksted",
    "mekaniker",
    "dekkskift",
    "sveising",
    "elektriker",
    "rørlegger",
    "montering",
    "produksjon",
    "fabrikk",
]
WISHES = [
    "jobbe ute",
    "utendørs arbeid",
    "være med folk",
    "jobbe med dyr",
    "jobbe med mat",
    "rolig arbeidsplass",
    "fast jobb",
    "lære et fag",
    "få fagbrev",
    "eg vil jobbe ute",
    "eg likar å lage mat",
    "jeg kan godt lide dyr",
    "arbejde med mennesker",
    "arbejde udendørs",
    "jobbe med bil",
    "kjøre truck",
    "jobbe i butikk",
    "jobbe med barn",
    "jobbe på lager",
    "jobbe i hagen",
]
NEGATED = [
    "ikke natt",
    "ikkje natt",
    "ikke om natten",
    "ikke nætter",
    "ikke helg",
    "ikkje helg",
    "ikke tunge løft",
    "ikke kontor",
    "ikkje stress",
    "ikke støv",
]
ROLES = [
    "Lagermedarbeider",
    "Butikkmedarbeider",
    "Kjøkkenassistent",
    "Renholder",
    "Gartner",
    "Sjåfør",
    "Servitør",
    "Vaktmester",
    "Kontorassistent",
    "Bilpleier",
    "Truckfører",
    "Bakerlærling",
    "Omsorgsarbeider",
    "Montør",
]
TASKS = [
    "plukke og pakke varer",
    "kjøre truck på lageret",
    "betjene kasse og hjelpe kunder",
    "vaske og rydde",
    "stelle hage og park",
    "levere varer med varebil",
    "servere og rydde bord",
    "nattskift på lager",
    "helgevakter i butikk",
    "kjøkkenarbeid og oppvask",
    "enkle kontoroppgaver",
    "vaske biler og skifte dekk",
    "montering i produksjon",
    "tungt arbeid utendørs",
]
MUNICIPALITIES = [f"Kommune {n}" for n in range(40)]
NACE = ("47", "46", "56", "81", "49", "55", "43", "10", "88", "45")


def ensure_database() -> None:
    """Create the bench database if it is missing (when DATABASE_URL is not set)."""
    if "DATABASE_URL" in os.environ:
        return
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,))
        if exists.fetchone() is None:
            conn.execute(f"CREATE DATABASE {DATABASE}")
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"


def profile(rng: random.Random) -> dict[str, str]:
    return {
        "what_i_can": ", ".join(rng.sample(SKILLS, rng.randint(0, 5))),
        "want_to_learn": ", ".join(rng.sample(SKILLS, rng.randint(0, 3))),
        "interests": ", ".join(rng.sample(WISHES, rng.randint(0, 2))),
        "dreams": ". ".join(rng.sample(NEGATED, rng.randint(0, 1)) + rng.sample(WISHES, 1)),
    }


def seed(participants: int, needs: int) -> tuple[int, float]:
    """Seed once; return the coordinator's id and the seconds taken (0 when already seeded)."""
    from django.db import connection, transaction

    from samspill.accounts.models import User
    from samspill.core import matchtext as text
    from samspill.employers.models import Employer, RecruitmentNeed
    from samspill.organisations.models import Membership, Organisation
    from samspill.participants.models import ConsentRecord, FollowUpPeriod, Participant

    existing = User.objects.filter(email="coordinator@bench.matching").first()
    if existing is not None:
        return existing.pk, 0.0
    started = time.perf_counter()
    rng = random.Random(23)
    with transaction.atomic():
        org = Organisation.objects.create(
            name="Matching bench", kind=Organisation.Kind.INCLUSION_COMPANY
        )
        coordinator = User.objects.create_user(
            email="coordinator@bench.matching", password=None, full_name="Coordinator"
        )
        Membership.objects.create(
            user=coordinator, organisation=org, role=Membership.Role.COORDINATOR
        )
        groups = ["good_prospects", "needs_guidance", "reduced_capacity", "partial_work"]
        rows = []
        for i in range(participants):
            fields = profile(rng)
            rows.append(
                Participant(
                    organisation=org,
                    given_name=f"Deltaker{i}",
                    family_name="Benk",
                    municipality=rng.choice(MUNICIPALITIES),
                    need_group=rng.choice(groups),
                    counselor=coordinator,
                    match_terms=text.profile_index(
                        what_i_can=fields["what_i_can"],
                        want_to_learn=fields["want_to_learn"],
                        wishes=" . ".join((fields["interests"], fields["dreams"], "")),
                    ),
                    **fields,
                )
            )
        people = Participant.objects.bulk_create(rows, batch_size=2000)
        today = datetime.datetime.now(tz=datetime.UTC).date()
        periods = FollowUpPeriod.objects.bulk_create(
            [
                FollowUpPeriod(
                    participant=p, start_date=today - datetime.timedelta(rng.randint(1, 900))
                )
                for p in people
            ],
            batch_size=2000,
        )
        for p, period in zip(people, periods, strict=True):
            p.active_period = period
        Participant.objects.bulk_update(people, ["active_period"], batch_size=2000)
        ConsentRecord.objects.bulk_create(
            [
                ConsentRecord(
                    participant=p,
                    recipient=ConsentRecord.Recipient.WORKPLACE,
                    information=ConsentRecord.Information.STRENGTHS,
                    given_at=datetime.datetime.now(tz=datetime.UTC),
                    given_recorded_by=coordinator,
                )
                for p in people
                if rng.random() < 2 / 3
            ],
            batch_size=2000,
        )
        employers = Employer.objects.bulk_create(
            [
                Employer(
                    organisation=org,
                    name=f"Arbeidsgiver {i}",
                    org_number=str(100_000_000 + i),
                    nace_division=(division := rng.choice(NACE)),
                    nace_section={"47": "G", "46": "G", "45": "G", "56": "I", "55": "I",
                                  "81": "N", "49": "H", "43": "F", "10": "C", "88": "Q"}[division],
                    municipality=rng.choice(MUNICIPALITIES),
                )
                for i in range(max(1, needs // 5))
            ],
            batch_size=2000,
        )  # fmt: skip
        need_rows = []
        for i in range(needs):
            role = rng.choice(ROLES)
            tasks = ", ".join(rng.sample(TASKS, 2))
            skills = ", ".join(rng.sample(SKILLS, 2))
            need_rows.append(
                RecruitmentNeed(
                    employer=employers[i % len(employers)],
                    role=role,
                    tasks=tasks,
                    skills=skills,
                    hours_per_week=rng.choice([None, 20, 30, 37]),
                    match_terms=text.need_index(role=role, tasks=tasks, skills=skills),
                )
            )
        RecruitmentNeed.objects.bulk_create(need_rows, batch_size=5000)
    with connection.cursor() as cursor:
        # The posting lists the services keep (NeedTerm, ParticipantTerm), filled in bulk here.
        cursor.execute(
            "INSERT INTO participants_participantterm (term, participant_id)"
            " SELECT DISTINCT k.term, p.id FROM participants_participant p"
            " CROSS JOIN LATERAL unnest(string_to_array(p.match_terms, ' ')) AS k(term)"
            " WHERE k.term <> ''"
        )
        cursor.execute(
            "INSERT INTO employers_needterm (term, need_id, static_score, place)"
            " SELECT DISTINCT k.term, n.id,"
            " 1.0 / greatest(1, (SELECT count(*) FROM unnest(string_to_array(n.match_terms, ' ')) s"
            " WHERE left(s, 1) = '='))::float8, lower(btrim(e.municipality))"
            " FROM employers_recruitmentneed n JOIN employers_employer e ON e.id = n.employer_id"
            " CROSS JOIN LATERAL unnest(string_to_array(n.match_terms, ' ')) AS k(term)"
            " WHERE n.is_open AND k.term <> ''"
        )
        # VACUUM too (it also marks the posting lists' pages all-visible, for index-only scans): it moves the GIN indexes' pending lists of the bulk inserts into the
        # indexes proper (autovacuum would, later); a pending list is read row by row.
        cursor.execute("VACUUM ANALYZE")
    return coordinator.pk, time.perf_counter() - started


def measure(label: str, calls: list, runs: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    calls[0]()  # warm the process (imports, caches), as a running server is
    times = []
    queries = 0
    for call in calls[:runs]:
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            result = call()
            times.append((time.perf_counter() - started) * 1000)
        queries = max(queries, len(ctx))
    times.sort()
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    verdict = "ok" if p95 < TARGET_MS else "SLOW"
    print(
        f"{label}: {len(times)} runs, {queries} queries, pool {result.pool_size}, "
        f"median {statistics.median(times):.0f} ms, p95 {p95:.0f} ms [{verdict}]"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--needs", type=int, default=100_000)
    args = parser.parse_args()
    ensure_database()
    from bench import env

    env.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from samspill.accounts.models import User
    from samspill.employers.models import RecruitmentNeed
    from samspill.matching.engine import candidates_for_need, needs_for_participant
    from samspill.participants.models import Participant

    coordinator_id, seconds = seed(args.participants, args.needs)
    if seconds:
        print(f"seeded in {seconds:.0f} s")
    user = User.objects.get(pk=coordinator_id)
    rng = random.Random(1)
    need_ids = list(
        RecruitmentNeed.objects.filter(employer__organisation__memberships__user=user)
        .order_by("?")
        .values_list("id", flat=True)[: args.runs + 1]
    )
    person_ids = list(
        Participant.objects.visible_to(user)
        .order_by("?")
        .values_list("id", flat=True)[: args.runs + 1]
    )
    rng.shuffle(need_ids)
    needs = RecruitmentNeed.objects.in_bulk(need_ids)
    people = Participant.objects.in_bulk(person_ids)
    print(f"uptime: {os.popen('uptime').read().strip()}")
    measure(
        "candidates for a need",
        [lambda n=needs[i]: candidates_for_need(user, n) for i in need_ids],
        args.runs,
    )
    measure(
        "candidates for a need, favour waited longest",
        [
            lambda n=needs[i]: candidates_for_need(user, n, favour="waited_longest")
            for i in need_ids
        ],
        args.runs,
    )
    measure(
        "needs for a person",
        [lambda p=people[i]: needs_for_participant(user, p) for i in person_ids],
        args.runs,
    )
    print(f"uptime: {os.popen('uptime').read().strip()}")


if __name__ == "__main__":
    main()
