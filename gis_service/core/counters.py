"""Counters in the cache that run for a time window: rate limits, failed log-ins, reset mails."""

from __future__ import annotations

from typing import Any


def count_in_window(cache: Any, key: str, timeout: int) -> int:
    """Adds one to the count under `key`, which lives `timeout` seconds from its first; the new count.

    One round trip when the cache is Redis (INCR, then EXPIRE only if the key has none yet);
    otherwise add-then-incr, which another process may race but never loses a count.
    """
    backend = getattr(cache, "_cache", None)
    if backend is not None and hasattr(backend, "get_client"):
        full_key = cache.make_and_validate_key(key)
        pipeline = backend.get_client(full_key, write=True).pipeline()
        pipeline.incr(full_key)
        pipeline.expire(full_key, timeout, nx=True)
        return int(pipeline.execute()[0])
    cache.add(key, 0, timeout)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout)
        return 1
