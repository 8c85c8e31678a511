"""The daily anonymisation of expired contact data."""

from __future__ import annotations

from celery import shared_task

from core.retry import RETRY


@shared_task(name="privacy.anonymise_expired", **RETRY)
def anonymise_expired() -> int:
    """Daily: contact data of cases closed longer than KTS_RETENTION_DAYS ago (privacy.services). Capped per run
    so that it stays well inside the task time limit; a backlog is worked off over the following days, or at
    once with ``manage.py anonymise_expired``."""
    from privacy.services import enquiries_anonymise_expired

    return enquiries_anonymise_expired(limit=20_000)
