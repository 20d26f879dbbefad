"""What a provider needs to know about the HTTP request pygeoapi does not pass on.

pygeoapi calls a provider with parsed arguments only. Our views put the request's own
parameters (for `next` links that keep every one of them), the editing user and the
request's Content-Crs here, and the provider hands its GeoJSON text back the same way, so
the view can send it without parsing and re-serialising a megabyte of JSON in Python.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class FeedRequest:
    params: dict[str, str]
    items_url: str  # absolute URL of the collection's items, without a query
    raw_features: bool = False  # the view splices Feature JSON text into the response itself
    user: Any = None  # the authenticated editor, for Part 4 writes
    partial_update: bool = False  # PATCH rather than PUT
    content_crs: str | None = None  # the CRS of a written feature's geometry
    filter_body: str | None = None  # a CQL2 JSON filter POSTed to /items
    site_url: str | None = None  # scheme and host the request came to: links in properties point there
    # filled in by the provider:
    features_text: str | None = None
    last_modified: datetime | None = None
    links: list[dict[str, str]] = field(default_factory=list)


_current: ContextVar[FeedRequest | None] = ContextVar("ogc_feed_request", default=None)


def current() -> FeedRequest | None:
    return _current.get()


@contextmanager
def feed_request(request: FeedRequest) -> Iterator[FeedRequest]:
    token = _current.set(request)
    try:
        yield request
    finally:
        _current.reset(token)
