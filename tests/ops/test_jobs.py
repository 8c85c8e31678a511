"""Deferred jobs (ops.jobs): written with the change, run after its commit, never lost, done in batches."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from ops import jobs
from ops.models import DeferredJob
from settings.schedule import BEAT_SCHEDULE
from tests.cases.conftest import broker_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def calls():
    """A handler of the job "tests.echo" that records the keys of each call; "tests.broken" always fails."""
    seen: list[list[str]] = []

    def broken(keys: list[str]) -> None:
        raise RuntimeError("kaputt")

    jobs.job_handler_register("tests.echo", seen.append)
    jobs.job_handler_register("tests.broken", broken)
    yield seen
    jobs._HANDLERS.pop("tests.echo", None)
    jobs._HANDLERS.pop("tests.broken", None)


def _pending(name: str = "tests.echo") -> list[str]:
    return sorted(DeferredJob.objects.filter(name=name).values_list("key", flat=True))


def test_jobs_are_written_with_the_change_and_run_once_after_its_commit(calls, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        jobs.job_defer("tests.echo", [1, 2])
        jobs.job_defer("tests.echo", [2, 3])
        assert _pending() == ["1", "2", "3"]
        assert calls == []
    assert len(callbacks) == 1  # one kick for the transaction
    assert calls == [["1", "2", "3"]]  # one call for the batch (eager Celery in the tests)
    assert _pending() == []


def test_a_job_asked_for_again_in_the_same_transaction_costs_no_query(calls, django_assert_num_queries):
    with transaction.atomic():
        jobs.job_defer("tests.echo", [7])
        with django_assert_num_queries(0):
            jobs.job_defer("tests.echo", [7])


def test_the_jobs_of_a_block_are_written_in_one_statement(calls, django_assert_num_queries):
    with transaction.atomic():
        with django_assert_num_queries(1), jobs.jobs_collected():
            jobs.job_defer("tests.echo", [1])
            jobs.job_defer("tests.broken", [1])
            jobs.job_defer("tests.echo", [2])
        assert _pending() == ["1", "2"] and _pending("tests.broken") == ["1"]


def test_a_rolled_back_savepoint_takes_its_jobs_and_their_record_with_it(calls):
    with transaction.atomic():
        try:
            with transaction.atomic():
                jobs.job_defer("tests.echo", [5])
                raise RuntimeError
        except RuntimeError:
            pass
        assert _pending() == []
        jobs.job_defer("tests.echo", [5])  # written again: the record of the rolled-back block is gone
        assert _pending() == ["5"]


def test_an_unknown_job_is_refused_before_anything_is_written():
    with pytest.raises(LookupError):
        jobs.job_defer("tests.unknown", [1])
    assert DeferredJob.objects.count() == 0


def test_a_failing_handler_keeps_its_jobs_with_the_error_and_a_pause_and_the_others_are_done(calls):
    jobs.job_defer("tests.echo", [1])
    jobs.job_defer("tests.broken", [1])
    assert jobs.jobs_run() == 1
    assert calls[-1] == ["1"]
    row = DeferredJob.objects.get(name="tests.broken")
    assert row.attempts == 1 and "kaputt" in row.last_error and row.run_after > timezone.now()
    assert jobs.jobs_run() == 0  # paused
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert jobs.jobs_run() == 0
    assert DeferredJob.objects.get(name="tests.broken").attempts == 2


def test_a_job_renewed_while_it_runs_is_not_lost(calls):
    """GIVEN a run that read the case WHEN a change of the case asks for the same job meanwhile THEN the run
    does not delete it: the next run does it again, with what the change wrote."""

    def renewing(keys: list[str]) -> None:
        calls.append(keys)
        if len(calls) == 1:
            jobs.job_defer("tests.echo", keys)

    jobs.job_handler_register("tests.echo", renewing)
    jobs.job_defer("tests.echo", [9])
    jobs.jobs_run()
    assert calls == [["9"]] and _pending() == ["9"]  # kept for the next run
    jobs.jobs_run()
    assert calls == [["9"], ["9"]] and _pending() == []


def test_a_claimed_job_returns_to_the_others_only_after_the_lease(calls):
    jobs.job_defer("tests.echo", [4])
    claimed = jobs._claim(10)
    assert [row.key for row in claimed] == ["4"]
    assert jobs._claim(10) == []  # a run that died holds it ...
    with time_machine.travel(timezone.now() + jobs.LEASE + timedelta(seconds=1)):
        assert [row.key for row in jobs._claim(10)] == ["4"]  # ... until its lease ends


def test_a_reader_runs_its_pending_job_itself(calls):
    jobs.job_defer("tests.echo", [3])
    assert jobs.job_run_now("tests.echo", 3) is True
    assert calls == [["3"]] and _pending() == []
    assert jobs.job_run_now("tests.echo", 3) is False


def test_a_dead_broker_keeps_the_jobs_for_the_periodic_run_and_lets_the_next_change_kick_again(
    calls, django_capture_on_commit_callbacks, caplog
):
    from django.core.cache import cache

    with broker_at("redis://127.0.0.1:1/0"), django_capture_on_commit_callbacks(execute=True):
        jobs.job_defer("tests.echo", [1])
    assert "could not queue a run" in caplog.text
    assert _pending() == ["1"] and calls == []
    assert cache.get(jobs.KICK_KEY) is None  # the next change asks again
    assert jobs.jobs_run() == 1
    assert calls == [["1"]]


def test_a_burst_of_changes_asks_the_broker_once_until_a_run_starts(calls):
    from django.core.cache import cache

    with broker_at("redis://127.0.0.1:1/0"):
        cache.add(jobs.KICK_KEY, 1, 30)  # a run was asked for and has not started
        assert jobs.jobs_kick() is False
        jobs.jobs_run()  # the run starts: the next change asks again
        assert cache.get(jobs.KICK_KEY) is None


def test_the_periodic_run_is_on_the_beat_schedule():
    assert BEAT_SCHEDULE["deferred-jobs"]["task"] == "ops.run_jobs"


def test_the_admin_lists_failed_jobs_with_their_error_and_runs_them_again(calls, admin_client):
    jobs.job_defer("tests.broken", [1])
    jobs.jobs_run()
    job = DeferredJob.objects.get(name="tests.broken")
    page = admin_client.get("/admin/ops/deferredjob/")
    assert page.status_code == 200 and "kaputt" in page.content.decode()
    jobs.job_handler_register("tests.broken", calls.append)  # the cause is fixed
    answer = admin_client.post(
        "/admin/ops/deferredjob/", {"action": "run_now", "_selected_action": [job.pk]}, follow=True
    )
    assert answer.status_code == 200
    assert DeferredJob.objects.get(pk=job.pk).run_after <= timezone.now()
    assert jobs.jobs_run() == 1 and calls == [["1"]]
