"""The API's Swagger UI works without the internet: its scripts come from our static files."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.journeys import AxeWalk

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_docs_render_offline(page: Any, live_server: Any) -> None:
    page.goto(f"{live_server.url}/api/docs/")
    # Swagger UI renders the title from /api/schema/; from a CDN, offline, the page stays empty.
    page.wait_for_selector(".swagger-ui .info .title", timeout=15_000)
    # A Dutch browser (the page fixture's locale): the document Swagger UI fetched is Dutch, as the page says.
    assert "Zelfbeheer-API" in page.inner_text(".swagger-ui .info .title")
    assert "Locaties, voorwaarden, aanmeldingen" in page.inner_text(".swagger-ui .info")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert "cdn.jsdelivr" not in page.content()
    assert page.js_errors == []


@pytest.mark.parametrize("locale", ["en-GB"])
def test_an_english_browser_reads_the_api_docs_in_english(page: Any, live_server: Any) -> None:
    """The page and the document its script fetches follow the browser's language (issue 16)."""
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock-summary-path", timeout=15_000)
    assert "Zelfbeheer API" in page.inner_text(".swagger-ui .info .title")
    assert "Locations, terms, sign-ups, contracts" in page.inner_text(".swagger-ui .info")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.js_errors == []


def test_the_feeds_openapi_ui_renders_offline_and_passes_axe(page: Any, live_server: Any, axe: AxeWalk) -> None:
    """/ogc/openapi?f=html: pygeoapi's page took Swagger UI from a CDN and started it inline, so under
    the Content-Security-Policy it stayed blank; ours renders the feed's operations, in English."""
    page.goto(f"{live_server.url}/ogc/openapi?f=html")
    page.wait_for_selector(".swagger-ui .opblock-summary-path", timeout=15_000)
    paths = page.locator(".swagger-ui .opblock-summary-path").all_inner_texts()
    assert "/collections/locations/items" in [path.replace("\u200b", "") for path in paths]
    assert page.locator("html").get_attribute("lang") == "en"
    assert "unpkg.com" not in page.content()
    axe.check(page)
    assert page.js_errors == []


# Before any script of the page: keep every violation of the Content-Security-Policy the browser reports.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


def test_the_feeds_redoc_page_renders_offline_under_the_policy(page: Any, live_server: Any) -> None:
    """/ogc/openapi?f=html&ui=redoc: pygeoapi's page took Redoc from a CDN the policy refuses, so it stayed
    blank. Ours renders the feed's title and operations from our static files, its style elements allowed by
    the answer's nonce, with no violation, no script error and no request to another host."""
    console_errors: list[str] = []
    elsewhere: list[str] = []
    page.on("console", lambda message: console_errors.append(message.text) if message.type == "error" else None)
    page.on(
        "request",
        lambda request: elsewhere.append(request.url) if not request.url.startswith(live_server.url) else None,
    )
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(f"{live_server.url}/ogc/openapi?f=html&ui=redoc")
    page.wait_for_selector("#redoc h1", timeout=15_000)
    assert "Zelfbeheerplatform" in page.inner_text("#redoc h1")
    page.wait_for_selector("#redoc h2:has-text('Get Zelfbeheerlocaties items')")  # an operation's summary
    page.wait_for_load_state("networkidle")
    assert "Something went wrong" not in page.inner_text("body")
    # Styled: Redoc's rules are in force (its side menu is a column beside the content, not above it).
    menu = page.locator(".menu-content").bounding_box()
    assert menu is not None and menu["x"] == 0 and menu["width"] < 400
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.evaluate("window.__cspViolations") == []
    assert [error for error in console_errors if "Content Security Policy" in error] == []
    assert elsewhere == []  # not even Redocly's logo
    assert page.js_errors == []
