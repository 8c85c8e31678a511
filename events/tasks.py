"""The event's periodic work: the reminders the day before (settings.schedule runs it)."""

from __future__ import annotations

from celery import shared_task


@shared_task(
    name="events.send_reminders", autoretry_for=(Exception,), retry_backoff=True, retry_jitter=True, max_retries=3
)
def send_reminders() -> int:
    from events.registrations import events_send_reminders

    return events_send_reminders()
