"""core.cache.RedisWithDatabaseFallback against a real redis-server this test starts and stops (the machine's
Redis is never touched), with the database table behind it."""

from __future__ import annotations

import shutil
import tempfile

import pytest
from django.core.management import call_command

from core.cache import RedisWithDatabaseFallback
from tests.integration.test_outbox_with_real_worker import free_port, start_redis, stop

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed"),
]

TABLE = "kts_test_fallback_cache"


@pytest.fixture
def redis_port():
    port, workdir = free_port(), tempfile.mkdtemp(prefix="kts-cache-")
    process = start_redis(port, workdir)
    yield port, process
    stop(process)
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def table():
    call_command("createcachetable", TABLE, verbosity=0)
    yield TABLE


def _cache(port: int) -> RedisWithDatabaseFallback:
    return RedisWithDatabaseFallback(
        f"redis://127.0.0.1:{port}/0", {"KEY_PREFIX": "kts-cache", "OPTIONS": {"FALLBACK_TABLE": TABLE}}
    )


def test_counters_live_in_redis_while_it_answers(redis_port, table):
    import redis

    port, _process = redis_port
    cache = _cache(port)
    assert cache.add("throttle", [1.0], 60) is True
    assert cache.add("throttle", [2.0], 60) is False
    assert cache.get("throttle") == [1.0]
    assert redis.Redis(port=port).exists("kts-cache:1:throttle")
    assert cache.database.get("throttle") is None  # nothing in the table


def test_when_redis_goes_away_the_cache_keeps_working_on_the_database_table(redis_port, table):
    port, process = redis_port
    cache = _cache(port)
    cache.set("version", 1, None)
    stop(process)
    cache.set("throttle", [1.0], 60)  # no error: the table takes it
    assert cache.get("throttle") == [1.0]
    assert cache.add("kick", 1, 30) is True and cache.add("kick", 1, 30) is False
    assert cache.database.get("throttle") == [1.0]


def test_clear_removes_only_the_caches_keys_not_the_brokers(redis_port, table):
    import redis

    port, _process = redis_port
    client = redis.Redis(port=port)
    client.rpush("celery", "a queued task")
    cache = _cache(port)
    cache.set("a", 1)
    cache.set("b", 2)
    cache.clear()
    assert cache.get("a") is None and cache.get("b") is None
    assert client.llen("celery") == 1


def test_a_throttle_window_is_one_small_counter_in_redis_and_counts_on_in_the_table_when_redis_stops(redis_port, table):
    """GIVEN the throttle's window counter (core.throttles.window_count) WHEN it counts three requests THEN Redis
    holds one small integer (not a list of times); WHEN Redis stops THEN the table counts on, no error."""
    import redis

    port, process = redis_port
    cache = _cache(port)
    counts = [cache.window_count(current="w:2", previous="w:1", timeout=120) for _ in range(3)]
    assert counts == [(1, 0), (2, 0), (3, 0)]
    raw = redis.Redis(port=port)
    assert raw.get("kts-cache:1:w:2") == b"3" and 0 < raw.ttl("kts-cache:1:w:2") <= 120
    assert cache.window_count(current="w:3", previous="w:2", timeout=120) == (1, 3)
    stop(process)
    assert cache.window_count(current="w:4", previous="w:3", timeout=120) == (1, 0)
    assert cache.window_count(current="w:4", previous="w:3", timeout=120) == (2, 0)
