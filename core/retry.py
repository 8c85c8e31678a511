"""The retry policy of every Celery task: retries are for the database (a restart, a failover); a mail server
that refuses is handled by the outbox's own backoff, visible in the admin."""

from __future__ import annotations

from django.db import DatabaseError, InterfaceError

RETRY = {
    "autoretry_for": (DatabaseError, InterfaceError),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
}
