"""The public map without a mouse and without colour vision, on a phone and at desktop width.

Browser flags: tests/web/conftest.py (CHROMIUM_ARGS: SwiftShader for WebGL, which MapLibre needs).
"""

from __future__ import annotations

from typing import Any

import pytest

from gis_service.accounts.models import User
from gis_service.contracts.services.offering import offering_create
from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from tests.contracts.factories import active_contract
from tests.web.test_map_page import centre, open_map_at

pytestmark = pytest.mark.browser


@pytest.fixture
def two_locations(
    green_strip: Location, owner_a: Owner, regisseur_a: User, resident: User
) -> tuple[Location, Location]:
    """The strip offered (beschikbaar) and, 60 m east, a roundabout managed under a contract (in beheer),
    as in test_map_page.py."""
    offering_create(location=green_strip, by=regisseur_a, conditions="Geen gif.", terms_text="Versie 1.")
    managed = active_contract(owner=owner_a, regisseur=regisseur_a, manager=resident, x=120060, y=486000).location
    Location.objects.filter(pk=managed.pk).update(name="Rotonde Kerkweg", type="rotonde")
    return green_strip, Location.objects.get(pk=managed.pk)


def tab_until(page: Any, condition: str, limit: int = 60) -> None:
    """Press Tab until `condition` (a function string on the focused element `e`) holds."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const e = document.activeElement; return Boolean({condition}); }})()"):
            return
    raise AssertionError(f"never reached by Tab: {condition}")


def focus_order(page: Any, until: str, limit: int = 60) -> list[str]:
    """What Tab visits from the top of the page, as ids or classes, until `until` has the focus."""
    page.evaluate("() => document.activeElement.blur()")
    seen: list[str] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        seen.append(page.evaluate("() => document.activeElement.id || document.activeElement.className"))
        if page.evaluate(f"(() => {{ const e = document.activeElement; return Boolean({until}); }})()"):
            return seen
    raise AssertionError(f"never reached by Tab: {until}; went {seen}")


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_map_is_used_by_keyboard_alone_from_the_canvas_to_the_list_to_a_location(
    viewport: str, page: Any, phone_page: Any, live_server: Any, two_locations: tuple[Location, Location]
) -> None:
    browser_page = page if viewport == "desktop" else phone_page
    offered, managed = two_locations
    open_map_at(browser_page, live_server, offered, zoom=17)
    browser_page.locator(f'#map-list a[data-id="{managed.pk}"]').wait_for()
    # The count in view is announced, apart from the list itself
    status = browser_page.locator("#map-list-status")
    assert status.get_attribute("role") == "status"
    browser_page.wait_for_function("() => document.getElementById('map-list-status').textContent.trim() !== ''")
    assert status.text_content() == "2 locaties in beeld"
    assert browser_page.locator("#map-list").get_attribute("aria-live") is None  # the count, not the whole list

    # Tab order follows the page: the filters and the address search, the canvas, its buttons, the list
    order = focus_order(browser_page, "e.matches('#map-list a[data-id]')")
    canvas = order.index("maplibregl-canvas")
    assert order.index("map-filters-toggle" if viewport == "phone" else "id_q") < canvas
    assert order.index("maplibregl-ctrl-zoom-in") > canvas

    # The canvas has a name and pans and zooms by keys
    label = browser_page.locator("canvas.maplibregl-canvas").get_attribute("aria-label")
    assert "pijltjestoetsen" in label
    browser_page.locator("canvas.maplibregl-canvas").focus()
    zoom = browser_page.evaluate("() => document.getElementById('map').maplibre.getZoom()")
    browser_page.keyboard.press("Equal")  # MapLibre zooms in on = and +
    browser_page.wait_for_function(f"() => document.getElementById('map').maplibre.getZoom() > {zoom + 0.5}")
    browser_page.keyboard.press("Minus")
    browser_page.wait_for_function(f"() => document.getElementById('map').maplibre.getZoom() < {zoom + 0.5}")
    browser_page.wait_for_function("() => !document.getElementById('map').maplibre.isMoving()")
    lng = browser_page.evaluate("() => document.getElementById('map').maplibre.getCenter().lng")
    browser_page.keyboard.press("ArrowRight")
    browser_page.wait_for_function(f"() => document.getElementById('map').maplibre.getCenter().lng > {lng}")
    browser_page.wait_for_function("() => !document.getElementById('map').maplibre.isMoving()")

    # On to the list: the entry outlines its location, Enter opens it
    browser_page.locator(f'#map-list a[data-id="{managed.pk}"]').wait_for()
    tab_until(browser_page, f"e.dataset.id === '{managed.pk}'")
    outlined = browser_page.evaluate("() => document.getElementById('map').maplibre.getFilter('locations-highlight')")
    assert outlined == ["==", ["id"], managed.pk]
    browser_page.keyboard.press("Enter")
    browser_page.wait_for_url(f"{live_server.url}/locaties/{managed.pk}/")
    assert browser_page.locator("h1").inner_text() == "Rotonde Kerkweg"


def test_on_a_phone_the_filters_fold_so_the_map_starts_near_the_top(
    phone_page: Any, live_server: Any, two_locations: tuple[Location, Location]
) -> None:
    offered, _ = two_locations
    lng, lat = centre(offered)
    phone_page.goto(f"{live_server.url}/?status=beschikbaar#kaart=17/{lat:.6f}/{lng:.6f}")
    phone_page.wait_for_function("() => document.getElementById('map').dataset.state === 'ready'", timeout=30_000)
    toggle = phone_page.locator("#map-filters-toggle")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert toggle.inner_text() == "Filters (1)"  # the filter from the URL still applies, and says so
    assert not phone_page.locator("#map-filters").is_visible()
    top = phone_page.locator("#map").bounding_box()["y"]
    assert top < 844 / 4, f"the map starts {top} px down a 844 px screen"
    assert phone_page.evaluate("() => document.documentElement.scrollWidth") <= 390

    toggle.focus()
    phone_page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert phone_page.locator("#map-filters").is_visible()
    assert phone_page.evaluate("() => document.getElementById('map-filters').contains(document.activeElement)")
    assert phone_page.locator("#id_status").input_value() == "beschikbaar"


def test_at_desktop_width_the_filters_stay_open_without_the_button(
    page: Any, live_server: Any, two_locations: tuple[Location, Location]
) -> None:
    open_map_at(page, live_server, two_locations[0], zoom=17)
    assert page.locator("#map-filters").is_visible()
    assert not page.locator("#map-filters-toggle").is_visible()


def test_status_is_told_by_label_and_pattern_not_by_colour_alone(
    page: Any, live_server: Any, two_locations: tuple[Location, Location]
) -> None:
    offered, managed = two_locations
    open_map_at(page, live_server, managed)
    # The legend names each status and gives it a pattern of its own
    items = page.locator(".legend li")
    assert items.all_inner_texts() == ["beschikbaar", "aangevraagd", "in beheer", "niet beschikbaar"]
    patterns = page.evaluate(
        "() => [...document.querySelectorAll('.legend .swatch')].map((s) => getComputedStyle(s).backgroundImage)"
    )
    assert patterns[0] == "none" and all(p != "none" for p in patterns[1:]), patterns
    assert len(set(patterns)) == 4
    # The map draws the same patterns over the colours
    layer = page.evaluate(
        "() => { const m = document.getElementById('map').maplibre;"
        " return [m.getPaintProperty('locations-fill', 'fill-pattern'),"
        " ['status-aangevraagd', 'status-in-beheer', 'status-niet-beschikbaar'].every((n) => m.hasImage(n))]; }"
    )
    assert layer[0][0] == "match" and layer[1] is True
    # The list says the status in words
    entry = page.locator(f'#map-list a[data-id="{managed.pk}"]').locator("xpath=..")
    entry.wait_for()
    assert "in beheer" in entry.inner_text()
