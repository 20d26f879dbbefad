"""The initiative page picks existing locations from the vector tiles the public map reads (issue 14),
never from the feed's GeoJSON of all locations: with 10 million locations that could not load. Its
list of locations in view is the public map's list in view, a page at a time."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import expect

from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from tests.conftest import rd_square
from tests.web.conftest import drawing_map_box

# A cold live server answers its first pages slowly under load (10 s timed out twice when these ran first).
COLD_START_MS = 30_000

# The feed's items of all locations: what the page loaded before, 1,000 at a time.
FEED_ITEMS = re.compile(r"/ogc/collections/locations/items(\?|$)")
TILES = re.compile(r"/ogc/collections/locations/tiles/WebMercatorQuad/\d+/\d+/\d+")

# Something drawn from the tiles (a shape, or a cell at low zoom) where the location lies, once the
# tiles of the view as it is now are drawn (MapLibre follows Leaflet at one zoom level less).
DRAWN_AT = """([lon, lat]) => {
    const element = document.getElementById("draw-map");
    const gl = element.maplibre;
    if (!gl.loaded() || gl.isMoving() || Math.abs(gl.getZoom() - (element.leaflet.getZoom() - 1)) > 1e-6) return false;
    const { x, y } = gl.project([lon, lat]);
    const near = [[x - 3, y - 3], [x + 3, y + 3]];
    return gl.queryRenderedFeatures(near, { layers: ["locations-fill", "locations-cells"] }).length > 0;
}"""


@pytest.fixture
def park(owner_a: Owner) -> Location:
    """A 100 × 100 m park in Amsterdam, as in test_initiative_page.py."""
    return Location.objects.create(owner=owner_a, name="Parkje", geometry=rd_square(120000, 486000, 100))


def centre(box: dict[str, float]) -> tuple[float, float]:
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def lon_lat(location: Location) -> list[float]:
    point = location.geometry.centroid
    point.transform(4326)
    return [point.x, point.y]


@pytest.mark.browser
def test_the_page_reads_tiles_not_the_feed_and_picks_a_location_from_a_tile(
    page: Any, live_server: Any, park: Location
) -> None:
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    # The list in view is the other way to pick: closed here, so the pick can only come from a tile.
    page.route(re.compile(r"/initiatief/lijst/"), lambda route: route.abort())
    page.goto(f"{live_server.url}/initiatief/")
    page.wait_for_selector("#draw-map[data-ready=true]", timeout=COLD_START_MS)
    page.wait_for_function(DRAWN_AT, arg=lon_lat(park))

    page.mouse.click(*centre(drawing_map_box(page, park)))
    expect(page.locator("#picked-locations li")).to_have_count(1)
    expect(page.locator("#picked-locations li")).to_contain_text("Parkje (10.000 m²)")  # the tile's properties
    expect(page.locator("#picked-total")).to_have_text("1 locatie gekozen, samen 10.000 m².")
    page.wait_for_selector("#draw-map[data-checked=free]")
    assert page.locator("#draw-map").get_attribute("data-fingerprint")
    # Drawn as picked on the tiles
    assert page.evaluate("() => document.getElementById('draw-map').maplibre.getFilter('locations-picked')") == [
        "in",
        ["id"],
        ["literal", [park.pk]],
    ]
    assert any(TILES.search(url) for url in asked)
    assert not [url for url in asked if FEED_ITEMS.search(url)]
    expect(page.locator("#pick-list-status")).to_have_text("De lijst van de locaties in beeld kon niet worden geladen.")
    assert page.js_errors == []


@pytest.mark.browser
def test_from_the_whole_country_a_tap_zooms_in_on_cells_until_it_picks_the_location(
    page: Any, live_server: Any, park: Location, owner_a: Owner
) -> None:
    # A location in Maastricht as well: the page opens on both, at a zoom where the tiles hold cells
    Location.objects.create(owner=owner_a, name="Maasoever", geometry=rd_square(176000, 317000, 50))
    page.goto(f"{live_server.url}/initiatief/")
    page.wait_for_selector("#draw-map[data-ready=true]", timeout=COLD_START_MS)
    # Too wide a view for a list: it asks to zoom in instead of sorting a country's locations
    expect(page.locator("#pick-list-status")).to_have_text("Zoom in om de locaties in beeld als lijst te zien.")
    assert page.locator("#pick-list input").count() == 0
    assert page.evaluate("() => document.getElementById('draw-map').leaflet.getZoom()") < 13

    taps = 0
    while page.locator("#picked-locations li").count() == 0:
        assert taps < 6, "still no pick after 6 taps"
        page.wait_for_function(DRAWN_AT, arg=lon_lat(park))
        zoom = page.evaluate("() => document.getElementById('draw-map').leaflet.getZoom()")
        page.mouse.click(*centre(drawing_map_box(page, park)))
        taps += 1
        # A cell zooms the map in (then the next tap), a shape is picked
        page.wait_for_function(
            "(zoom) => document.querySelectorAll('#picked-locations li').length > 0"
            " || document.getElementById('draw-map').leaflet.getZoom() !== zoom",
            arg=zoom,
        )
    assert taps >= 2  # at least one tap on a cell zoomed in before the shape could be picked
    expect(page.locator("#picked-total")).to_have_text("1 locatie gekozen, samen 10.000 m².")
    # Zoomed in, the list in view has the park, checked
    box = page.locator(f'#pick-list input[data-id="{park.pk}"]')
    expect(box).to_be_checked()
    assert page.js_errors == []


def test_the_list_in_view_is_the_public_maps_list_as_checkboxes_a_page_at_a_time(
    client: Client, owner_a: Owner
) -> None:
    for number in range(25):
        strip = rd_square(120000 + 30 * number, 486000, 20)
        Location.objects.create(owner=owner_a, name=f"Strook {number:02}", geometry=strip)
    bbox: dict[str, str | int] = {"bbox": "4.85,52.34,4.95,52.40"}
    first = client.get("/initiatief/lijst/", {**bbox, "pagina": 1})
    second = client.get("/initiatief/lijst/", {**bbox, "pagina": 2})
    public = client.get("/kaart/lijst/", {**bbox, "pagina": 1})
    assert first.status_code == second.status_code == public.status_code == 200
    ids = re.findall(r'<input type="checkbox" data-id="(\d+)"', first.content.decode())
    # The same locations in the same order as the public map's list, 20 a page
    assert ids == re.findall(r'data-id="(\d+)"', public.content.decode()) and len(ids) == 20
    assert '<ul data-count="25" data-first="1" data-last="20">' in first.content.decode()
    assert 'data-page="2"' in first.content.decode()
    assert len(re.findall(r'type="checkbox"', second.content.decode())) == 5
    country: dict[str, str | int] = {"bbox": "3,50,7,54", "pagina": 1}
    assert client.get("/initiatief/lijst/", country).status_code == 400


@pytest.mark.browser
def test_the_checkboxes_come_a_page_at_a_time_and_the_next_page_picks_too(
    page: Any, live_server: Any, owner_a: Owner
) -> None:
    strips = [
        Location.objects.create(owner=owner_a, name=f"Strook {n:02}", geometry=rd_square(120000 + 30 * n, 486000, 20))
        for n in range(25)
    ]
    page.goto(f"{live_server.url}/initiatief/")
    expect(page.locator("#pick-list-status")).to_have_text("Locaties 1–20 van 25 in beeld.")
    expect(page.locator("#pick-list input[type=checkbox]")).to_have_count(20)
    page.locator("#pick-list button[data-page='2']").click()
    expect(page.locator("#pick-list-status")).to_have_text("Locaties 21–25 van 25 in beeld.")
    expect(page.locator("#pick-list input[type=checkbox]")).to_have_count(5)
    # Keyboard users go on from the new page's first location
    assert page.evaluate("() => document.activeElement.dataset.id") == str(strips[20].pk)
    page.keyboard.press("Space")
    expect(page.locator("#picked-total")).to_have_text("1 locatie gekozen, samen 400 m².")
    assert page.js_errors == []


@pytest.mark.browser
def test_without_webgl_the_page_says_so_and_the_list_still_picks(page: Any, live_server: Any, park: Location) -> None:
    # A browser that cannot give WebGL (old, or with it turned off): canvases answer no such context.
    page.add_init_script(
        """const plain = HTMLCanvasElement.prototype.getContext;
        HTMLCanvasElement.prototype.getContext = function (kind, ...rest) {
            return String(kind).startsWith("webgl") ? null : plain.call(this, kind, ...rest);
        };"""
    )
    page.goto(f"{live_server.url}/initiatief/")
    page.wait_for_selector("#draw-map[data-ready=true]", timeout=COLD_START_MS)
    expect(page.locator("#pick-hint")).to_contain_text("WebGL ontbreekt")
    assert page.evaluate("() => document.getElementById('draw-map').maplibre") is None
    page.locator(f'#pick-list input[data-id="{park.pk}"]').check()
    expect(page.locator("#picked-total")).to_have_text("1 locatie gekozen, samen 10.000 m².")
    page.wait_for_selector("#draw-map[data-checked=free]")
    assert page.js_errors == []
