"""The public map: locations coloured by status, a click leads to the location page."""

from __future__ import annotations

from typing import Any

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
from web.views import locations as views


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


@pytest.mark.browser
def test_the_map_shows_locations_coloured_by_status_and_links_to_their_page(
    page: Any, live_server: Any, green_strip: Location, owner_a: Owner, regisseur_a: Any, resident: Any
) -> None:
    # Statuses come from what rests on a location: the strip is offered, the roundabout managed.
    offering_create(location=green_strip, by=regisseur_a, conditions="Geen gif.", terms_text="Versie 1.")
    managed = active_contract(owner=owner_a, regisseur=regisseur_a, manager=resident, x=120060, y=486000).location
    Location.objects.filter(pk=managed.pk).update(name="Rotonde Kerkweg", type="rotonde")
    page.goto(f"{live_server.url}/")
    page.wait_for_function("document.getElementById('map').dataset.loaded !== undefined")
    assert page.locator("#map").get_attribute("data-loaded") == "2", page.locator("#map-status").inner_text()
    shapes = page.locator("#map path.location-shape")
    assert shapes.count() == 2
    assert sorted(shapes.evaluate_all("els => els.map(e => e.getAttribute('stroke'))")) == ["#1a7f37", "#1f5fa8"]

    page.locator("#map path.location-shape[stroke='#1f5fa8']").click()
    link = page.locator(".leaflet-popup a.popup-link")
    assert link.get_attribute("href") == f"/locaties/{managed.pk}/"
    link.click()
    page.wait_for_url(f"{live_server.url}/locaties/{managed.pk}/")
    assert page.locator("h1").inner_text() == "Rotonde Kerkweg"
    assert page.js_errors == []


@pytest.mark.django_db
def test_the_list_counts_only_when_it_is_full(
    client: Client, green_strip: Location, owner_a: Owner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A shorter list is all locations, so its length is the count; a full one says how many there are."""
    for i in range(2):
        Location.objects.create(owner=owner_a, name=f"Berm {i}", geometry=rd_square(120100 + 20 * i, 486000, 5))
    with CaptureQueriesContext(connection) as captured:
        text = client.get("/").content.decode()
    assert "Locaties als lijst (3)" in text
    assert not any("COUNT(" in query["sql"].upper() for query in captured.captured_queries)

    monkeypatch.setattr(views, "MAP_LIST_LIMIT", 3)
    assert "Locaties als lijst (3)" in client.get("/").content.decode()
    monkeypatch.setattr(views, "MAP_LIST_LIMIT", 2)
    text = client.get("/").content.decode()
    assert "Locaties als lijst (de eerste 2 van 3)" in text
    assert text.count('<li><a href="/locaties/') == 2


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
