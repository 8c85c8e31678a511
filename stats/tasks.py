"""The statistics' periodic task: the catch-all sweep of the fact rows (beat, settings.schedule)."""

from __future__ import annotations

from celery import shared_task

from core.retry import RETRY


@shared_task(name="stats.refresh_rows", **RETRY)
def refresh_rows() -> None:
    """Refresh the rows of every enquiry changed (or escalated) lately (``stats.facts``). Each change
    refreshes its own rows after commit (stats.hooks); this catches what such a refresh missed. Idempotent:
    a second run recomputes the same rows."""
    from stats.facts import stats_rows_refresh

    stats_rows_refresh()
