"""Background tasks (django-tasks). Enqueue daily, e.g. from cron:
`samspill reminders` (schedules and sends), or run a worker with `samspill db_worker`."""

from django_tasks import task

from samspill.followup import reminders


@task()
def schedule_and_send_reminders() -> dict[str, int]:
    created = reminders.reminders_schedule()
    sent = reminders.reminders_send()
    return {"created": created, "sent": sent}
