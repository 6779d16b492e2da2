"""What keeps background work going through crashes: workers' leases and the daily runs
(services.py explains how they are used)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerLease(models.Model):
    """A running `samspill db_worker`: renewed every few seconds by a thread of the worker. A
    task RUNNING on a worker whose lease has expired is given to another worker."""

    worker_id = models.CharField(_("worker"), max_length=64, unique=True)
    hostname = models.CharField(_("host"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("process"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    seen_at = models.DateTimeField(_("last seen"), db_index=True)

    class Meta:
        verbose_name = _("worker lease")
        verbose_name_plural = _("worker leases")

    def __str__(self) -> str:
        return self.worker_id


class DailyRun(models.Model):
    """A daily job enqueued for a day: unique per job and day, so two schedulers (or a
    scheduler and a worker) running at once enqueue it once."""

    name = models.CharField(_("job"), max_length=64)
    day = models.DateField(_("day"))
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("daily run")
        verbose_name_plural = _("daily runs")
        constraints = [
            models.UniqueConstraint(fields=["name", "day"], name="daily_run_once_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.day}"
