"""Rate limit of the feed's queries that make PostgreSQL compute: CQL2 filters (GET `filter=` and
POSTed CQL2 JSON), per client address.

Plain pages (a bbox, a datetime, sortby, the next link of an unfiltered layer) stay unthrottled:
they are answered from indexes in milliseconds, and QGIS sends one per pan and zoom. A filter
can compare a geometry with every row or chain 100 conditions, so it is counted.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache as default_cache
from django.http import HttpRequest

from gis_service.core.throttles import FixedWindowThrottle


class FeedFilterThrottle(FixedWindowThrottle):
    """`OGC_FILTER_RATE` per client address; a fixed-window counter (one atomic INCR per request),
    like the overlap check's."""

    scope = "ogc_filter"
    cache = default_cache

    def get_rate(self) -> str | None:
        return str(getattr(settings, "OGC_FILTER_RATE", "120/min")) or None


def computes(request: HttpRequest) -> bool:
    """Whether an items request carries a CQL2 filter (in the query or as a POSTed body)."""
    return request.method == "POST" or "filter" in request.GET


def filter_wait(request: HttpRequest) -> float | None:
    """None when the request may go on; otherwise the seconds until the client may filter again."""
    throttle = FeedFilterThrottle()
    if throttle.allow_request(request, None):
        return None
    return throttle.wait() or 1.0
