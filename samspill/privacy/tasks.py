"""The daily retention run (settings.SAMSPILL_DAILY_JOBS): applies the rules and tells each
organisation's administrators what was done."""

from django_tasks import task

from samspill.privacy import retention


@task()
def apply_retention_rules() -> dict[str, int]:
    report = retention.retention_run(apply=True)
    sent = retention.retention_report_send(report)
    return {"done": sum(item.count for item in report.due), "reported": sent}
