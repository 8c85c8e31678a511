"""The heartbeat task: proves that beat schedules and a worker runs."""

from __future__ import annotations

from celery import shared_task

from core.retry import RETRY


@shared_task(name="ops.heartbeat", **RETRY)
def heartbeat() -> str:
    """Proves that beat schedules and a worker runs: /healthz reads the age of this row."""
    from django.utils import timezone

    from ops.models import BeatHeartbeat

    now = timezone.now()
    BeatHeartbeat.objects.update_or_create(id=1, defaults={"last_beat_at": now})
    return now.isoformat()


@shared_task(name="ops.run_jobs", **RETRY)
def run_jobs() -> int:
    """The deferred jobs (ops.jobs): kicked after the commit that wrote them, and periodically for lost kicks."""
    from ops.jobs import jobs_run

    return jobs_run()
