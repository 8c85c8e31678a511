"""Hand a Celery task to the broker from a web request, after commit, without letting a dead broker fail or
hold up the request that caused it (the outbox's e-mails, the auto-assign)."""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)

# One connection attempt, no publish retries: a dead broker must not hold the web request for the seconds the
# default retry policy would wait.
KICK_TRANSPORT_OPTIONS = {"max_retries": 0, "interval_start": 0, "interval_step": 0, "interval_max": 0}


def task_kick(task: Any, *, args: list[Any], failure: str) -> bool:
    """Queue ``task`` with ``args``; on failure log ``failure`` (with the error) and return False. The caller
    says in ``failure`` what catches up on a lost kick (a sweep, or nothing)."""
    from celery import current_app as app

    try:
        with app.connection_for_write(transport_options=KICK_TRANSPORT_OPTIONS) as connection:
            task.apply_async(args=args, retry=False, connection=connection)
    except Exception:
        logger.warning(failure, exc_info=True)
        return False
    return True
