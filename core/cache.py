"""The cache backend of a deployment with Redis: Redis while it answers, the database cache table while it does
not.

What the cache holds (throttle counters, the ranking state, the statistics' version token, the coalescing key of
the deferred jobs) is read on every public submission: in Redis that costs a round trip, in the database cache a
transaction with a COUNT(*) for culling. Redis being down must not turn a submission into a 500, so every call
that fails to reach it goes to the database table ``kts_cache`` instead (``manage.py createcachetable``), and
Redis is not tried again for ``RETRY_SECONDS``. Counters kept during an outage start afresh in Redis when it is
back: a throttle then forgets at most one window, which is the price of not depending on Redis.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0
_DOWN = (RedisConnectionError, RedisTimeoutError, OSError)
_METHODS = (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "decr",
    "set_many",
    "delete_many",
)


class RedisWithDatabaseFallback(BaseCache):
    """LOCATION: the Redis URL; OPTIONS: ``FALLBACK_TABLE`` (default ``kts_cache``) and the Redis client's
    options (timeouts)."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(params)
        options = dict(params.get("OPTIONS") or {})
        table = options.pop("FALLBACK_TABLE", "kts_cache")
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 0.5)
        shared = {key: value for key, value in params.items() if key != "OPTIONS"}
        self.redis = RedisCache(server, {**shared, "OPTIONS": options})
        self.database = DatabaseCache(table, shared)
        self._down_until = 0.0

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        if time.monotonic() >= self._down_until:
            try:
                return getattr(self.redis, name)(*args, **kwargs)
            except _DOWN:
                logger.warning("cache: Redis unreachable, using the database cache", exc_info=True)
                self._down_until = time.monotonic() + RETRY_SECONDS
        return getattr(self.database, name)(*args, **kwargs)

    def window_count(self, *, current: str, previous: str, timeout: int) -> tuple[int, int]:
        """A throttle's count (``core.throttles.window_count``) in one round trip: INCR of the current window's
        key, its expiry and a GET of the previous window's key in one pipeline."""
        if time.monotonic() >= self._down_until:
            try:
                client = self.redis._cache.get_client(write=True)
                key = self.redis.make_and_validate_key(current)
                pipeline = client.pipeline(transaction=False)
                pipeline.incr(key)
                pipeline.expire(key, int(timeout))
                pipeline.get(self.redis.make_and_validate_key(previous))
                count, _expiry, before = pipeline.execute()
                return int(count), int(before or 0)
            except _DOWN:
                logger.warning("cache: Redis unreachable, using the database cache", exc_info=True)
                self._down_until = time.monotonic() + RETRY_SECONDS
        return _window_count_plain(self.database, current=current, previous=previous, timeout=timeout)

    def clear(self) -> None:
        """Our keys only (KEY_PREFIX): the Redis database may be the broker's too, which FLUSHDB would empty."""
        self.database.clear()
        try:
            client = self.redis._cache.get_client(write=True)
            pattern = f"{self.redis.key_prefix}:*" if self.redis.key_prefix else "*"
            for keys in _chunks(client.scan_iter(match=pattern, count=1000), 1000):
                client.delete(*keys)
        except _DOWN:
            logger.warning("cache: Redis unreachable, cleared the database cache only", exc_info=True)

    def close(self, **kwargs: Any) -> None:
        self.database.close(**kwargs)
        self.redis.close(**kwargs)


def window_count(cache: BaseCache, *, current: str, previous: str, timeout: int) -> tuple[int, int]:
    """Count one request in the window ``current``; returns (its count now, the count of ``previous``): the
    throttles' counter (``core.throttles``). One round trip where the cache offers it (Redis above)."""
    counter = getattr(cache, "window_count", None)
    if counter is not None:
        return counter(current=current, previous=previous, timeout=timeout)
    return _window_count_plain(cache, current=current, previous=previous, timeout=timeout)


def _window_count_plain(cache: BaseCache, *, current: str, previous: str, timeout: int) -> tuple[int, int]:
    """The same through the cache API of any backend (the database table, the local memory)."""
    before = int(cache.get(previous, 0))
    if cache.add(current, 1, timeout):
        return 1, before
    try:
        return int(cache.incr(current)), before
    except ValueError:  # it expired between the two calls
        cache.add(current, 1, timeout)
        return 1, before


def _chunks(items, size: int):
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _delegate(name: str):
    def method(self: RedisWithDatabaseFallback, *args: Any, **kwargs: Any) -> Any:
        return self._call(name, *args, **kwargs)

    method.__name__ = name
    return method


for _name in _METHODS:
    setattr(RedisWithDatabaseFallback, _name, _delegate(_name))
