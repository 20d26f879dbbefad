"""What GIS teams need to place and join the collections: source ids, links on the right host,
real extents and the geometry type (ogc/collections.py, ogc/sql.py)."""

from __future__ import annotations

import pytest
import shapely
from django.test import Client

from gis_service.locations.models import Location
from importers.models import Source
from tests.conftest import rd_square
from tests.ogc.conftest import Feed, OgcClient

pytestmark = pytest.mark.django_db
ITEMS = "/collections/locations/items"


def test_locations_carry_their_source_and_external_id_to_join_back_to_the_municipal_data(
    ogc: OgcClient, feed: Feed
) -> None:
    source = Source.objects.create(owner=feed.owner_a, name="bgt-groen", kind=Source.Kind.FILE, location="x.gml")
    imported = Location.objects.create(
        owner=feed.owner_a, name="Uit de BGT", type="gras", geometry=rd_square(141000, 471000, 10),
        source=source, external_id="G0402.c3ac922a90e441289b10e586e825eacd",
    )  # fmt: skip
    feature = ogc.json(f"{ITEMS}/{imported.pk}", {"f": "json"})
    assert feature["properties"]["external_id"] == "G0402.c3ac922a90e441289b10e586e825eacd"
    assert feature["properties"]["source"] == "bgt-groen"
    by_hand = ogc.json(f"{ITEMS}/{feed.locations_a[3].pk}", {"f": "json"})["properties"]
    assert (by_hand["external_id"], by_hand["source"]) == (None, None)
    # and a team can ask for its own feature by its own id
    found = ogc.json(ITEMS, {"f": "json", "external_id": "G0402.c3ac922a90e441289b10e586e825eacd"})
    assert [f["id"] for f in found["features"]] == [imported.pk]


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_the_url_of_a_location_is_on_the_host_that_served_the_request(feed: Feed, host: str) -> None:
    client = Client(HTTP_HOST=host)
    pk = feed.locations_a[0].pk
    page = client.get(f"/ogc{ITEMS}", {"f": "json", "limit": 1}).json()
    item = client.get(f"/ogc{ITEMS}/{pk}", {"f": "json"}).json()
    assert page["features"][0]["properties"]["url"] == f"http://{host}/locaties/{page['features'][0]['id']}/"
    assert item["properties"]["url"] == f"http://{host}/locaties/{pk}/"


def test_the_spatial_extent_is_the_datas_own_box_in_crs84(ogc: OgcClient, feed: Feed) -> None:
    import pyproj

    to_degrees = pyproj.Transformer.from_crs(28992, 4326, always_xy=True)
    corners = [
        to_degrees.transform(x, y)
        for location in feed.current
        for x, y in shapely.get_coordinates(shapely.from_wkb(bytes(location.geometry.wkb)))
    ]
    west, south = min(c[0] for c in corners), min(c[1] for c in corners)
    east, north = max(c[0] for c in corners), max(c[1] for c in corners)
    bbox = ogc.json("/collections/locations", {"f": "json"})["extent"]["spatial"]["bbox"][0]
    assert bbox[0] <= west and bbox[1] <= south and bbox[2] >= east and bbox[3] >= north  # holds every feature
    # and hardly more: the box is drawn in RD and moved to degrees, where its edges lean a little
    assert bbox == pytest.approx([west, south, east, north], abs=1e-3)
    # the same in the list of collections
    listed = ogc.json("/collections", {"f": "json"})["collections"]
    assert next(c for c in listed if c["id"] == "locations")["extent"]["spatial"]["bbox"][0] == bbox


def test_an_empty_collection_keeps_the_area_it_is_declared_for(ogc: OgcClient, feed: Feed) -> None:
    bbox = ogc.json("/collections/initiatives", {"f": "json"})["extent"]["spatial"]["bbox"][0]
    assert bbox == [3.2, 50.7, 7.3, 53.6]  # the Netherlands: there is no data to measure


@pytest.mark.parametrize("collection", ["locations", "contracts", "initiatives"])
def test_schema_and_queryables_name_the_geometry_type_even_of_an_empty_collection(
    ogc: OgcClient, collection: str
) -> None:
    """QGIS loads a collection whose geometry is `geometry-any` and that has no features as a table."""
    expected = {
        "$ref": "https://geojson.org/schema/MultiPolygon.json",
        "format": "geometry-multipolygon",
        "x-ogc-role": "primary-geometry",
    }
    assert ogc.json(f"/collections/{collection}/queryables", {"f": "json"})["properties"]["geometry"] == expected
    assert ogc.json(f"/collections/{collection}/schema", {"f": "json"})["properties"]["geometry"] == expected


def test_dates_are_typed_as_dates(ogc: OgcClient) -> None:
    properties = ogc.json("/collections/locations/schema", {"f": "json"})["properties"]
    assert properties["offered_from"]["format"] == properties["offered_until"]["format"] == "date"
    assert properties["updated"]["format"] == "date-time"
