"""The files the web expects at a site's root: robots.txt, the sitemap, and security.txt (RFC 9116),
which Dutch municipalities are measured on (internet.nl)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from xml.sax.saxutils import escape

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_safe

from web import sitemap

TEXT = "text/plain; charset=utf-8"
XML = "application/xml; charset=utf-8"
# RFC 9116 2.5.5: less than a year ahead, so that a forgotten file goes stale rather than lie.
SECURITY_TXT_VALID = dt.timedelta(days=180)


@require_safe
@cache_control(public=True, max_age=86400)
def robots_txt(request: HttpRequest) -> HttpResponse:
    return HttpResponse(render_to_string("web/robots.txt", {"site_url": settings.SITE_URL}), content_type=TEXT)


@require_safe
@cache_control(public=True, max_age=86400)
def security_txt(request: HttpRequest) -> HttpResponse:
    """Where to report a vulnerability; 404 while the deployment names no contact (SECURITY_CONTACT)."""
    if not settings.SECURITY_CONTACT:
        raise Http404(_("Deze installatie noemt geen contact voor beveiligingsmeldingen."))
    expires = (timezone.now() + SECURITY_TXT_VALID).replace(microsecond=0)
    context = {"contacts": settings.SECURITY_CONTACT, "expires": expires.isoformat(), "site_url": settings.SITE_URL}
    return HttpResponse(render_to_string("web/security.txt", context), content_type=TEXT)


@require_safe
@cache_control(public=True, max_age=3600)
def sitemap_index(request: HttpRequest) -> HttpResponse:
    files = [(section, number) for section, ranged in sitemap.RANGED.items() for number in range(ranged.files())]
    context = {"site_url": settings.SITE_URL, "files": files}
    return HttpResponse(render_to_string("web/sitemap_index.xml", context), content_type=XML)


@require_safe
@gzip_page
@cache_control(public=True, max_age=3600)
def sitemap_pages(request: HttpRequest) -> StreamingHttpResponse:
    return _urlset(sitemap.other_pages())


@require_safe
@gzip_page  # a file of 50,000 locations is ~4 MB of XML, ~0.3 MB gzipped
@cache_control(public=True, max_age=3600)
def sitemap_ranged(request: HttpRequest, section: str, number: int) -> StreamingHttpResponse:
    ranged = sitemap.RANGED.get(section)
    if ranged is None or number >= ranged.files():
        raise Http404(_("Deze sitemap bestaat niet."))
    return _urlset(ranged.entries(number))


def _urlset(entries: Iterator[sitemap.Entry]) -> StreamingHttpResponse:
    # Streamed: a file of 50,000 locations is a few MB, written as its rows arrive.
    site_url = escape(settings.SITE_URL)

    def lines() -> Iterator[str]:
        yield '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        for entry in entries:
            lastmod = f"<lastmod>{entry.lastmod.date().isoformat()}</lastmod>" if entry.lastmod else ""
            yield f"<url><loc>{site_url}{entry.path}</loc>{lastmod}</url>\n"
        yield "</urlset>\n"

    return StreamingHttpResponse(lines(), content_type=XML)
