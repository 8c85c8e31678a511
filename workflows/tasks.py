"""Celery tasks. Each is thin: it takes ids, calls a service that re-fetches and claims its rows, and returns
quietly when the row is gone or already handled, so that a task run twice (a retry, two workers, beat and a
manual run) does everything once. Services are imported inside the tasks to keep worker start-up light.

Retries are for the database (a restart, a failover); a mail server that refuses is handled by the outbox's
own backoff, visible in the admin.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import DatabaseError, InterfaceError

logger = logging.getLogger(__name__)

RETRY = {
    "autoretry_for": (DatabaseError, InterfaceError),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(name="workflows.send_outbox_message", **RETRY)
def send_outbox_message(message_id: int) -> bool:
    from workflows.outbox import outbox_deliver

    return outbox_deliver(message_id=message_id)


@shared_task(name="workflows.sweep_outbox", **RETRY)
def sweep_outbox() -> int:
    from workflows.outbox import outbox_sweep

    return outbox_sweep()


@shared_task(name="workflows.remind_followups", **RETRY)
def remind_followups() -> int:
    from workflows.reminders import followups_remind_due

    return followups_remind_due()


@shared_task(name="workflows.escalate_deadlines", **RETRY)
def escalate_deadlines() -> int:
    from workflows.deadlines import deadlines_escalate_all

    return deadlines_escalate_all()


@shared_task(name="workflows.process_awaiting_reply", **RETRY)
def process_awaiting_reply() -> list[int]:
    from workflows.reminders import awaiting_process

    return list(awaiting_process())


@shared_task(name="workflows.process_surveys", **RETRY)
def process_surveys() -> list[int]:
    from workflows.surveys import surveys_close_unanswered, surveys_send_due

    return [surveys_send_due(), surveys_close_unanswered()]


@shared_task(name="workflows.heartbeat", **RETRY)
def heartbeat() -> str:
    """Proves that beat schedules and a worker runs: /healthz reads the age of this row."""
    from django.utils import timezone

    from workflows.models import BeatHeartbeat

    now = timezone.now()
    BeatHeartbeat.objects.update_or_create(id=1, defaults={"last_beat_at": now})
    return now.isoformat()


@shared_task(name="workflows.anonymise_expired", **RETRY)
def anonymise_expired() -> int:
    """Daily: contact data of cases closed longer than KTS_RETENTION_DAYS ago (crm.privacy). Capped per run so
    that it stays well inside the task time limit; a backlog is worked off over the following days, or at once
    with ``manage.py anonymise_expired``."""
    from crm.privacy import enquiries_anonymise_expired

    return enquiries_anonymise_expired(limit=20_000)
