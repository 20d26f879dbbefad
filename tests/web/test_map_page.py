"""The public map: locations coloured by status, a click leads to the location page."""

from __future__ import annotations

import io
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar, cast
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gis_service.accounts.models import User
from gis_service.contracts.services.offering import offering_create
from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from tests.conftest import rd_square
from tests.contracts.factories import active_contract
from web.selectors import map_list


@pytest.mark.django_db
def test_the_map_page_lists_the_current_locations(client: Client, green_strip: Location, owner_a: Owner) -> None:
    gone = Location.objects.create(owner=owner_a, name="Verdwenen berm", geometry=rd_square(120100, 486000, 5))
    Location.objects.filter(pk=gone.pk).update(withdrawn_at="2026-01-01T00:00:00Z")
    text = client.get("/").content.decode()
    assert f'href="/locaties/{green_strip.pk}/"' in text
    assert "Verdwenen berm" not in text


@pytest.mark.django_db
def test_the_list_starts_with_what_residents_can_take_part_in(owner_a: Owner, regisseur_a: User) -> None:
    """Hundreds of unnamed imported objects must not push the offered locations off the list."""
    for i in range(3):
        Location.objects.create(owner=owner_a, name="", geometry=rd_square(121000 + 20 * i, 486000, 10))
    Location.objects.create(owner=owner_a, name="Akkerrand", geometry=rd_square(121200, 486000, 10))
    offered = Location.objects.create(owner=owner_a, name="Zonnebloemstrook", geometry=rd_square(121300, 486000, 10))
    offering_create(location=offered, by=regisseur_a, conditions="Geen gif.", terms_text="Versie 1.")
    listed, count = map_list(limit=2)
    assert [location.name for location in listed] == ["Zonnebloemstrook", "Akkerrand"]
    assert count == 5


def centre(location: Location) -> tuple[float, float]:
    """(longitude, latitude) of the middle of a location."""
    point = location.geometry.centroid
    point.transform(4326)
    return point.x, point.y


def open_map_at(page: Any, live_server: Any, location: Location, zoom: int = 18) -> None:
    """The map page with the view in its URL (#kaart=zoom/lat/lng), waiting for the first view."""
    lng, lat = centre(location)
    page.goto(f"{live_server.url}/#kaart={zoom}/{lat:.6f}/{lng:.6f}")
    page.wait_for_function("() => document.getElementById('map').dataset.state !== 'loading'", timeout=30_000)
    assert page.locator("#map").get_attribute("data-state") == "ready", page.locator("#map-status").inner_text()


def screen_point(page: Any, location: Location) -> tuple[float, float]:
    """Where the map draws the middle of `location`, in page pixels."""
    lng, lat = centre(location)
    x, y = page.evaluate(
        "([lng, lat]) => { const p = document.getElementById('map').maplibre.project([lng, lat]); return [p.x, p.y]; }",
        [lng, lat],
    )
    box = page.locator("#map").bounding_box()
    return box["x"] + x, box["y"] + y


def pixel(page: Any, point: tuple[float, float]) -> tuple[int, int, int]:
    """The colour the page shows at a point (a screenshot: what the WebGL canvas really drew)."""
    from PIL import Image

    image = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    scale = image.width / page.viewport_size["width"]
    r, g, b = cast(tuple[int, int, int], image.getpixel((int(point[0] * scale), int(point[1] * scale))))
    return r, g, b


@pytest.fixture
def two_locations(green_strip: Location, owner_a: Owner, regisseur_a: Any, resident: Any) -> tuple[Location, Location]:
    """The strip offered (beschikbaar) and, 60 m east, a roundabout managed under a contract (in beheer)."""
    offering_create(location=green_strip, by=regisseur_a, conditions="Geen gif.", terms_text="Versie 1.")
    managed = active_contract(owner=owner_a, regisseur=regisseur_a, manager=resident, x=120060, y=486000).location
    Location.objects.filter(pk=managed.pk).update(name="Rotonde Kerkweg", type="rotonde")
    return green_strip, Location.objects.get(pk=managed.pk)


# Browser flags: tests/web/conftest.py (CHROMIUM_ARGS: SwiftShader for WebGL, which MapLibre needs).
@pytest.mark.browser
def test_the_map_draws_locations_from_vector_tiles_coloured_by_status_and_links_to_their_page(
    page: Any, live_server: Any, two_locations: tuple[Location, Location]
) -> None:
    offered, managed = two_locations
    open_map_at(page, live_server, managed)
    assert page.locator("#map").get_attribute("data-rendered") == "2"
    # The fill (45 % over the paper) in the legend's colours: blue for in beheer, green for beschikbaar
    r, g, b = pixel(page, screen_point(page, managed))
    assert b > r + 40 and b > g + 15, (r, g, b)
    r, g, b = pixel(page, screen_point(page, offered))
    assert g > r + 30 and g > b + 15, (r, g, b)
    legend = page.locator(".legend li").all_inner_texts()
    assert legend == ["beschikbaar", "aangevraagd", "in beheer", "niet beschikbaar"]

    page.mouse.click(*screen_point(page, managed))
    page.wait_for_url(f"{live_server.url}/locaties/{managed.pk}/")
    assert page.locator("h1").inner_text() == "Rotonde Kerkweg"
    assert page.js_errors == []


@pytest.mark.browser
def test_a_tap_on_a_phone_opens_the_location(
    phone_page: Any, live_server: Any, two_locations: tuple[Location, Location]
) -> None:
    offered, _ = two_locations
    open_map_at(phone_page, live_server, offered, zoom=17)
    phone_page.touchscreen.tap(*screen_point(phone_page, offered))
    phone_page.wait_for_url(f"{live_server.url}/locaties/{offered.pk}/")
    assert phone_page.locator("h1").inner_text() == offered.name


@pytest.mark.browser
def test_at_national_zoom_the_map_shows_counted_cells_and_says_so(
    page: Any, live_server: Any, two_locations: tuple[Location, Location]
) -> None:
    _, managed = two_locations
    open_map_at(page, live_server, managed, zoom=8)
    assert page.locator("#map").get_attribute("data-rendered") == "0"  # no shapes: a cell
    assert "Zoom in" in page.locator("#map-status").inner_text()
    # The list does not sort a country's locations: it asks to zoom in too
    page.wait_for_function("() => document.getElementById('map-list').textContent.includes('Zoom in')")
    cells = page.evaluate(
        "document.getElementById('map').maplibre.queryRenderedFeatures({layers: ['locations-cells']})"
        ".map(f => f.properties.count)"
    )
    assert sum(cells) == 2


@pytest.mark.browser
def test_the_map_says_so_when_its_tiles_cannot_be_loaded(
    page: Any, live_server: Any, two_locations: tuple[Location, Location]
) -> None:
    page.route("**/ogc/collections/locations/tiles/**", lambda route: route.fulfill(status=500, body="kapot"))
    page.goto(f"{live_server.url}/")
    page.wait_for_function("() => document.getElementById('map').dataset.state !== 'loading'", timeout=30_000)
    assert page.locator("#map").get_attribute("data-state") == "error"
    assert "De kaart kon niet worden geladen" in page.locator("#map-status").inner_text()
    assert page.locator(".location-list a", has_text="Rotonde Kerkweg").count() == 1  # the list still works


@pytest.mark.django_db
def test_the_list_counts_only_when_it_is_full(
    client: Client, green_strip: Location, owner_a: Owner, settings: Any
) -> None:
    """A shorter list is all locations, so its length is the count; a full one says how many there are."""
    for i in range(2):
        Location.objects.create(owner=owner_a, name=f"Berm {i}", geometry=rd_square(120100 + 20 * i, 486000, 5))
    with CaptureQueriesContext(connection) as captured:
        text = client.get("/").content.decode()
    assert "Locaties als lijst (3)" in text
    assert not any("COUNT(" in query["sql"].upper() for query in captured.captured_queries)

    settings.MAP_LIST_LIMIT = 3
    assert "Locaties als lijst (3)" in client.get("/").content.decode()
    settings.MAP_LIST_LIMIT = 2
    text = client.get("/").content.decode()
    assert "Locaties als lijst (de eerste 2 van 3)" in text
    assert text.count('<li><a href="/locaties/') == 2


@pytest.mark.django_db
def test_each_entry_of_the_list_gives_name_type_status_and_area(client: Client, owner_a: Owner) -> None:
    """An unnamed location by its number, no type as "locatie", the status in words, whole m² rounded half up."""
    unnamed = Location.objects.create(owner=owner_a, name="", type="", geometry=rd_square(120100, 486000, 5))
    named = Location.objects.create(
        owner=owner_a, name="Rozen & <b>perk</b>", type="heesters", geometry=rd_square(120200, 486000, 2.95)
    )
    text = client.get("/").content.decode()
    unnamed_page, named_page = f"/locaties/{unnamed.pk}/", f"/locaties/{named.pk}/"
    assert f'<li><a href="{unnamed_page}">locatie {unnamed.pk}</a> — locatie, niet beschikbaar, 25 m²</li>' in text
    escaped = "Rozen &amp; &lt;b&gt;perk&lt;/b&gt;"
    assert f'<li><a href="{named_page}">{escaped}</a> — heesters, niet beschikbaar, 9 m²</li>' in text  # 8.70 m²
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'<a href="/locaties/{unnamed.pk}/">location {unnamed.pk}</a> — location, not available, 25 m²' in english


@pytest.mark.django_db
def test_the_list_reads_only_what_it_shows(client: Client, green_strip: Location) -> None:
    """Up to 500 rows: their geometries and attributes would cost more than the rest of the page."""
    with CaptureQueriesContext(connection) as captured:
        text = client.get("/").content.decode()
    assert f'<a href="/locaties/{green_strip.pk}/">{green_strip.name}</a>' in text
    listing = [q["sql"] for q in captured.captured_queries if 'FROM "locations_location"' in q["sql"]]
    assert listing, "the list query ran"
    assert not any('"geometry"' in sql or '"attributes"' in sql for sql in listing)


@pytest.mark.django_db
def test_the_map_page_links_the_download_of_every_location(client: Client, green_strip: Location) -> None:
    """One link, for the GIS team that wants all of it in QGIS (the feed's GeoPackage download)."""
    text = client.get("/").content.decode()
    assert 'href="/ogc/collections/locations/items?f=gpkg" download' in text
    response = client.get("/ogc/collections/locations/items", {"f": "gpkg"})
    assert response["Content-Type"] == "application/geopackage+sqlite3"
    assert b"".join(response.streaming_content).startswith(b"SQLite format 3")


@pytest.mark.django_db
def test_filters_choose_what_the_list_and_the_tiles_show(
    client: Client, two_locations: tuple[Location, Location], owner_b: Owner
) -> None:
    offered, managed = two_locations
    Location.objects.create(owner=owner_b, name="Hof van B", type="binnentuin", geometry=rd_square(121000, 486000, 9))
    text = client.get("/", {"status": "in_beheer"}).content.decode()
    assert f'href="/locaties/{managed.pk}/"' in text and f'href="/locaties/{offered.pk}/"' not in text
    assert "status=in+beheer" in text  # the tiles select on the label the feed publishes
    # ... which is Dutch in every language: an English page's tiles must still find the rows
    english = client.get("/", {"status": "in_beheer"}, headers={"Accept-Language": "en"}).content.decode()
    assert "status=in+beheer" in english and 'lang="en"' in english
    text = client.get("/", {"owner": owner_b.slug, "type": ""}).content.decode()
    assert "Hof van B" in text and managed.name not in text
    assert f"owner={owner_b.name.replace(' ', '+')}" in text
    text = client.get("/", {"type": "rotonde"}).content.decode()
    assert "Rotonde Kerkweg" in text and offered.name not in text and "Hof van B" not in text


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{"status": "weg"}, {"type": "onbekend"}, {"owner": "niemand"}])
def test_a_filter_that_does_not_exist_is_said_so(client: Client, green_strip: Location, params: dict[str, str]) -> None:
    response = client.get("/", params)
    assert response.status_code == 400
    assert "Dit filter bestaat niet" in response.content.decode()


@pytest.mark.browser
def test_a_filter_applies_to_map_and_list_and_the_url_keeps_the_view(
    page: Any, live_server: Any, two_locations: tuple[Location, Location]
) -> None:
    offered, managed = two_locations
    open_map_at(page, live_server, managed)
    view = page.url.split("#", 1)[1]
    page.select_option("#id_status", "in_beheer")
    page.click("#map-filters button[type=submit]")
    page.wait_for_url(lambda url: "status=in_beheer" in url)
    assert page.url == f"{live_server.url}/?status=in_beheer#{view}"  # same place, same zoom; no empty filters
    page.wait_for_function("() => document.getElementById('map').dataset.state !== 'loading'", timeout=30_000)
    assert page.locator("#map").get_attribute("data-rendered") == "1"
    r, g, b = pixel(page, screen_point(page, offered))  # no longer drawn: the paper shows
    assert abs(r - g) < 25 and abs(g - b) < 25, (r, g, b)
    assert page.locator(".location-list li a").all_text_contents() == ["Rotonde Kerkweg"]
    assert page.locator("#id_status").input_value() == "in_beheer"


@pytest.mark.django_db
def test_a_search_lists_what_it_finds_and_the_map_starts_there(
    client: Client, two_locations: tuple[Location, Location]
) -> None:
    offered, managed = two_locations
    text = client.get("/", {"q": "rotonde"}).content.decode()
    assert "Rotonde Kerkweg" in text and offered.name not in text
    assert "q=rotonde" in text  # the tiles search too
    lng, lat = centre(managed)
    extent = text.split('data-extent="', 1)[1].split('"', 1)[0].split(",")
    west, south, east, north = (float(v) for v in extent)
    assert west < lng < east and south < lat < north and east - west < 0.001  # the roundabout alone


@pytest.mark.browser
def test_searching_by_name_shows_only_what_it_finds(
    page: Any, live_server: Any, two_locations: tuple[Location, Location]
) -> None:
    offered, managed = two_locations
    open_map_at(page, live_server, offered, zoom=15)
    page.fill("#id_q", "Kerkweg")
    page.press("#id_q", "Enter")
    page.wait_for_url(f"{live_server.url}/?q=Kerkweg**")
    page.wait_for_function("() => document.getElementById('map').dataset.state !== 'loading'", timeout=30_000)
    assert page.locator("#map").get_attribute("data-rendered") == "1"
    assert page.locator(".location-list li a").all_text_contents() == ["Rotonde Kerkweg"]
    page.mouse.click(*screen_point(page, managed))
    page.wait_for_url(f"{live_server.url}/locaties/{managed.pk}/")


def box_around(location: Location, metres: float) -> str:
    """A bbox (CRS84) of about `metres` around the middle of `location`, as the map's script sends it."""
    lng, lat = centre(location)
    d_lng, d_lat = metres / 68_000, metres / 111_000
    return f"{lng - d_lng:.6f},{lat - d_lat:.6f},{lng + d_lng:.6f},{lat + d_lat:.6f}"


@pytest.mark.django_db
def test_the_list_beside_the_map_shows_only_what_is_in_view_with_the_filters_and_in_pages(
    client: Client, two_locations: tuple[Location, Location], owner_a: Owner, settings: Any
) -> None:
    offered, managed = two_locations
    far = Location.objects.create(owner=owner_a, name="Ver weg", geometry=rd_square(150000, 450000, 10))
    text = client.get("/kaart/lijst/", {"bbox": box_around(offered, 20), "pagina": "1"}).content.decode()
    assert f'data-id="{offered.pk}"' in text and f'data-id="{managed.pk}"' not in text
    text = client.get("/kaart/lijst/", {"bbox": box_around(offered, 200)}).content.decode()
    assert f'data-id="{managed.pk}"' in text and f'data-id="{far.pk}"' not in text
    # The map's filters apply to the list too
    text = client.get("/kaart/lijst/", {"bbox": box_around(offered, 200), "status": "in_beheer"}).content.decode()
    assert f'data-id="{managed.pk}"' in text and f'data-id="{offered.pk}"' not in text

    for i in range(settings.MAP_VIEW_PAGE_SIZE):
        Location.objects.create(owner=owner_a, name=f"Berm {i:02}", geometry=rd_square(120000 + 3 * i, 486020, 1))
    first = client.get("/kaart/lijst/", {"bbox": box_around(offered, 200)}).content.decode()
    assert first.count("data-id=") == settings.MAP_VIEW_PAGE_SIZE and 'data-page="2"' in first
    second = client.get("/kaart/lijst/", {"bbox": box_around(offered, 200), "pagina": "2"}).content.decode()
    assert second.count("data-id=") == 2 and 'data-page="1"' in second and 'data-page="3"' not in second
    assert "21–22 van 22" in second


@pytest.mark.django_db
def test_the_list_in_view_counts_only_so_far_and_then_says_more(
    client: Client, two_locations: tuple[Location, Location], owner_a: Owner, settings: Any
) -> None:
    """A dense region's hundred thousand locations are not counted for a page of twenty."""
    offered, _managed = two_locations
    settings.MAP_VIEW_PAGE_SIZE = 2
    settings.MAP_VIEW_COUNT_LIMIT = 3
    for i in range(4):
        Location.objects.create(owner=owner_a, name=f"Berm {i:02}", geometry=rd_square(120000 + 3 * i, 486020, 1))
    first = client.get("/kaart/lijst/", {"bbox": box_around(offered, 200)}).content.decode()
    assert "1–2 van meer dan 3 locaties" in first and 'data-page="2"' in first
    last = client.get("/kaart/lijst/", {"bbox": box_around(offered, 200), "pagina": "3"}).content.decode()
    assert "5–6 van 6 locaties" in last and 'data-page="4"' not in last


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"bbox": "1,2,3"},
        {"bbox": "5,52,4,53"},
        {"bbox": "4,52,4.5,52.5", "pagina": "0"},
        {"bbox": "4,52,4.5,52.5", "status": "weg"},
        {"bbox": "3,50,8,54"},
    ],
)
def test_the_list_in_view_says_what_it_cannot_honour(client: Client, params: dict[str, str]) -> None:
    response = client.get("/kaart/lijst/", params)
    assert response.status_code == 400
    assert response.content.decode().strip()


@pytest.mark.browser
def test_on_a_phone_the_list_in_view_is_the_keyboard_way_into_the_map(
    phone_page: Any, live_server: Any, two_locations: tuple[Location, Location]
) -> None:
    offered, managed = two_locations
    open_map_at(phone_page, live_server, offered, zoom=17)
    entry = phone_page.locator(f'#map-list a[data-id="{managed.pk}"]')
    entry.wait_for()
    assert phone_page.locator("#map-list a[data-id]").count() == 2
    # Tab until the entry has the focus: it is reachable by keyboard, and it outlines the location
    for _ in range(40):
        phone_page.keyboard.press("Tab")
        if phone_page.evaluate("document.activeElement.dataset.id") == str(managed.pk):
            break
    else:
        raise AssertionError("the list's entry was never reached by Tab")
    outlined = phone_page.evaluate("document.getElementById('map').maplibre.getFilter('locations-highlight')")
    assert outlined == ["==", ["id"], managed.pk]
    phone_page.keyboard.press("Enter")
    phone_page.wait_for_url(f"{live_server.url}/locaties/{managed.pk}/")
    assert phone_page.locator("h1").inner_text() == "Rotonde Kerkweg"


class LocatieserverStandIn(BaseHTTPRequestHandler):
    """Answers as PDOK's Locatieserver `/free` does (Solr JSON), for the places in `PLACES`; a
    search for "storing" answers 503, as a server in maintenance would."""

    PLACES: ClassVar[dict[str, list[dict[str, str]]]] = {}

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        text = query.get("q", [""])[0]
        if url.path != "/bzk/locatieserver/search/v3_1/free" or text == "storing":
            self.send_error(503 if text == "storing" else 404)
            return
        docs = self.PLACES.get(text.lower(), [])[: int(query.get("rows", ["10"])[0])]
        body = json.dumps({"response": {"numFound": len(docs), "start": 0, "maxScore": 1.0, "docs": docs}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def geocoder(settings: Any, green_strip: Location) -> Iterator[None]:
    """A local Locatieserver stand-in as the geocoder; "kerkweg 1" lies at the green strip."""
    lng, lat = centre(green_strip)
    LocatieserverStandIn.PLACES = {
        "kerkweg 1": [
            {"weergavenaam": "Kerkweg 1, 1234AB Dorp", "type": "adres", "centroide_ll": f"POINT({lng:.7f} {lat:.7f})"},
            {"weergavenaam": "Kerkweg, Dorp", "type": "weg", "centroide_ll": "POINT(5.1 52.1)"},
        ],
    }
    server = ThreadingHTTPServer(("127.0.0.1", 0), LocatieserverStandIn)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.GEOCODER_URL = f"http://127.0.0.1:{server.server_port}/bzk/locatieserver/search/v3_1/free"
    yield
    server.shutdown()
    server.server_close()


@pytest.mark.django_db
def test_the_address_search_reads_the_locatieserver_answer(
    client: Client, geocoder: None, green_strip: Location
) -> None:
    response = client.get("/kaart/adres/", {"adres": "Kerkweg 1"})
    assert response.status_code == 200
    places = response.json()["places"]
    assert [p["name"] for p in places] == ["Kerkweg 1, 1234AB Dorp", "Kerkweg, Dorp"]
    lng, lat = centre(green_strip)
    assert places[0]["type"] == "adres"
    assert abs(places[0]["lon"] - lng) < 1e-6 and abs(places[0]["lat"] - lat) < 1e-6


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "status", "says"),
    [("", 400, "Typ een adres"), ("Nergensweg 9", 404, "Geen adres gevonden"), ("storing", 502, "lukt nu niet")],
)
def test_the_address_search_says_what_went_wrong(
    client: Client, geocoder: None, text: str, status: int, says: str
) -> None:
    response = client.get("/kaart/adres/", {"adres": text})
    assert response.status_code == status
    assert says in response.json()["error"]


@pytest.mark.django_db
def test_an_unreachable_geocoder_is_said_so(client: Client, settings: Any) -> None:
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.GEOCODER_URL = f"http://127.0.0.1:{port}/free"
    response = client.get("/kaart/adres/", {"adres": "Kerkweg 1"})
    assert response.status_code == 502
    assert "lukt nu niet" in response.json()["error"]


@pytest.mark.browser
def test_searching_an_address_moves_the_map_there(
    phone_page: Any, live_server: Any, geocoder: None, two_locations: tuple[Location, Location]
) -> None:
    offered, _ = two_locations
    phone_page.goto(f"{live_server.url}/#kaart=8/52.0/5.0")
    phone_page.wait_for_function("() => document.getElementById('map').dataset.state !== 'loading'", timeout=30_000)
    phone_page.get_by_label("Adres, postcode of plaats").fill("Kerkweg 1")
    phone_page.get_by_label("Adres, postcode of plaats").press("Enter")
    phone_page.wait_for_function("() => document.getElementById('map').maplibre.getZoom() === 18")
    lng, lat = centre(offered)
    centre_now = phone_page.evaluate("document.getElementById('map').maplibre.getCenter().toArray()")
    assert abs(centre_now[0] - lng) < 1e-5 and abs(centre_now[1] - lat) < 1e-5
    assert phone_page.locator("#map-address-status").inner_text() == "Kerkweg 1, 1234AB Dorp"
    # The list follows: the location at the address is in it
    phone_page.locator(f'#map-list a[data-id="{offered.pk}"]').wait_for()

    phone_page.get_by_label("Adres, postcode of plaats").fill("storing")
    phone_page.get_by_label("Adres, postcode of plaats").press("Enter")
    phone_page.wait_for_function(
        "() => document.getElementById('map-address-status').textContent.includes('lukt nu niet')"
    )
