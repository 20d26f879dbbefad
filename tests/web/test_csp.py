"""Every page of the site runs under the Content-Security-Policy (issue 17) and asks nothing of
another host (issue 13 for the feed's pages): a violation, a script error or a request elsewhere
fails the test. The one other host a page may use is the public map's background
(MAP_BACKGROUND_URL, named in the policy); requests to it are aborted here like all others."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client

from gis_service.accounts.models import User
from gis_service.env import url_origin
from tests.web.site_pages import demo_site_pages

pytestmark = pytest.mark.django_db(transaction=True)

# Before any script of the page: keep every violation the browser reports.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


def _context_for(browser: Any, live_server: Any, username: str | None, seen: dict[str, list[str]]) -> Any:
    context = browser.new_context(locale="nl-NL")
    context.set_default_timeout(15_000)
    context.add_init_script(RECORD_VIOLATIONS)
    background = url_origin(settings.MAP_BACKGROUND_URL) if settings.MAP_BACKGROUND_URL else None

    def only_the_live_server(route: Any) -> None:
        url = route.request.url
        if url.startswith(live_server.url) or url.startswith(("data:", "blob:")):
            route.continue_()
            return
        if background is None or not url.startswith(background):
            seen["foreign"].append(url)
        route.abort()

    context.route("**/*", only_the_live_server)
    if username is not None:
        client = Client()
        client.force_login(User.objects.get(username=username))
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
    return context


def test_every_page_runs_under_the_policy_and_stays_on_our_host(browser: Any, live_server: Any) -> None:
    pages = demo_site_pages()
    problems: list[str] = []
    contexts: dict[str | None, Any] = {}
    seen: dict[str, list[str]] = {"foreign": [], "console": [], "errors": []}
    try:
        for username, path in pages:
            if username not in contexts:
                contexts[username] = _context_for(browser, live_server, username, seen)
            page = contexts[username].new_page()
            page.on(
                "console",
                lambda msg: (
                    seen["console"].append(msg.text)
                    if msg.type == "error" and "Content Security Policy" in msg.text
                    else None
                ),
            )
            page.on("pageerror", lambda error: seen["errors"].append(str(error)))
            response = page.goto(f"{live_server.url}{path}", wait_until="load")
            assert response is not None and response.status == 200, (username, path)
            assert urlsplit(page.url).path == urlsplit(path).path, (username, path, page.url)  # no log-in detour
            page.wait_for_load_state("networkidle")
            violations = page.evaluate("window.__cspViolations")
            for kind, found in [("violation", violations), *[(k, v) for k, v in seen.items()]]:
                problems += [f"{username or 'anoniem'} {path}: {kind}: {item}" for item in found]
            for found in seen.values():
                found.clear()
            page.close()
    finally:
        for context in contexts.values():
            context.close()
    assert not problems, "\n".join(problems)
