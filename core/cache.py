"""The shared cache of several app servers: Django's RedisCache, forgiving a Redis that is down.

With REDIS_URL set (README, "Several app servers") every app server keeps the
rendered fragments (core.fragments) and the short-lived claims and counters
(core.form_guard, users.password_reset) in one Redis. Nothing there is the
only copy of anything: a fragment is rendered again from the database, a
claim or a counter starts afresh. So a Redis that is down or slow must cost
speed, never a page. Django's RedisCache raises instead (every cached page
would answer 500), and without a socket timeout a Redis host that drops
packets would hold each request until the kernel gives up. This subclass:

- answers every failed call as if the key were not there: a miss for reads,
  a no-op for writes, "stored" for `add` (a claim Redis cannot keep must not
  turn every form into "already sent"), ValueError for `incr` (what Django
  raises for a missing key, so callers restart their count);
- gives Redis a short socket timeout, and after a failure leaves it alone
  for PAUSE_SECONDS in this process, so a page with many cache calls pays
  the timeout once, not per call; then the next call tries again, and the
  cache works again as soon as Redis answers;
- logs a warning when an outage starts and at most once a minute while it
  lasts (per process), and when Redis answers again;
- clears only its own keys (KEY_PREFIX): the task queue (RQ) shares the
  Redis database, and Django's `clear()` would empty it with FLUSHDB.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Seconds; a healthy Redis on the local network answers in about a millisecond.
SOCKET_TIMEOUT = 0.5
# After a failure Redis is not asked again for this long (per process).
PAUSE_SECONDS = 5.0
# While an outage lasts, one warning per process per this many seconds.
WARN_EVERY_SECONDS = 60.0


class _Outage:
    """When Redis failed in this process, and what was logged (shared by its threads)."""

    def __init__(self) -> None:
        self.retry_at = 0.0  # monotonic time before which Redis is not asked
        self.warned_at: float | None = None  # None: no outage going on

    def paused(self) -> bool:
        return time.monotonic() < self.retry_at

    def failed(self, location: str, operation: str, error: Exception) -> None:
        now = time.monotonic()
        self.retry_at = now + PAUSE_SECONDS
        if self.warned_at is None or now - self.warned_at >= WARN_EVERY_SECONDS:
            self.warned_at = now
            logger.warning(
                "Redis cache at %s failed (%s: %s); serving without the cache, "
                "trying again in %.0f s",
                location,
                operation,
                error,
                PAUSE_SECONDS,
            )

    def answered(self, location: str) -> None:
        if self.warned_at is not None:
            self.warned_at = None
            logger.info("Redis cache at %s answers again", location)


# One per Redis location and process: Django makes a cache object per thread.
_outages: dict[str, _Outage] = {}


class ForgivingRedisCache(RedisCache):
    """RedisCache that treats a Redis that is down as an empty cache (module docstring)."""

    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        options = {
            "socket_connect_timeout": SOCKET_TIMEOUT,
            "socket_timeout": SOCKET_TIMEOUT,
            **params.get("OPTIONS", {}),
        }
        super().__init__(server, {**params, "OPTIONS": options})
        location = server if isinstance(server, str) else ",".join(server)
        self._outage = _outages.setdefault(location, _Outage())
        self._location = _without_password(location)  # for the log

    def _forgiving(self, fallback: T, method: Callable[..., T], *args: Any) -> T:
        """`method(*args)` (RedisCache's own), or `fallback` when Redis fails or is paused."""
        if self._outage.paused():
            return fallback
        try:
            result = method(*args)
        except RedisError as error:
            self._outage.failed(self._location, method.__name__, error)
            return fallback
        self._outage.answered(self._location)
        return result

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._forgiving(default, super().get, key, default, version)

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        return self._forgiving({}, super().get_many, keys, version)

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._forgiving(False, super().has_key, key, version)

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        self._forgiving(None, super().set, key, value, timeout, version)

    def set_many(
        self, data: Mapping[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[Any]:
        # The keys that were not stored: all of them when Redis failed.
        return self._forgiving(list(data), super().set_many, data, timeout, version)

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        return self._forgiving(True, super().add, key, value, timeout, version)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._forgiving(False, super().touch, key, timeout, version)

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._forgiving(False, super().delete, key, version)

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        self._forgiving(None, super().delete_many, keys, version)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        found = self._forgiving(None, super().incr, key, delta, version)
        if found is None:  # Redis answers a number or raises; None is the fallback
            raise ValueError(f"Key {key!r} not found: the Redis cache is unavailable")
        return found

    def clear(self) -> bool:
        return self._forgiving(False, self._delete_own_keys)

    def _delete_own_keys(self) -> bool:
        client = self._cache.get_client(write=True)
        for batch in _batches(client.scan_iter(match=f"{self.key_prefix}:*", count=500), 500):
            client.delete(*batch)
        return True


def _without_password(location: str) -> str:
    """`location` for a log line: "redis://:secret@host:6379/0" becomes "redis://host:6379/0"."""
    servers = [urlsplit(url) for url in re.split("[;,]", location)]
    return ",".join(s._replace(netloc=s.netloc.rpartition("@")[2]).geturl() for s in servers)


def _batches(items: Iterable[T], size: int) -> Iterable[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
