"""Absolute links to the site's pages, for e-mails, markers and the feed: one helper, built by
`reverse()` from the URL names, on the public base URL (settings.SITE_URL)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse


def site_url(name: str, *args: object, anchor: str = "") -> str:
    """The absolute URL of the page named `name` (e.g. "web:location") with `args`."""
    return settings.SITE_URL + reverse(name, args=list(args)) + (f"#{anchor}" if anchor else "")
