"""The Django side of the cluster tests, run in a process of its own against the throwaway
cluster (the test process's Django points at the suite's database):

    DATABASE_URL=... [DATABASE_REPLICA_URL=...] python -m tests.cluster.scenarios seed --users 20

Each step writes through the services and prints one JSON object.
"""

import argparse
import datetime
import json
import os
import time
from typing import Any


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samspill.settings")
    import django

    django.setup()
    from django.conf import settings

    # The people made here sign in with tokens or forced sessions: a fast hash for their
    # unused passwords (Argon2 takes a good part of a second each on a loaded machine).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed(users: int) -> dict[str, Any]:
    """An organisation whose `users` counselors want reminder e-mail, each following a
    participant whose follow-up was due yesterday; an API token for the first."""
    from django.utils import timezone

    from samspill.accounts.auth import api_token_create
    from samspill.core.testing import make_participant, make_staff
    from samspill.organisations.models import Membership, Organisation
    from samspill.participants import services as participant_services

    org = Organisation.objects.create(name="Klynge AS", kind=Organisation.Kind.INCLUSION_COMPANY)
    due = timezone.localdate() - datetime.timedelta(days=1)
    counselors = []
    for number in range(users):
        user = make_staff(org, f"c{number}@klynge.example", Membership.Role.COUNSELOR)
        user.email_reminders = True
        user.save(update_fields=["email_reminders"])
        participant = make_participant(org, user, family_name=f"Klynge{number}")
        participant_services.participant_update(
            participant=participant, by=user, next_follow_up_on=due
        )
        counselors.append(user)
    _token, key = api_token_create(user=counselors[0], name="cluster test")
    return {
        "organisation": org.pk,
        "counselor": counselors[0].pk,
        "emails": [user.email for user in counselors],
        "token": key,
    }


def _wait_replayed(primary: str, replica: str) -> None:
    import psycopg

    with psycopg.connect(primary, autocommit=True) as conn:
        lsn = conn.execute("SELECT pg_current_wal_lsn()").fetchone()[0]  # type: ignore[index]
    with psycopg.connect(replica, autocommit=True) as conn:
        for _attempt in range(300):
            row = conn.execute(
                "SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), %s) >= 0", [lsn]
            ).fetchone()
            if row and row[0]:
                return
            time.sleep(0.05)
    raise TimeoutError("the replica did not catch up")


def replica_route() -> dict[str, Any]:
    """With the replica's replay paused, reads inside `replica_reads()` (the caseload's counts)
    miss a participant written since, the rows (from the primary) have it; once replayed, both
    agree. The write itself, made inside `replica_reads()`, went to the primary."""
    import psycopg
    from django.conf import settings
    from django.test.utils import setup_test_environment

    from samspill.core.db import replica_reads
    from samspill.core.testing import client_for, make_participant, make_staff
    from samspill.organisations.models import Membership, Organisation
    from samspill.participants.models import Participant

    setup_test_environment()  # the test client keeps each response's context
    primary = os.environ["DATABASE_URL"]
    replica = os.environ["DATABASE_REPLICA_URL"]
    org = Organisation.objects.create(name="Replika AS", kind=Organisation.Kind.INCLUSION_COMPANY)
    counselor = make_staff(org, "r@replika.example", Membership.Role.COUNSELOR)
    for number in range(3):
        make_participant(org, counselor, family_name=f"Replika{number}")
    _wait_replayed(primary, replica)
    client = client_for(counselor)
    result: dict[str, Any] = {"replica_configured": "replica" in settings.DATABASES}
    with psycopg.connect(replica, autocommit=True) as conn:
        conn.execute("SELECT pg_wal_replay_pause()")
        try:
            with replica_reads():
                make_participant(org, counselor, family_name="Replika3")
                result["replica_count_paused"] = Participant.objects.filter(
                    organisation=org
                ).count()
            result["primary_count"] = Participant.objects.filter(organisation=org).count()
            response = client.get("/participants/")
            result["caseload_status"] = response.status_code
            result["caseload_counts_paused"] = response.context["counts"]["all"]
        finally:
            conn.execute("SELECT pg_wal_replay_resume()")
    _wait_replayed(primary, replica)
    response = client.get("/participants/")
    result["caseload_counts_replayed"] = response.context["counts"]["all"]
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("step", choices=["seed", "replica_route"])
    parser.add_argument("--users", type=int, default=10)
    args = parser.parse_args()
    _setup()
    result = seed(args.users) if args.step == "seed" else replica_route()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
