"""A Redis cache that a Redis outage cannot turn into error pages: reads miss, writes are dropped.

Rate limits (django-ratelimit with RATELIMIT_FAIL_OPEN) then let requests through, rendered Markdown is
rendered again, and sessions are read from the database, while the outage lasts.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# INCRBY only when the key exists, in one round trip instead of Django's EXISTS then INCRBY.
_INCR_EXISTING = """
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('INCRBY', KEYS[1], ARGV[1]) end
return false
"""


class ReusedClientRedisCacheClient(RedisCacheClient):
    """One redis.Redis per connection pool instead of a new one per operation (Django's way): building a
    client copies its ~170 response callbacks, which costs more than a small command on a local Redis. A
    client is safe to share between threads: each command takes a connection from the pool."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}
        self._incr_existing: Any = None  # a redis Script, registered on first use

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # Django's own helpers for choosing and making the pool (not in django-stubs, hence the ignores).
        index = self._get_connection_pool_index(write)  # type: ignore[attr-defined]
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
            client = self._clients[index] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client

    def incr(self, key: Any, delta: int) -> Any:
        """Django's `incr` (ValueError on a missing key) in one round trip: every rate-limited request
        (autosave, submit, log-in) counts itself with it."""
        client = self.get_client(key, write=True)
        if self._incr_existing is None:
            self._incr_existing = client.register_script(_INCR_EXISTING)
        value = self._incr_existing(keys=[key], args=[delta], client=client)
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return value


class FailSoftRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

    def _soft(self, operation: str, fallback: Any, *args: Any) -> Any:
        """RedisCache's `operation(*args)`, or `fallback` with a warning when Redis cannot be reached."""
        try:
            return getattr(super(), operation)(*args)
        except RedisError as exc:
            logger.warning("Cache unreachable on %s: %s", operation, exc)
            return fallback

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._soft("get", default, key, default, version)

    def get_many(self, keys: Any, version: int | None = None) -> dict[str, Any]:
        return self._soft("get_many", {}, keys, version)

    def set(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> None:
        self._soft("set", None, key, value, timeout, version)

    def add(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> bool:
        return self._soft("add", False, key, value, timeout, version)

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._soft("has_key", False, key, version)

    def delete(self, key: Any, version: int | None = None) -> bool:
        # Sessions (cached_db) delete their cached copy on log-in and log-out; the database row, the record,
        # is deleted all the same. A copy left in a Redis that was only unreachable, not restarted, lives
        # until it expires.
        return self._soft("delete", False, key, version)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        # django-ratelimit reads None as "count unknown" and, failing open, lets the request through.
        return self._soft("incr", None, key, delta, version)
