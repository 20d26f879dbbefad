"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live_server.

Map tiles come from the internet, which tests must not need: every request that does not go
to the live server is aborted, so the pages are tested as they work offline.
"""

from __future__ import annotations

import os
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from gis_service.accounts.models import User
from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from tests.conftest import rd_square
from tests.web.journeys import AxeWalk

JOURNEY_SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "test-artifacts" / "journeys"
PHONE = {"width": 390, "height": 844}
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# The public map draws with WebGL (MapLibre GL JS): without a GPU, Debian's Chromium renders it
# with SwiftShader, which it offers only when asked to (--enable-unsafe-swiftshader).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--enable-unsafe-swiftshader",
    "--use-angle=swiftshader",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/setup.sh --test (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between browser steps are still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def _new_page(browser: Any, live_server: Any, **context_options: Any) -> Any:
    context = browser.new_context(**{"locale": "nl-NL", **context_options})
    context.set_default_timeout(10_000)

    def only_the_live_server(route: Any) -> None:
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", only_the_live_server)
    return context.new_page()


_WARMED: set[str] = set()


@pytest.fixture
def warm_live_server(live_server: Any, transactional_db: None) -> None:
    """The server's first answer imports the URLconf and its views: 7.7 s measured on a loaded
    2-core machine, most of the 10 s a browser step may take, so a journey's first page timed out.
    Once per server, before the first page (a session fixture may not use the database)."""
    if live_server.url not in _WARMED:
        urllib.request.urlopen(f"{live_server.url}/", timeout=120).read()  # noqa: S310 (our own server)
        _WARMED.add(live_server.url)


@pytest.fixture
def locale() -> str:
    """The language the browser asks for; a journey parametrizes it (tests/web/journeys.py)."""
    return "nl-NL"


@pytest.fixture
def axe(live_server: Any) -> AxeWalk:
    """axe-core on every page a journey's tabs land on (`axe.follow(page)`, `axe.check(page)`)."""
    return AxeWalk(live_server)


@pytest.fixture
def page(browser: Any, live_server: Any, locale: str, warm_live_server: None) -> Iterator[Any]:
    page = _new_page(browser, live_server, locale=locale)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    yield page
    page.context.close()


@pytest.fixture
def other_page(browser: Any, live_server: Any, locale: str, warm_live_server: None) -> Iterator[Any]:
    """A second person's browser beside `page`, with cookies of its own."""
    page = _new_page(browser, live_server, locale=locale)
    yield page
    page.context.close()


@pytest.fixture
def phone_page(browser: Any, live_server: Any, locale: str, warm_live_server: None) -> Iterator[Any]:
    """A page the size of a phone, with touch."""
    page = _new_page(
        browser, live_server, locale=locale, viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )
    yield page
    page.context.close()


def logged_in(user: User) -> Client:
    """A test client with `user` logged in, for pages without a browser."""
    client = Client()
    client.force_login(user)
    return client


def log_in(page: Any, live_server: Any, user: User, axe: AxeWalk | None = None) -> None:
    """Log in through the real form, as a resident would; with `axe`, the form is checked first."""
    page.goto(f"{live_server.url}/accounts/login/")
    if axe is not None:
        axe.check(page)
    page.fill("#id_username", user.username)
    page.fill("#id_password", "pw-" + user.username * 2)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


@pytest.fixture
def green_strip(owner_a: Owner) -> Location:
    """A 20 × 50 m groenstrook in Amsterdam (RD), available for zelfbeheer."""
    return Location.objects.create(
        owner=owner_a, name="Groenstrook Vondelstraat", type="groenvoorziening", geometry=rd_square(120000, 486000, 20)
    )


def drawing_map_box(page: Any, location: Location) -> dict[str, float]:
    """Where `location` lies on the initiative page's map, on screen (as Playwright's bounding_box):
    its shape is drawn from the vector tiles on a canvas, so it has no element of its own."""
    west, south, east, north = location.geometry.transform(4326, clone=True).extent
    box: dict[str, float] = page.evaluate(
        """([west, south, east, north]) => {
            const map = document.getElementById("draw-map").leaflet;
            const rect = map.getContainer().getBoundingClientRect();
            const nw = map.latLngToContainerPoint([north, west]);
            const se = map.latLngToContainerPoint([south, east]);
            return { x: rect.left + nw.x, y: rect.top + nw.y, width: se.x - nw.x, height: se.y - nw.y };
        }""",
        [west, south, east, north],
    )
    return box


def phone_screenshot(page: Any, name: str) -> Path:
    """A desktop journey's last step as it looks at phone width (390 px), kept as a test artifact
    (`journeys/<name>-phone.png`); the page's own viewport is put back after."""
    size = page.viewport_size
    page.set_viewport_size(PHONE)
    path = JOURNEY_SCREENSHOTS / f"{name}-phone.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size(size)
    assert width <= PHONE["width"], f"{name}: {width} px wide at phone width"
    return path


# The words of the tables' cells under `root` that take more than one line: a word split inside
# itself ("Contac / t", "1200,0 / 0") by the cells' overflow-wrap:anywhere or by hyphenation. Text
# that is only there for screen readers (.visually-hidden, 1 px wide) is left out.
_SPLIT_WORDS = """(root) => {
    const split = [];
    for (const cell of document.querySelectorAll(root + ' :is(td, th)')) {
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            if (node.parentElement.closest('.visually-hidden')) continue;
            for (const word of node.data.matchAll(/\\S+/g)) {
                const range = document.createRange();
                range.setStart(node, word.index);
                range.setEnd(node, word.index + word[0].length);
                if (new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1) split.push(word[0]);
            }
        }
    }
    return split;
}"""


def split_words_in_tables(page: Any, root: str = "main") -> list[str]:
    """The words in the tables under `root` (a CSS selector) that the browser split over two or more lines."""
    words: list[str] = page.evaluate(_SPLIT_WORDS, root)
    return words


# For each table under `root`: the name of the scrolling region it sits in, which a keyboard reaches
# (tabindex 0) and a screen reader names by a heading (aria-labelledby); null for a table outside one.
# A group rather than a region where a section of the same name holds it (no two landmarks of one name).
TABLE_REGIONS = """(root) => [...document.querySelectorAll(root + ' table')].map(table => {
    const region = table.parentElement.closest('.table-scroll:is([role=region], [role=group])[tabindex="0"]');
    const heading = region && document.getElementById(region.getAttribute('aria-labelledby'));
    return heading ? heading.textContent.trim() : null;
})"""


def phone_context_as(browser: Any, live_server: Any, username: str | None, locale: str = "nl-NL") -> Any:
    """A phone's browser (390 × 844, touch), offline as `page` is, logged in as the demo's `username`
    (None: anonymous) by a session cookie, for tests that walk many pages as several users."""
    context = browser.new_context(locale=locale, viewport=PHONE, has_touch=True, is_mobile=True)
    context.set_default_timeout(15_000)
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith((live_server.url, "data:", "blob:")) else route.abort()
        ),
    )
    if username is not None:
        session = logged_in(User.objects.get(username=username)).cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
    return context
