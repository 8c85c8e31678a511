"""Deferred work: what a change makes necessary but its answer need not wait for (proposals of a new enquiry,
its statistics rows, its search fields, the sending of its e-mails).

``job_defer(name, keys)`` writes one ``DeferredJob`` row per key in the caller's transaction (a repeat of a
pending (name, key) is one row), and asks, once per transaction and after its commit, for a worker to run
them (``ops.run_jobs``). The rows are the guarantee: a kick lost with the broker is caught up by the periodic
run, and a reader that needs the result now runs its own job itself (``job_run_now``).

The apps above register one handler per name in their ``AppConfig.ready`` (``job_handler_register``); a
handler takes the list of keys of its pending rows, so a backlog is done in batches. A handler that raises
keeps its rows (attempts counted, retried with a growing pause, the error kept for the admin); the others
are done.

Kicks are coalesced: a request asks the broker only when no run has been asked for since the last run
started (a cache key, deleted by the run before it reads the rows), so a burst of submissions costs the
broker one message per run instead of one per submission.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, F, Min, Q
from django.utils import timezone

from ops.models import DeferredJob

logger = logging.getLogger(__name__)

Handler = Callable[[list[str]], None]
_HANDLERS: dict[str, Handler] = {}

RUN_TASK = "ops.run_jobs"
KICK_KEY = "ops:jobs:kick"
# a kick whose run never started (a worker that died) stops blocking the next kick after this
KICK_SECONDS = 30
BATCH = 500
# a run works at most this long, then asks for the next run
BUDGET_SECONDS = 20.0
MAX_PAUSE = timedelta(hours=1)
# a claimed row comes back to the other runs after this (the run that claimed it died)
LEASE = timedelta(minutes=5)


def job_handler_register(name: str, handler: Handler) -> None:
    _HANDLERS[name] = handler


def job_handlers() -> dict[str, Handler]:
    return dict(_HANDLERS)


class _Kick:
    """The after-commit kick of a transaction (block), with the jobs it wrote: a job written again in the same
    transaction is not written twice (a transition writes several timeline entries, each asking for the same
    search refresh). Registered per atomic block, so a savepoint's rollback takes its jobs' record with it."""

    def __init__(self) -> None:
        self.jobs: set[tuple[str, str]] = set()

    def __call__(self) -> None:
        jobs_kick()


def _kicks_alive(conn) -> tuple[list[_Kick], _Kick | None]:
    """The kicks of this transaction whose block is still open or committed into it, and the one of the
    innermost block (None if it has none yet)."""
    here = set(conn.savepoint_ids)
    alive, own = [], None
    for savepoints, callback, _robust in conn.run_on_commit:
        if isinstance(callback, _Kick) and savepoints <= here:
            alive.append(callback)
            if savepoints == here:
                own = callback
    return alive, own


_collected: ContextVar[list[tuple[str, str]] | None] = ContextVar("ops_jobs_collected", default=None)


@contextmanager
def jobs_collected() -> Iterator[None]:
    """Inside the caller's transaction: the jobs deferred in the block are written in one statement at its end
    (a submission asks for four: its proposals, statistics, search fields and confirmation)."""
    if _collected.get() is not None:
        yield
        return
    token = _collected.set([])
    try:
        yield
        pending = _collected.get() or []
    finally:
        _collected.reset(token)
    _write(pending)


def job_defer(name: str, keys: Iterable[object]) -> None:
    """In the caller's transaction: the job ``name`` for each key, run after commit. A pending row of the same
    (name, key) is renewed (a run that already read the case must not delete what this change asks for)."""
    if name not in _HANDLERS:
        raise LookupError(f"no handler registered for deferred job {name!r}")
    pairs = [(name, key) for key in sorted({str(k) for k in keys})]
    collected = _collected.get()
    if collected is not None:
        collected.extend(pairs)
        return
    _write(pairs)


def _write(pairs: list[tuple[str, str]]) -> None:
    conn = transaction.get_connection()
    own = None
    if conn.in_atomic_block:
        alive, own = _kicks_alive(conn)
        written = set().union(*(kick.jobs for kick in alive))
        pairs = [pair for pair in pairs if pair not in written]
    pairs = sorted(set(pairs))
    if not pairs:
        return
    now = timezone.now()
    DeferredJob.objects.bulk_create(
        [DeferredJob(name=name, key=key, created_at=now, run_after=now) for name, key in pairs],
        update_conflicts=True,
        unique_fields=["name", "key"],
        update_fields=["created_at", "run_after", "attempts"],
    )
    if own is None:
        own = _Kick()
        # outside a transaction this runs at once
        transaction.on_commit(own, robust=True)
    own.jobs.update(pairs)


def jobs_kick() -> bool:
    """Ask a worker to run the pending jobs, unless a run has been asked for and not yet started."""
    from celery import current_app

    from core.kick import task_kick

    run_jobs = current_app.tasks[RUN_TASK]  # by name: ops.tasks imports this module
    try:
        if not cache.add(KICK_KEY, 1, KICK_SECONDS):
            return False
    except Exception:
        logger.warning("ops.jobs: cache unavailable, kicking without coalescing", exc_info=True)
    if task_kick(run_jobs, args=[], failure="ops.jobs: could not queue a run; the periodic run does the jobs"):
        return True
    try:
        cache.delete(KICK_KEY)  # no run was asked for: the next change tries again
    except Exception:
        logger.warning("ops.jobs: cache unavailable", exc_info=True)
    return False


def _pause(attempts: int) -> timedelta:
    return min(timedelta(seconds=5 * 2 ** min(attempts, 12)), MAX_PAUSE)


def _unchanged(rows: list[DeferredJob]) -> Q:
    """The rows as they were claimed: one renewed since (``job_defer`` of a later change) is not matched."""
    condition = Q(pk__in=[])
    for row in rows:
        condition |= Q(pk=row.pk, created_at=row.created_at)
    return condition


def _run_group(name: str, rows: list[DeferredJob]) -> int:
    _forget({(name, row.key) for row in rows})
    handler = _HANDLERS.get(name)
    try:
        if handler is None:
            raise LookupError(f"no handler registered for deferred job {name!r}")
        handler([row.key for row in rows])
    except Exception as exc:
        logger.exception("ops.jobs: %s failed for %d key(s)", name, len(rows))
        DeferredJob.objects.filter(_unchanged(rows)).update(
            run_after=timezone.now() + _pause(max(row.attempts for row in rows)),
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        return 0
    DeferredJob.objects.filter(_unchanged(rows)).delete()
    return len(rows)


def _forget(pairs: set[tuple[str, str]]) -> None:
    """Jobs being run are no longer "written in this transaction": asking for one again writes it (a run inside the
    transaction that deferred it: a reader's ``job_run_now``, eager tasks)."""
    for _savepoints, callback, _robust in transaction.get_connection().run_on_commit:
        if isinstance(callback, _Kick):
            callback.jobs -= pairs


def _claim(batch: int) -> list[DeferredJob]:
    """Due rows, leased to this run (another run skips them until the lease ends: a run that died)."""
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            DeferredJob.objects.select_for_update(skip_locked=connection.features.has_select_for_update_skip_locked)
            .filter(run_after__lte=now)
            .order_by("run_after", "id")[:batch]
        )
        if rows:
            DeferredJob.objects.filter(pk__in=[row.pk for row in rows]).update(
                run_after=now + LEASE, attempts=F("attempts") + 1
            )
    for row in rows:
        row.attempts += 1
    return rows


def jobs_run(*, budget: float = BUDGET_SECONDS, batch: int = BATCH) -> int:
    """Do the due jobs, in batches, until none is left or the budget is spent (then kick the next run);
    returns how many were done. Each name's handler runs once per batch with all its keys."""
    try:
        cache.delete(KICK_KEY)  # before reading: a job committed from now on kicks a new run
    except Exception:
        logger.warning("ops.jobs: cache unavailable", exc_info=True)
    started = time.monotonic()
    total = 0
    while True:
        rows = _claim(batch)
        by_name: dict[str, list[DeferredJob]] = defaultdict(list)
        for row in rows:
            by_name[row.name].append(row)
        for name, group in by_name.items():
            total += _run_group(name, group)
        if len(rows) < batch:
            return total
        if time.monotonic() - started > budget:
            jobs_kick()
            return total


def job_run_now(name: str, key: object) -> bool:
    """For a reader that needs the job's result now (the proposals right after the submission): run the
    pending job ``name`` for ``key`` in this process, whatever its lease or pause (handlers are idempotent; a
    worker running it at the same moment does the same work). True if there was one and it succeeded."""
    rows = list(DeferredJob.objects.filter(name=name, key=str(key)))
    if not rows:
        return False
    return _run_group(name, rows) > 0


def job_retry_now(*, job_ids: list[int]) -> int:
    """Admin action: these jobs are due again now, their pause forgotten; a run is asked for after commit."""
    updated = DeferredJob.objects.filter(pk__in=job_ids).update(run_after=timezone.now())
    if updated:
        transaction.on_commit(jobs_kick, robust=True)
    return updated


def jobs_backlog(*, now=None) -> dict:
    """For the health check: pending jobs, those that failed at least once, and the age of the oldest."""
    now = now or timezone.now()
    figures = DeferredJob.objects.aggregate(
        pending=Count("pk"), failing=Count("pk", filter=~Q(last_error="")), oldest=Min("created_at")
    )
    oldest = figures["oldest"]
    return {
        "pending": figures["pending"],
        "failing": figures["failing"],
        "oldest_seconds": int((now - oldest).total_seconds()) if oldest else 0,
    }
