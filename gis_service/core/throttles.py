"""The rate limits' one mechanism: a fixed-window counter per client, in the shared cache."""

from __future__ import annotations

from typing import Any

from rest_framework.throttling import SimpleRateThrottle

from gis_service.core.counters import count_in_window


class FixedWindowThrottle(SimpleRateThrottle):
    """DRF's rate throttle counted in fixed windows (one atomic INCR per request).

    DRF's own keeps a list of request times that is read and rewritten whole on every request and
    grows with the rate. Subclasses name their `scope` (and may read their rate elsewhere).
    """

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def allow_request(self, request: Any, view: Any) -> bool:
        num_requests, duration = getattr(self, "num_requests", None), getattr(self, "duration", None)
        if self.rate is None or num_requests is None or duration is None:
            return True
        self.now = self.timer()
        window = int(self.now // duration)
        self.window_end = (window + 1) * duration
        count = count_in_window(self.cache, f"{self.get_cache_key(request, view)}:{window}", duration + 1)
        return bool(count <= num_requests)

    def wait(self) -> float | None:
        return max(0.0, self.window_end - self.now)
