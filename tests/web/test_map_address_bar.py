"""The public map's view in the address bar (#kaart=zoom/lat/lng): only ever a view the map shows.

MapLibre's `hash` option wrote its starting camera, #kaart=0/0/0 (the Gulf of Guinea), for 0.3 s
before the first view was fitted to the locations: a link copied or shared then, or the history
entry, opened the map off the coast of Africa. These tests record every hash the page shows, from
the navigation on, by hooking the only ways a page changes it (history.replaceState/pushState and
a hashchange, which setting location.hash fires).

Browser flags: tests/web/conftest.py (CHROMIUM_ARGS: SwiftShader for WebGL, which MapLibre needs).
"""

from __future__ import annotations

from typing import Any

import pytest

from gis_service.locations.models import Location

pytestmark = pytest.mark.browser

RECORD_HASHES = """
window.hashesShown = [window.location.hash];
const record = () => window.hashesShown.push(window.location.hash);
for (const name of ["replaceState", "pushState"]) {
  const original = History.prototype[name];
  History.prototype[name] = function (...args) {
    const result = original.apply(this, args);
    record();
    return result;
  };
}
window.addEventListener("hashchange", record);
"""

# The Netherlands with some sea around it (lng 3.3–7.25, lat 50.75–53.55 is the map's own fallback).
WEST, SOUTH, EAST, NORTH = 3.0, 50.5, 7.5, 53.8


def views(hashes: list[str]) -> list[tuple[float, float, float]]:
    """The (zoom, lat, lng) of every #kaart= among `hashes`; a hash without one is left out."""
    found = []
    for hash_ in hashes:
        for part in hash_.lstrip("#").split("&"):
            if part.startswith("kaart="):
                zoom, lat, lng = (float(n) for n in part.removeprefix("kaart=").split("/")[:3])
                found.append((zoom, lat, lng))
    return found


def in_the_netherlands(view: tuple[float, float, float]) -> bool:
    zoom, lat, lng = view
    return zoom >= 5 and SOUTH <= lat <= NORTH and WEST <= lng <= EAST


def open_and_record(page: Any, url: str) -> list[str]:
    """Every hash the page showed from navigation until its first view was drawn (data-state=ready);
    the page's script errors go to `page.script_errors`."""
    page.script_errors = []
    page.on("pageerror", lambda error: page.script_errors.append(str(error)))
    page.add_init_script(RECORD_HASHES)
    page.goto(url)
    page.wait_for_function("() => document.getElementById('map').dataset.state !== 'loading'", timeout=30_000)
    assert page.locator("#map").get_attribute("data-state") == "ready", page.locator("#map-status").inner_text()
    hashes: list[str] = page.evaluate("() => window.hashesShown")
    return hashes


def camera(page: Any) -> tuple[float, float, float]:
    """(zoom, lat, lng) the map shows."""
    zoom, lng, lat = page.evaluate(
        "() => { const m = document.getElementById('map').maplibre; return [m.getZoom(), ...m.getCenter().toArray()]; }"
    )
    return zoom, lat, lng


def close_to(view: tuple[float, float, float], other: tuple[float, float, float]) -> bool:
    return abs(view[0] - other[0]) < 0.01 and abs(view[1] - other[1]) < 1e-4 and abs(view[2] - other[2]) < 1e-4


def test_a_resident_opening_the_map_on_a_phone_never_has_a_view_outside_the_netherlands_in_the_url(
    phone_page: Any, live_server: Any, green_strip: Location
) -> None:
    hashes = open_and_record(phone_page, f"{live_server.url}/")
    assert hashes[0] == ""  # as navigated to
    shown = views(hashes[1:])
    assert shown, f"the first view was never put in the URL: {hashes}"
    assert all(in_the_netherlands(view) for view in shown), hashes
    assert len(shown) == len(hashes) - 1, f"a hash without the view: {hashes}"
    # The URL holds the view on the screen. (Where that is follows the locations' extent, which the map
    # reads from the planner's statistics: other tests' rows may still be in them, so not asserted here.)
    assert close_to(shown[-1], camera(phone_page)), (shown[-1], camera(phone_page))
    assert shown[-1][0] <= 17  # fitted, at most zoom 17
    assert phone_page.script_errors == []


def test_a_shared_link_opens_at_its_view_and_moving_the_map_updates_it(
    phone_page: Any, live_server: Any, green_strip: Location
) -> None:
    # Far from the location, so a fit to the locations would show
    shared = (12.0, 51.9244, 4.4777)  # Rotterdam
    hashes = open_and_record(phone_page, f"{live_server.url}/#kaart=12/51.9244/4.4777")
    assert views(hashes) and all(close_to(view, shared) for view in views(hashes)), hashes
    assert close_to(camera(phone_page), shared), camera(phone_page)

    # Moving the map (MapLibre's keyboard handler on the focused canvas) writes the new view
    phone_page.locator("canvas.maplibregl-canvas").focus()
    phone_page.keyboard.press("ArrowRight")
    # MapLibre writes the hash when a move ends, so once it changed it holds where the map stopped
    phone_page.wait_for_function("() => window.location.hash !== '#kaart=12/51.9244/4.4777'")
    phone_page.wait_for_function("() => !document.getElementById('map').maplibre.isMoving()")
    moved = views([phone_page.evaluate("() => window.location.hash")])[0]
    assert moved[2] > shared[2] and close_to(moved, camera(phone_page)), (moved, camera(phone_page))
    assert phone_page.script_errors == []


def test_a_link_shared_with_the_old_starting_camera_opens_at_the_locations(
    phone_page: Any, live_server: Any, green_strip: Location
) -> None:
    """Links copied while the old script showed 0/0/0 still go round; nobody chose that view."""
    hashes = open_and_record(phone_page, f"{live_server.url}/#kaart=0/0/0")
    assert hashes[0] == "#kaart=0/0/0"
    assert all(in_the_netherlands(view) for view in views(hashes[1:])) and len(hashes) > 1, hashes
    assert in_the_netherlands(camera(phone_page)), camera(phone_page)
