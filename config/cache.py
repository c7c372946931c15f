"""A Redis cache that a Redis outage cannot turn into error pages: reads miss, writes are dropped.

Rate limits (django-ratelimit with RATELIMIT_FAIL_OPEN) then let requests through, and rendered Markdown
is rendered again, while the outage lasts.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class FailSoftRedisCache(RedisCache):
    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        try:
            return super().get(key, default, version)
        except RedisError as exc:
            logger.warning("Cache unreachable on get: %s", exc)
            return default

    def get_many(self, keys: Any, version: int | None = None) -> dict[str, Any]:
        try:
            return super().get_many(keys, version)
        except RedisError as exc:
            logger.warning("Cache unreachable on get_many: %s", exc)
            return {}

    def set(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> None:
        try:
            super().set(key, value, timeout, version)
        except RedisError as exc:
            logger.warning("Cache unreachable on set: %s", exc)

    def add(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> bool:
        try:
            return super().add(key, value, timeout, version)
        except RedisError as exc:
            logger.warning("Cache unreachable on add: %s", exc)
            return False

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        try:
            return super().incr(key, delta, version)
        except RedisError as exc:
            # django-ratelimit reads None as "count unknown" and, failing open, lets the request through.
            logger.warning("Cache unreachable on incr: %s", exc)
            return None
