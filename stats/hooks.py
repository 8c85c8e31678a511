"""The statistics' receivers of the casework's events (connected in ``StatsConfig.ready``): a change of a case
defers the refresh of that case's fact rows (``ops.jobs``, a row written in the change's transaction), so that
the selectors only read and the change's answer does not wait for it.

The refresh is cheap (one INSERT ... SELECT per batch of cases, their topic rows replaced) and idempotent; it
runs after commit because it reads what the change wrote. A failed run keeps its job for the next; the periodic
``stats.refresh_rows`` sweep is the last resort: a transition saved the enquiry and every other change was sent
through ``cases.events.enquiry_changed_send``, so ``updated_at`` moved either way.
"""

from __future__ import annotations

from typing import Any

from cases.models import Enquiry
from ops.jobs import job_defer

STATS_ROWS_JOB = "stats.rows"


def stats_rows_job(keys: list[str]) -> None:
    """The deferred job (ops.jobs): the rows of these cases, in one refresh."""
    from stats.facts import stats_rows_refresh

    stats_rows_refresh(enquiry_ids=[int(key) for key in keys])


def _refresh_after_commit(enquiry_ids: list[int]) -> None:
    # a deferred job, written with the change: a worker refreshes after the commit, the answer does not wait
    job_defer(STATS_ROWS_JOB, enquiry_ids)


def stats_after_transition(*, enquiry: Enquiry, **kwargs: Any) -> None:
    _refresh_after_commit([enquiry.pk])


def stats_after_change(*, enquiry_ids: list[int], **kwargs: Any) -> None:
    _refresh_after_commit(list(enquiry_ids))
