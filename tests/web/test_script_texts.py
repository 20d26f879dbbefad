"""The scripts speak the page's language: Django's JavaScript catalogue (/jsi18n/, the texts of
web/locale/*/LC_MESSAGES/djangojs.po), and the map libraries' own buttons follow it."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from tests.conftest import rd_square
from tests.web.test_map_keyboard import two_locations as _two_locations
from tests.web.test_map_page import open_map_at


@pytest.fixture
def park(owner_a: Owner) -> Location:
    """A 100 × 100 m park, as in test_initiative_page.py."""
    return Location.objects.create(owner=owner_a, name="Parkje", geometry=rd_square(120000, 486000, 100))


two_locations = _two_locations  # the fixture, shared with test_map_keyboard.py

CATALOGUE = Path(settings.BASE_DIR) / "web" / "locale" / "en" / "LC_MESSAGES" / "djangojs.po"


def test_the_english_catalogue_of_the_scripts_is_complete() -> None:
    """msgfmt counts "N translated messages", and names fuzzy and untranslated ones only when there are any."""
    checked = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(CATALOGUE)],
        capture_output=True,
        text=True,
        check=True,
        env={"LC_ALL": "C", "PATH": "/usr/bin:/bin"},
    )
    assert "translated message" in checked.stderr
    assert "fuzzy" not in checked.stderr and "untranslated" not in checked.stderr, checked.stderr


@pytest.mark.django_db
def test_the_catalogue_is_a_script_in_the_visitors_language(client: Client) -> None:
    english = client.get("/jsi18n/", headers={"accept-language": "en"})
    assert english.status_code == 200
    assert english["Content-Type"].startswith("text/javascript")
    assert english["Cache-Control"] == "max-age=3600"  # base.html asks with ?taal=<language>
    assert '"Inzoomen": "Zoom in"' in english.content.decode()
    dutch = client.get("/jsi18n/", headers={"accept-language": "nl"})
    assert "Zoom in" not in dutch.content.decode()  # Dutch is the source: the scripts' own words


@pytest.fixture
def english_page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A browser whose language is English (Accept-Language: en-GB), offline as `page` is."""
    context = browser.new_context(locale="en-GB")
    context.set_default_timeout(10_000)
    context.route(
        "**/*", lambda route: route.continue_() if route.request.url.startswith(live_server.url) else route.abort()
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    yield page
    context.close()


@pytest.mark.browser
def test_the_map_page_in_english_has_english_script_texts_and_map_buttons(
    english_page: Any, page: Any, live_server: Any, two_locations: tuple[Location, Location]
) -> None:
    offered, _ = two_locations
    open_map_at(english_page, live_server, offered, zoom=17)
    assert english_page.locator("html").get_attribute("lang") == "en"
    assert english_page.locator(".maplibregl-ctrl-zoom-in").get_attribute("title") == "Zoom in"
    assert english_page.locator(".maplibregl-ctrl-zoom-out").get_attribute("title") == "Zoom out"
    assert (
        english_page.locator("canvas.maplibregl-canvas")
        .get_attribute("aria-label")
        .startswith("Map of self-management locations")
    )
    expect(english_page.locator("#map-list-status")).to_have_text("2 locations in view")
    assert english_page.js_errors == []

    open_map_at(page, live_server, offered, zoom=17)  # and in Dutch, the default
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.locator(".maplibregl-ctrl-zoom-in").get_attribute("title") == "Inzoomen"
    expect(page.locator("#map-list-status")).to_have_text("2 locaties in beeld")


@pytest.mark.browser
def test_the_initiative_page_in_english_has_english_script_texts_and_drawing_buttons(
    english_page: Any,
    page: Any,
    live_server: Any,
    park: Location,
) -> None:
    polygon_title = "() => document.querySelector('.leaflet-pm-icon-polygon').closest('[title]').title"
    english_page.goto(f"{live_server.url}/initiatief/")
    english_page.wait_for_selector("#draw-map[data-ready=true]")
    assert english_page.locator(".leaflet-control-zoom-in").get_attribute("title") == "Zoom in"
    assert english_page.evaluate(polygon_title) == "Draw Polygons"
    english_page.check(f'#pick-list input[data-id="{park.pk}"]')
    expect(english_page.locator("#picked-total")).to_have_text("1 location chosen, 10,000 m² in all.")
    expect(english_page.locator("#check-result .area")).to_have_text("Area: 10,000 m²")
    expect(english_page.locator("#pick-list-status")).to_have_text("1 location in view.")
    english_page.fill("#corners", "1 2\n3 4")
    english_page.click("#corners-show")
    expect(english_page.locator("#corners-status")).to_have_text("Line 1 is not a point in the Netherlands: “1 2”.")
    assert english_page.js_errors == []

    page.goto(f"{live_server.url}/initiatief/")  # and in Dutch, the default
    page.wait_for_selector("#draw-map[data-ready=true]")
    assert page.locator(".leaflet-control-zoom-in").get_attribute("title") == "Inzoomen"
    assert page.evaluate(polygon_title) != "Draw Polygons"
