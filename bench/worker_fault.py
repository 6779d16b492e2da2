"""A worker SIGKILLed mid-run: its task resumes, and each e-mail is sent exactly once.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/samspill_fault \\
        .venv/bin/python -m bench.worker_fault [--users 100]

1. A fresh database (dropped, created, migrated) with --users counselors who want reminder
   e-mail, each following a participant whose follow-up is due.
2. The daily reminder run is enqueued and worker A (`samspill db_worker`) takes it, with a relay
   that takes 0.1 s per message (bench/slow_relay.py, writing what it accepts to a directory).
3. When a third of the digests are accepted, A is killed with SIGKILL; worker B starts (a
   restart, as a container platform would do).
4. Measured: seconds from the kill until the task has finished again; e-mails accepted per
   user (each must be exactly 1); messages left in doubt (the one A was sending when it died,
   at most). The operator's step for those (docs/operations.md) is then run: a message whose
   Message-ID the relay never got is resent.

Results are printed and appended to bench/results/worker-fault.md.
"""

import argparse
import datetime
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import psycopg
import time_machine

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"


def fresh_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def accepted_ids(mail_dir: Path) -> Counter[str]:
    ids: Counter[str] = Counter()
    for path in mail_dir.glob("*"):
        for line in path.read_text(errors="replace").splitlines():
            if line.lower().startswith("message-id:"):
                ids[line.split(":", 1)[1].strip()] += 1
    return ids


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=100)
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/samspill_fault")
    fresh_database(os.environ["DATABASE_URL"])
    mail_dir = Path(tempfile.mkdtemp(prefix="samspill-relay-"))
    os.environ.update(
        EMAIL_BACKEND="slow_relay.SlowRelay",
        EMAIL_FILE_PATH=str(mail_dir),
        PYTHONPATH=f"{REPO}:{REPO / 'bench'}",
    )
    sys.path.insert(0, str(REPO / "bench"))
    from bench import env

    env.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from samspill.core.testing import make_participant, make_staff
    from samspill.followup.tasks import schedule_and_send_reminders
    from samspill.organisations.models import Membership, Organisation
    from samspill.outbox import queries as outbox_queries
    from samspill.outbox.models import Message
    from samspill.outbox.services import outbox_deliver_due, outbox_mark_sent, outbox_resend
    from samspill.participants import services as participant_services

    settings.EMAIL_BACKEND = "slow_relay.SlowRelay"
    settings.EMAIL_FILE_PATH = str(mail_dir)
    call_command("migrate", verbosity=0)
    org = Organisation.objects.create(name="Fault AS", kind=Organisation.Kind.INCLUSION_COMPANY)
    due = timezone.localdate() - datetime.timedelta(days=1)
    users = []
    for number in range(args.users):
        user = make_staff(org, f"c{number}@fault.example", Membership.Role.COUNSELOR)
        user.email_reminders = True
        user.save(update_fields=["email_reminders"])
        participant = make_participant(org, user, family_name=f"F{number}")
        participant_services.participant_update(
            participant=participant, by=user, next_follow_up_on=due
        )
        users.append(user)
    task = schedule_and_send_reminders.enqueue()

    def worker(name: str) -> subprocess.Popen[bytes]:
        command = [sys.executable, "manage.py", "db_worker", "--no-startup-delay"]
        command += ["--no-reload", "--interval", "0.2", "--worker-id", name, "--verbosity", "0"]
        return subprocess.Popen(command, cwd=REPO, env=os.environ.copy())

    a = worker("worker-a")
    third = args.users // 3
    deadline = time.monotonic() + 120
    while Message.objects.filter(status=Message.Status.SENT).count() < third:
        if time.monotonic() > deadline:
            raise SystemExit("worker A sent nothing in two minutes")
        time.sleep(0.05)
    a.send_signal(signal.SIGKILL)
    a.wait()
    killed = time.monotonic()
    sent_before = Message.objects.filter(status=Message.Status.SENT).count()
    b = worker("worker-b")
    try:
        while DBTaskResult.objects.get(pk=task.id).status != "SUCCESSFUL":
            if time.monotonic() - killed > 180:
                raise SystemExit("the task was not resumed within three minutes")
            time.sleep(0.2)
        resumed = time.monotonic() - killed
        while Message.objects.filter(status=Message.Status.PENDING).exists():
            time.sleep(0.2)
    finally:
        b.send_signal(signal.SIGTERM)
        b.wait(30)
    in_doubt = list(Message.objects.filter(status=Message.Status.SENDING))
    # The operator's step, ten minutes later (when the message is reported in doubt): one whose
    # Message-ID the relay never got is resent; one it got is left alone.
    accepted = accepted_ids(mail_dir)
    resent = 0
    with time_machine.travel(timezone.now() + outbox_queries.IN_DOUBT_AFTER, tick=False):
        for message in in_doubt:
            if message.message_id not in accepted:
                outbox_resend(message=message)
                resent += 1
            else:
                outbox_mark_sent(message=message)
        outbox_deliver_due()
    accepted = accepted_ids(mail_dir)
    per_user = Counter(address for m in Message.objects.all() for address in m.to)
    by_id = {m.message_id: m.to[0] for m in Message.objects.all()}
    per_user_accepted = Counter(by_id[mid] for mid, n in accepted.items() for _ in range(n))
    exactly_once = all(per_user_accepted[u.email] == 1 for u in users)
    lines = [
        f"## {timezone.now():%Y-%m-%d %H:%M} — {args.users} users",
        "",
        f"- accepted before the SIGKILL: {sent_before}",
        f"- task finished again {resumed:.1f} s after the kill (lease 30 s + one 15 s round)",
        f"- messages in doubt after the kill: {len(in_doubt)} (resent by the operator's step: "
        f"{resent})",
        f"- digests written: {sum(per_user.values())} for {len(per_user)} users",
        f"- e-mails accepted by the relay: {sum(accepted.values())}; every user exactly once: "
        f"{'yes' if exactly_once else 'NO'}",
        f"- outbox problems left: {outbox_queries.outbox_problems() or 'none'}",
        "",
    ]
    print("\n".join(lines))
    RESULTS.mkdir(exist_ok=True)
    with (RESULTS / "worker-fault.md").open("a") as results:
        results.write("\n".join(lines) + "\n")
    if not exactly_once:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
