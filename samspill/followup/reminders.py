"""Reminders: found set-wise in SQL, stored once, e-mailed as one daily digest per user.

`reminders_schedule` is idempotent: each reminder has a key (kind, object, due date) unique per
user, and rows are inserted with ignore_conflicts, so running it twice, or again after a crash
half-way, creates no duplicates. `reminders_send` writes one digest per user and day into the
outbox (samspill/outbox), in the transaction that marks the rows e-mailed.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from samspill.accounts.models import User
from samspill.employers import queries as employer_queries
from samspill.employers import queries_coordination as coordination_queries
from samspill.followup.models import DigestSent, Reminder
from samspill.followup.queries import FIRST_CHECKIN_AFTER
from samspill.organisations.models import Organisation
from samspill.outbox.services import outbox_put
from samspill.participants.models import CounselorAssignment, FollowUpStatus, Participant
from samspill.placements import queries as placement_queries
from samspill.plans.models import Activity

BATCH = 5000
# An intention agreement's renewal is reminded this long ahead.
RENEWAL_NOTICE_DAYS = 30
# Actions agreed at coordinator meetings: reminded the day before they fall due, and when late.
# Not in `Reminder.Kind` (its choices would need a migration); labelled in REMINDER_LABELS.
COORDINATION_ACTION = "coordination_action"
COORDINATION_ACTION_NOTICE = datetime.timedelta(days=1)

# Reminders of apps above this one (the learning app: look-backs and goal reviews). Each
# registers, in its AppConfig.ready(), a function of `today` that yields unsaved Reminder rows
# (a `key` unique per user, as below) and the labels of its kinds for the digest; this module
# imports none of them. Their kinds are not in `Reminder.Kind` (a kind is at most 20 letters).
ReminderSource = Callable[[datetime.date], Iterable[Reminder]]
REMINDER_SOURCES: list[ReminderSource] = []
REMINDER_LABELS: dict[str, Any] = {
    COORDINATION_ACTION: gettext_lazy("Action from a coordinator meeting due"),
}
# Where the digest sends the reader for those kinds (they are not on the Today page).
REMINDER_WHERE: dict[str, Any] = {}


def reminder_source_register(
    source: ReminderSource, *, labels: dict[str, Any], where: Any = None
) -> None:
    """Add another app's reminders to the daily run (once, however often it is called)."""
    if source not in REMINDER_SOURCES:
        REMINDER_SOURCES.append(source)
    REMINDER_LABELS.update(labels)
    if where is not None:
        REMINDER_WHERE.update(dict.fromkeys(labels, where))


def _due_reminders(today: datetime.date) -> Any:
    """Yield unsaved Reminder rows for everything due on `today`, across all organisations."""
    for org_id, weeks in Organisation.objects.values_list("id", "belief_checkin_weeks"):
        interval = datetime.timedelta(weeks=weeks)
        due = (
            Participant.objects.filter(
                organisation_id=org_id, active_period__isnull=False, counselor__isnull=False
            )
            .annotate(
                last=Max(
                    "belief_checkins__asked_on",
                    filter=Q(belief_checkins__period_id=F("active_period_id")),
                )
            )
            .filter(
                Q(last__lte=today - interval)
                | Q(last__isnull=True, active_period__start_date__lte=today - FIRST_CHECKIN_AFTER)
            )
            .values_list("id", "counselor_id", "last", "active_period__start_date")
        )
        for pid, user_id, last, start in due.iterator(chunk_size=BATCH):
            due_on = last + interval if last else start + FIRST_CHECKIN_AFTER
            yield Reminder(
                user_id=user_id,
                kind=Reminder.Kind.BELIEF_CHECKIN,
                key=f"belief_checkin:{pid}:{due_on.isoformat()}",
                participant_id=pid,
                due_on=due_on,
            )
    # As on Today: an ended period asks for no more follow-ups.
    follow_ups = Participant.objects.filter(
        counselor__isnull=False, active_period__isnull=False, next_follow_up_on__lte=today
    ).values_list("id", "counselor_id", "next_follow_up_on")
    for pid, user_id, due_on in follow_ups.iterator(chunk_size=BATCH):
        assert due_on is not None  # filtered on next_follow_up_on__lte
        yield Reminder(
            user_id=user_id,
            kind=Reminder.Kind.FOLLOW_UP,
            key=f"follow_up:{pid}:{due_on.isoformat()}",
            participant_id=pid,
            due_on=due_on,
        )
    handovers = (
        CounselorAssignment.objects.filter(ended_at__isnull=True, seen_at__isnull=True)
        .exclude(assigned_by_id=F("counselor_id"))
        .values_list("id", "counselor_id", "participant_id", "started_at")
    )
    for aid, user_id, pid, started in handovers.iterator(chunk_size=BATCH):
        yield Reminder(
            user_id=user_id,
            kind=Reminder.Kind.HANDOVER,
            key=f"handover:{aid}",
            participant_id=pid,
            due_on=timezone.localdate(started),
        )
    activities = Activity.objects.filter(
        Activity.open_q(), due_date__lt=today, participant__counselor__isnull=False
    ).values_list("id", "participant__counselor_id", "participant_id", "due_date")
    for act_id, user_id, pid, due_on in activities.iterator(chunk_size=BATCH):
        yield Reminder(
            user_id=user_id,
            kind=Reminder.Kind.ACTIVITY_OVERDUE,
            key=f"activity_overdue:{act_id}:{due_on.isoformat()}",
            participant_id=pid,
            due_on=due_on,
        )
    # The employer's contact person: intention agreements whose renewal date is near.
    renewals = (
        employer_queries.renewals_due(until=today + datetime.timedelta(days=RENEWAL_NOTICE_DAYS))
        .filter(employer__contact_person__isnull=False)
        .values_list("id", "employer__contact_person_id", "renewal_on")
    )
    for agreement_id, user_id, due_on in renewals.iterator(chunk_size=BATCH):
        assert due_on is not None  # filtered on renewal_on__lte
        yield Reminder(
            user_id=user_id,
            kind=Reminder.Kind.AGREEMENT_RENEWAL,
            key=f"agreement_renewal:{agreement_id}:{due_on.isoformat()}",
            due_on=due_on,
        )
    # Placement follow-ups on the schedule made when the agreement was approved.
    placement_follow_ups = (
        placement_queries.follow_ups_due(today)
        .filter(placement__participant__counselor__isnull=False)
        .values_list(
            "id", "placement__participant__counselor_id", "placement__participant_id", "due_on"
        )
    )
    for follow_up_id, user_id, pid, due_on in placement_follow_ups.iterator(chunk_size=BATCH):
        assert due_on is not None  # filtered on due_on__lte
        yield Reminder(
            user_id=user_id,
            kind=Reminder.Kind.PLACEMENT_FOLLOW_UP,
            key=f"placement_follow_up:{follow_up_id}:{due_on.isoformat()}",
            participant_id=pid,
            due_on=due_on,
        )
    # Where a person is six and twelve months after follow-up, asked of the last counselor.
    statuses = FollowUpStatus.objects.filter(
        outcome="", counselor__isnull=False, due_on__lte=today
    ).values_list("id", "counselor_id", "due_on")
    for status_id, user_id, due_on in statuses.iterator(chunk_size=BATCH):
        yield Reminder(
            user_id=user_id,
            kind=Reminder.Kind.STATUS_AFTER,
            key=f"status_after:{status_id}",
            due_on=due_on,
        )
    # The counselor's next contact with a mentor, from the latest entry of the support log.
    mentor_contacts = employer_queries.mentor_contacts_due(today=today).values_list(
        "mentor_id", "counselor_id", "next_contact_on"
    )
    for mentor_id, user_id, due_on in mentor_contacts.iterator(chunk_size=BATCH):
        assert due_on is not None  # filtered on next_contact_on__lte
        yield Reminder(
            user_id=user_id,
            kind=Reminder.Kind.MENTOR_CONTACT,
            key=f"mentor_contact:{mentor_id}:{due_on.isoformat()}",
            due_on=due_on,
        )
    # The responsible person of an action agreed at a coordinator meeting, due tomorrow or late.
    actions = coordination_queries.actions_due_for_reminders(
        until=today + COORDINATION_ACTION_NOTICE
    ).values_list("id", "responsible_id", "due_on")
    for action_id, user_id, due_on in actions.iterator(chunk_size=BATCH):
        assert due_on is not None  # filtered on due_on__lte
        yield Reminder(
            user_id=user_id,
            kind=COORDINATION_ACTION,
            key=f"{COORDINATION_ACTION}:{action_id}:{due_on.isoformat()}",
            due_on=due_on,
        )
    for source in REMINDER_SOURCES:
        yield from source(today)


def reminders_schedule(*, today: datetime.date | None = None) -> int:
    """Store every reminder due today that is not stored yet. Returns how many rows were new."""
    today = today or timezone.localdate()
    before = Reminder.objects.count()
    batch: list[Reminder] = []
    for reminder in _due_reminders(today):
        batch.append(reminder)
        if len(batch) >= BATCH:
            Reminder.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    if batch:
        Reminder.objects.bulk_create(batch, ignore_conflicts=True)
    return Reminder.objects.count() - before


def reminders_send(*, today: datetime.date | None = None) -> int:
    """Put one digest per user who wants reminders in the outbox; returns how many.

    At most one digest per user and day (a `DigestSent` row, unique per user and day, written
    with the e-mail): two runs at once, or a run again after a crash, send nobody a second one.
    What falls due after today's digest waits for tomorrow's. The digest holds counts only,
    never names: e-mail is not a safe place for case data.
    """
    today = today or timezone.localdate()
    waiting = (
        Reminder.objects.filter(
            emailed_at__isnull=True, user__email_reminders=True, user__is_active=True
        )
        .exclude(user__reminder_digests__day=today)
        .values_list("user_id", flat=True)
        .distinct()
    )
    sent = 0
    for user in User.objects.filter(pk__in=list(waiting)).order_by("pk"):
        if _digest_send(user=user, day=today):
            sent += 1
    return sent


@transaction.atomic
def _digest_send(*, user: User, day: datetime.date) -> bool:
    """The digest of one user and day, if no other run has written it; False otherwise."""
    # On PostgreSQL a second run waits here on the unique index until the first commits, then
    # finds the row; on SQLite writers are serialised anyway.
    digest, created = DigestSent.objects.get_or_create(user=user, day=day)
    if not created:
        return False
    rows = Reminder.objects.select_for_update().filter(user=user, emailed_at__isnull=True)
    due = list(rows.values_list("pk", "kind"))
    if not due:
        transaction.set_rollback(True)  # nothing left to tell: no digest row either
        return False
    counts: dict[str, int] = defaultdict(int)
    for _pk, kind in due:
        counts[kind] += 1
    labels = {**dict(Reminder.Kind.choices), **REMINDER_LABELS}
    with translation.override(settings.LANGUAGE_CODE):
        lines = [f"- {labels.get(kind, kind)}: {count}" for kind, count in sorted(counts.items())]
        total = len(due)
        subject = ngettext(
            "Samspill: %(n)d thing is due", "Samspill: %(n)d things are due", total
        ) % {"n": total}
        elsewhere = sorted({str(REMINDER_WHERE[kind]) for kind in counts if kind in REMINDER_WHERE})
        body = "\n".join(
            [_("Open your Today page in Samspill to see them."), *elsewhere, "", *lines]
        )
    Reminder.objects.filter(pk__in=[pk for pk, _kind in due]).update(emailed_at=timezone.now())
    digest.reminders = total
    digest.save(update_fields=["reminders"])
    outbox_put(to=[user.email], subject=subject, body=body)
    return True
