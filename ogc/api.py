"""One pygeoapi API object per base URL, built once and kept (pygeoapi's own Django views build one per request)."""

from __future__ import annotations

import threading
from functools import lru_cache

from pygeoapi.api import API
from pygeoapi.api import itemtypes as pygeoapi_itemtypes

from ogc.config import CONFORMANCE, openapi_document, pygeoapi_config

_conformance_lock = threading.Lock()


def _declare_conformance() -> None:
    """Adds the classes we implement beyond pygeoapi's list (QGIS only filters server-side with them)."""
    with _conformance_lock:
        classes = pygeoapi_itemtypes.CONFORMANCE_CLASSES_FEATURES
        classes.extend(c for c in CONFORMANCE if c not in classes)


@lru_cache(maxsize=8)
def get_api(base_url: str) -> API:
    """The API for a feed served at `base_url` (its links are absolute, so one per host name).

    Host names come from Django's validated Host header (ALLOWED_HOSTS), so the cache stays small.
    """
    _declare_conformance()
    config = pygeoapi_config(base_url)
    return API(config, openapi_document(config))
