"""The statistics' receivers of the casework's events (connected in ``StatsConfig.ready``): a change of a case
schedules the refresh of that case's fact rows for after its commit, so that the selectors only read.

The refresh is cheap (one INSERT ... SELECT for the case's row, its topic rows replaced) and idempotent; it
runs after commit because it reads what the change wrote. If it fails (or the process dies before it runs),
the periodic ``stats.refresh_rows`` sweep picks the case up: a transition saved the enquiry and every other
change was sent through ``cases.events.enquiry_changed_send``, so ``updated_at`` moved either way.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction

from cases.models import Enquiry


def _refresh_after_commit(enquiry_ids: list[int]) -> None:
    from stats.facts import stats_rows_refresh

    # robust: the change has committed; a failed refresh is logged and left to the sweep
    transaction.on_commit(partial(stats_rows_refresh, enquiry_ids=enquiry_ids), robust=True)


def stats_after_transition(*, enquiry: Enquiry, **kwargs: Any) -> None:
    _refresh_after_commit([enquiry.pk])


def stats_after_change(*, enquiry_ids: list[int], **kwargs: Any) -> None:
    _refresh_after_commit(list(enquiry_ids))
