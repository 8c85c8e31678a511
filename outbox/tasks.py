"""The outbox's Celery tasks: send one message (kicked after commit) and the periodic sweep. Thin: they take
ids, the service re-fetches and claims the row, so a task run twice sends once."""

from __future__ import annotations

from celery import shared_task

from core.retry import RETRY


@shared_task(name="outbox.send_outbox_message", **RETRY)
def send_outbox_message(message_id: int) -> bool:
    from outbox.delivery import outbox_deliver

    return outbox_deliver(message_id=message_id)


@shared_task(name="outbox.sweep_outbox", **RETRY)
def sweep_outbox() -> int:
    from outbox.delivery import outbox_sweep

    return outbox_sweep()
