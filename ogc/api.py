"""One pygeoapi API object per base URL, built once and kept (pygeoapi's own Django views build one per request)."""

from __future__ import annotations

import threading
from functools import lru_cache
from http import HTTPStatus
from typing import Any

from django.utils import translation
from pygeoapi import l10n
from pygeoapi.api import API, F_HTML, FORMAT_TYPES
from pygeoapi.api import itemtypes as pygeoapi_itemtypes
from pygeoapi.util import render_j2_template

from ogc.config import CONFORMANCE, openapi_document, pygeoapi_config
from ogc.errors import translated

_conformance_lock = threading.Lock()


def _declare_conformance() -> None:
    """Adds the classes we implement beyond pygeoapi's list (QGIS only filters server-side with them)."""
    with _conformance_lock:
        classes = pygeoapi_itemtypes.CONFORMANCE_CLASSES_FEATURES
        classes.extend(c for c in CONFORMANCE if c not in classes)


class FeedAPI(API):
    """pygeoapi's API whose refusals speak the request's language (ogc.negotiation.feed_language).

    Every error answer, pygeoapi's and our providers', is made by `get_exception`: here its text is
    translated (ogc.errors.translated) and its Content-Language says the language it is in, where
    pygeoapi says its own locale (en-US) whatever the text.
    """

    def get_exception(
        self, status: int, headers: dict[str, Any], format_: str | None, code: str, description: Any
    ) -> tuple[dict[str, Any], int, str]:
        text, language = translated(description), translation.get_language()
        html = format_ == F_HTML  # pygeoapi renders its page in its own locale (en-US): ours is the request's
        headers, status, content = super().get_exception(status, headers, None if html else format_, code, text)
        if html and status != HTTPStatus.NO_CONTENT:
            headers["Content-Type"] = FORMAT_TYPES[F_HTML]
            document = {"code": code, "type": code, "description": text}
            content = render_j2_template(
                self.tpl_config, self.config["server"]["templates"], "exception.html", document,
                l10n.str2locale(language),
            )  # fmt: skip
        headers["Content-Language"] = language
        return headers, status, content


@lru_cache(maxsize=8)
def get_api(base_url: str) -> API:
    """The API for a feed served at `base_url` (its links are absolute, so one per host name).

    Host names come from Django's validated Host header (ALLOWED_HOSTS), so the cache stays small.
    """
    _declare_conformance()
    config = pygeoapi_config(base_url)
    return FeedAPI(config, openapi_document(config))
