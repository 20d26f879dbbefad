"""Every HTML answer carries the Content-Security-Policy (issue 17): our own scripts and styles only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from gis_service.accounts.models import User
from tests.web.site_pages import demo_site_pages

ROOT = Path(__file__).resolve().parents[2]


def test_every_html_page_carries_the_policy(client: Client, db: None) -> None:
    pages = demo_site_pages()
    for username, path in pages:
        client.logout()
        if username is not None:
            client.force_login(User.objects.get(username=username))
        response = client.get(path)
        assert response.status_code == 200, (username, path, response.status_code)
        assert response["Content-Type"].startswith("text/html"), (path, response["Content-Type"])
        policy = response.get("Content-Security-Policy", "")
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
        assert directives.get("script-src") == "'self'", (path, policy)
        assert directives.get("style-src") == "'self'", (path, policy)
        assert directives.get("default-src") == "'self'", (path, policy)
        assert directives.get("object-src") == "'none'", (path, policy)
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, (path, policy)


@pytest.mark.parametrize("path", ["/healthz", "/ogc/?f=json", "/api/locations/", "/ogc/no-such-page"])
def test_other_answers_carry_it_too(client: Client, db: None, path: str) -> None:
    assert "script-src 'self'" in client.get(path)["Content-Security-Policy"]


# Inline script, style elements, style="" attributes and on…= handlers: the policy refuses them all.
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>|<style\b|\sstyle=\"|\son[a-z]+=\""
)


def test_our_templates_hold_nothing_the_policy_refuses() -> None:
    """Caught here in a second, not only by the browser test on the pages it happens to open."""
    templates = [
        p for p in ROOT.glob("*/**/templates/**/*.html")
        if ".venv" not in p.parts and "node_modules" not in p.parts and "var" not in p.parts
    ]  # fmt: skip
    assert len(templates) > 30
    offending = [f"{p.relative_to(ROOT)}: {m.group(0)}" for p in templates for m in INLINE.finditer(p.read_text())]
    assert offending == []


def test_the_feeds_html_pages_are_ours(client: Client, db: None) -> None:
    """Issue 13: pygeoapi's pages loaded Bootstrap and Leaflet from CDNs and OSM tiles, linked a
    default.css that answered 404, had dir="text_direction" and an empty <title> on items."""
    from tests.web.site_pages import demo_site_pages as load

    feed_pages = [path for _, path in load() if path.startswith("/ogc/")]
    assert len(feed_pages) >= 6
    for path in feed_pages:
        html = client.get(path).content.decode()
        assert 'dir="ltr"' in html, path
        assert re.search(r"<title>\s*\S", html), path
        for foreign in ("unpkg.com", "cdnjs", "jsdelivr", "openstreetmap", "/static/css/default.css"):
            assert foreign not in html, (path, foreign)
        assert "/static/web/site.css" in html and "/static/ogc/ogc.css" in html, path
    item = next(p for p in feed_pages if "/items/" in p)
    title = re.search(r"<title>(.*?)</title>", client.get(item).content.decode(), re.S)
    assert title is not None and title.group(1).split("—")[0].strip(), item
    from django.contrib.staticfiles import finders

    for static in ("ogc/ogc.css", "ogc/ogc_map.js", "leaflet/dist/leaflet.js", "web/site.css"):
        assert finders.find(static), static  # what collectstatic serves
