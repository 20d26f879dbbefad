"""Browsers ask every host for /favicon.ico, and a page's <link rel="icon"> for the sharper SVG: both
come from our own files, so neither fills the access log with 404s."""

from __future__ import annotations

import re

import pytest
from django.test import Client


def test_it_serves_favicon_ico_at_the_root(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    # The ICO header: reserved 0, type 1 (icon).
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"


def _icon_href(html: str) -> str:
    match = re.search(r'<link rel="icon"[^>]* href="([^"]+)"', html)
    assert match is not None, "no <link rel=icon>"
    return match.group(1)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/ogc/?f=html"], ids=["site", "ogc"])
def test_pages_name_an_icon_that_exists(client: Client, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 200
    href = _icon_href(page.content.decode())
    icon = client.get(href)
    assert icon.status_code == 200
    assert icon["Content-Type"].startswith("image/svg+xml")
