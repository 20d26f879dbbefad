"""WCAG 2.1 AA on every page of the site (issue 16): axe-core finds no violation of any impact on
each page of tests/web/site_pages.py, at phone width (390 px) and at desktop width (1280 px),
with the browser asking for Dutch and for English; no page is wider than a 320 px viewport
(WCAG 1.4.10 Reflow), and each page has a title of its own (2.4.2). What was tested and what
remains: docs/accessibility.md."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from gis_service.accounts.models import User
from tests.web.site_pages import demo_site_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "web" / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = (1280, 390)
NARROWEST = 320

# Rules left out on one page because the HTML is not ours and no override of ours can reach it;
# each is listed in docs/accessibility.md ("Niet toegankelijke inhoud"). (locale, path prefix) -> rules.
EXCLUDED_RULES: dict[tuple[str, str], set[str]] = {}  # none: the admin's date shortcuts got their Dutch names


def axe_violations(page: Any, path: str, locale: str) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations of every impact on the page as it is now."""
    excluded = {
        rule
        for (rule_locale, prefix), rules in EXCLUDED_RULES.items()
        if rule_locale == locale and path.startswith(prefix)
        for rule in rules
    }
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    result = page.evaluate(f"() => axe.run(document, {json.dumps(options)})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} {[n['target'] for n in v['nodes']][:4]}"
        for v in result["violations"]
        if v["id"] not in excluded
    ]


def page_problems(page: Any, axe_source: str, *, path: str, locale: str, where: str) -> list[str]:
    """axe-core's violations at each width, and a page wider than the narrowest viewport."""
    problems: list[str] = []
    # Through the DevTools protocol: a <script> with axe's text would be inline script,
    # which the Content-Security-Policy refuses (docs/security.md).
    page.evaluate(axe_source)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        problems += [f"{where} @{width}px: {v}" for v in axe_violations(page, path, locale)]
    page.set_viewport_size({"width": NARROWEST, "height": 900})
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    if scroll_width > NARROWEST:
        wide = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > 321)
                .slice(-3).map(e => e.tagName + '.' + e.className + '#' + e.id)"""
        )
        problems.append(f"{where}: {scroll_width} px wide at {NARROWEST} px: {wide}")
    return problems


def _context_for(browser: Any, live_server: Any, username: str | None, locale: str) -> Any:
    context = browser.new_context(locale=locale, viewport={"width": WIDTHS[0], "height": 900})
    context.set_default_timeout(15_000)
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith((live_server.url, "data:", "blob:")) else route.abort()
        ),
    )
    if username is not None:
        client = Client()
        client.force_login(User.objects.get(username=username))
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
    return context


@pytest.mark.parametrize("locale", ["nl-NL", "en-GB"])
def test_every_page_meets_wcag_21_aa_at_every_width(browser: Any, live_server: Any, locale: str) -> None:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm install` in web/frontend (make setup does)")
    axe_source = AXE.read_text()
    problems: list[str] = []
    contexts: dict[str | None, Any] = {}
    titles: dict[str, str] = {}  # path -> <title>: each page its own (WCAG 2.4.2)
    try:
        # One context per user: the pages of one log-in share it (and its session).
        for username, path in demo_site_pages():
            if username not in contexts:
                contexts[username] = _context_for(browser, live_server, username, locale)
            page = contexts[username].new_page()
            where = f"{locale} {username or 'anoniem'} {path}"
            response = page.goto(f"{live_server.url}{path}", wait_until="load")
            assert response is not None and response.status == 200, where
            page.wait_for_load_state("networkidle")
            titles[path] = page.title()
            problems += page_problems(page, axe_source, path=path, locale=locale, where=where)
            page.close()
    finally:
        for context in contexts.values():
            context.close()
    for title in set(titles.values()):
        if len(same := [path for path, other in titles.items() if other == title]) > 1:
            problems.append(f"{locale}: one title {title!r} for {same}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("locale", ["nl-NL", "en-GB"])
def test_the_new_password_form_behind_a_reset_link_meets_wcag_21_aa(
    browser: Any, live_server: Any, locale: str
) -> None:
    """The reset mail's link answers with a redirect that keeps its token in the session, so the form it
    leads to is not in site_pages (whose other walks ask for a 200 at once): opened here as from the mail."""
    call_command("load_demo")
    resident = User.objects.get(username="bewoner")
    uid, token = urlsafe_base64_encode(force_bytes(resident.pk)), default_token_generator.make_token(resident)
    link = f"/accounts/reset/{uid}/{token}/"
    context = _context_for(browser, live_server, None, locale)
    try:
        page = context.new_page()
        response = page.goto(f"{live_server.url}{link}", wait_until="load")
        assert response is not None and response.status == 200
        assert page.url.endswith("/set-password/")
        assert page.locator("input[type=password]").count() == 2  # the form, not "this link is no longer valid"
        problems = page_problems(
            page, AXE.read_text(), path="/accounts/reset/", locale=locale, where=f"{locale} {link}"
        )
    finally:
        context.close()
    assert not problems, "\n".join(problems)
