"""The conversation's Celery task: poll the IMAP mailbox (every minute, settings/schedule.py). Thin: the poll
takes its own lock and dedupes by Message-ID, so overlapping runs and retries store nothing twice. Does nothing
when INBOUND_IMAP_URL is empty."""

from __future__ import annotations

from celery import shared_task

from core.retry import RETRY


@shared_task(name="conversation.poll_imap", **RETRY)
def poll_imap() -> dict[str, int | bool]:
    from conversation.imap import imap_poll

    return imap_poll().as_dict()
