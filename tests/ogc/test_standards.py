"""OGC API Features Parts 1–3 as QGIS and GDAL rely on them, through Django's test client."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest
import shapely

from tests.ogc.conftest import Feed, OgcClient, next_link

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
RD = "http://www.opengis.net/def/crs/EPSG/0/28992"
WGS84 = "http://www.opengis.net/def/crs/EPSG/0/4326"
WEB_MERCATOR = "http://www.opengis.net/def/crs/EPSG/0/3857"
ITEMS = "/collections/locations/items"

pytestmark = pytest.mark.django_db


def test_landing_page_links_what_qgis_needs(ogc: OgcClient) -> None:
    links = {link["rel"]: link for link in ogc.json("/", {"f": "json"})["links"]}
    assert links["service-desc"]["type"] == "application/vnd.oai.openapi+json;version=3.0"
    assert links["data"]["href"].endswith("/ogc/collections")
    assert links["conformance"]["href"].endswith("/ogc/conformance")


def test_conformance_declares_what_qgis_needs_before_it_filters_on_the_server(ogc: OgcClient) -> None:
    classes = set(ogc.json("/conformance", {"f": "json"})["conformsTo"])
    for needed in (
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
        "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
        "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
        "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
        "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
        "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
        "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete",
    ):
        assert needed in classes


def test_collection_declares_storage_crs_and_output_crss(ogc: OgcClient) -> None:
    collection = ogc.json("/collections/locations", {"f": "json"})
    assert collection["storageCrs"] == RD
    assert {CRS84, RD, WGS84, WEB_MERCATOR} <= set(collection["crs"])
    rels = {link["rel"] for link in collection["links"]}
    assert "http://www.opengis.net/def/rel/ogc/1.0/queryables" in rels


def test_openapi_declares_limit_default_and_maximum(ogc: OgcClient) -> None:
    document = ogc.json("/openapi", {"f": "json"})
    limit = document["components"]["parameters"]["limit"]["schema"]
    assert (limit["default"], limit["maximum"]) == (100, 10000)
    items_limit = next(
        p for p in document["paths"]["/collections/locations/items"]["get"]["parameters"] if p.get("name") == "limit"
    )
    assert items_limit["schema"]["maximum"] == 10000


def test_queryables_list_the_public_properties_only(ogc: OgcClient) -> None:
    queryables = ogc.json("/collections/locations/queryables", {"f": "json"})
    assert set(queryables["properties"]) == {
        "geometry", "name", "type", "status", "owner", "area_m2", "offered_from", "offered_until", "conditions", "url",
        "updated", "external_id", "source",
    }  # fmt: skip
    assert queryables["properties"]["status"]["enum"] == ["beschikbaar", "aangevraagd", "in beheer", "niet beschikbaar"]


def test_items_are_current_locations_with_public_properties(ogc: OgcClient, feed: Feed) -> None:
    page = ogc.json(ITEMS, {"f": "json", "limit": 100})
    assert page["numberMatched"] == page["numberReturned"] == 30
    ids = {f["id"] for f in page["features"]}
    assert ids == {location.pk for location in feed.current}
    assert feed.withdrawn.pk not in ids
    first = next(f for f in page["features"] if f["id"] == feed.locations_a[0].pk)
    assert first["properties"]["name"] == "Plantsoen 00"
    assert first["properties"]["status"] == "in beheer"
    assert first["properties"]["owner"] == "Gemeente Aadorp"
    assert first["properties"]["area_m2"] == pytest.approx(100.0)


def test_items_answer_as_geojson(ogc: OgcClient, feed: Feed) -> None:
    response = ogc.get(ITEMS, {"limit": 2}, Accept="application/geo+json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert json.loads(response.content)["type"] == "FeatureCollection"


def test_next_links_keep_every_parameter_and_reach_every_feature_once(ogc: OgcClient, feed: Feed) -> None:
    params = {"f": "json", "limit": 4, "crs": RD, "filter": "owner = 'Gemeente Aadorp'", "filter-lang": "cql2-text"}
    page = ogc.json(ITEMS, params)
    seen = [f["id"] for f in page["features"]]
    pages = 1
    while url := next_link(page):
        query = parse_qs(urlsplit(url).query)
        for key, value in params.items():
            assert query[key] == [str(value)], f"next link lost {key}"
        page = ogc.follow(url)
        assert page["numberMatched"] == 25
        seen += [f["id"] for f in page["features"]]
        pages += 1
    assert pages == 7
    assert sorted(seen) == sorted(location.pk for location in feed.locations_a)


def test_property_query_parameters_filter_and_count(ogc: OgcClient, feed: Feed) -> None:
    page = ogc.json(ITEMS, {"f": "json", "owner": "Woonstichting Bebouw", "limit": 2})
    assert (page["numberMatched"], page["numberReturned"]) == (5, 2)
    assert ogc.json(ITEMS, {"f": "json", "owner": ""})["numberMatched"] == 0
    assert ogc.json(ITEMS, {"f": "json", "type": "haag"})["numberMatched"] == 5


def test_a_limit_beyond_the_maximum_is_capped(ogc: OgcClient, feed: Feed) -> None:
    page = ogc.json(ITEMS, {"f": "json", "limit": 1000000})
    assert page["numberReturned"] == 30


def test_offset_still_pages_for_clients_that_build_their_own_links(ogc: OgcClient, feed: Feed) -> None:
    ids = [f["id"] for f in ogc.json(ITEMS, {"f": "json", "limit": 100})["features"]]
    page = ogc.json(ITEMS, {"f": "json", "limit": 5, "offset": 10})
    assert [f["id"] for f in page["features"]] == ids[10:15]


def test_rd_output_gives_back_the_stored_coordinates_with_a_content_crs_header(ogc: OgcClient, feed: Feed) -> None:
    location = feed.locations_a[3]
    response = ogc.get(f"{ITEMS}/{location.pk}", {"f": "json", "crs": RD})
    assert response["Content-Crs"] == f"<{RD}>"
    served = shapely.from_geojson(json.dumps(json.loads(response.content)["geometry"]))
    stored = shapely.from_wkb(bytes(location.geometry.wkb))
    assert shapely.equals_exact(served, stored, tolerance=0.001)


def test_epsg_4326_is_latitude_first_and_crs84_longitude_first(ogc: OgcClient, feed: Feed) -> None:
    pk = feed.locations_a[0].pk
    lon, lat = ogc.json(f"{ITEMS}/{pk}", {"f": "json"})["geometry"]["coordinates"][0][0][0]
    lat2, lon2 = ogc.json(f"{ITEMS}/{pk}", {"f": "json", "crs": WGS84})["geometry"]["coordinates"][0][0][0]
    assert 5 < lon < 6 and 52 < lat < 53
    assert (lat2, lon2) == (lat, lon)
    x, y = ogc.json(f"{ITEMS}/{pk}", {"f": "json", "crs": WEB_MERCATOR})["geometry"]["coordinates"][0][0][0]
    assert 500_000 < x < 700_000 and 6_800_000 < y < 6_900_000


def test_bbox_in_crs84_rd_and_lat_first_4326_selects_the_same_locations(ogc: OgcClient, feed: Feed) -> None:
    # Around the first row of owner A's grid (y = 470000 .. 470010 + i), not the second row.
    rd_box = "139990,469990,140500,470050"
    by_rd = ogc.json(ITEMS, {"f": "json", "bbox": rd_box, "bbox-crs": RD})
    assert by_rd["numberMatched"] == 5
    lon_lat = _box_in_degrees(ogc, feed, rd_box)
    by_crs84 = ogc.json(ITEMS, {"f": "json", "bbox": ",".join(map(str, lon_lat))})
    lat_lon = [lon_lat[1], lon_lat[0], lon_lat[3], lon_lat[2]]
    by_4326 = ogc.json(ITEMS, {"f": "json", "bbox": ",".join(map(str, lat_lon)), "bbox-crs": WGS84})
    ids = {f["id"] for f in by_rd["features"]}
    assert {f["id"] for f in by_crs84["features"]} == ids
    assert {f["id"] for f in by_4326["features"]} == ids


def _box_in_degrees(ogc: OgcClient, feed: Feed, rd_box: str) -> list[float]:
    import pyproj

    minx, miny, maxx, maxy = map(float, rd_box.split(","))
    transformer = pyproj.Transformer.from_crs(28992, 4326, always_xy=True)
    west, south = transformer.transform(minx + 5, miny + 5)  # a little inside: the RD box is rotated in degrees
    east, north = transformer.transform(maxx - 5, maxy - 5)
    return [west, south, east, north]


def test_a_world_bbox_as_qgis_sends_it_selects_everything(ogc: OgcClient, feed: Feed) -> None:
    page = ogc.json(ITEMS, {"f": "json", "bbox": "-180,-90,180,90"})
    assert page["numberMatched"] == 30


def test_cql2_text_filters_on_properties(ogc: OgcClient, feed: Feed) -> None:
    page = ogc.json(ITEMS, {"f": "json", "filter-lang": "cql2-text", "filter": "type = 'haag' AND area_m2 > 300"})
    expected = {
        loc.pk for loc in feed.locations_a if loc.type == "haag" and (10 + feed.locations_a.index(loc)) ** 2 > 300
    }
    assert {f["id"] for f in page["features"]} == expected
    assert page["numberMatched"] == len(expected)
    page = ogc.json(ITEMS, {"f": "json", "filter": "status = 'in beheer'"})
    assert page["numberMatched"] == 4
    page = ogc.json(ITEMS, {"f": "json", "filter": "name LIKE 'Binnen%' OR owner IN ('nobody')"})
    assert page["numberMatched"] == 5


def test_cql2_json_filters_by_get_and_by_post(ogc: OgcClient, feed: Feed) -> None:
    expression = {"op": "=", "args": [{"property": "owner"}, "Woonstichting Bebouw"]}
    page = ogc.json(ITEMS, {"f": "json", "filter-lang": "cql2-json", "filter": json.dumps(expression)})
    assert page["numberMatched"] == 5
    response = ogc.client.post(f"/ogc{ITEMS}?f=json", json.dumps(expression), content_type="application/json")
    assert response.status_code == 200
    assert json.loads(response.content)["numberMatched"] == 5


def test_spatial_filter_in_crs84_and_with_filter_crs_rd(ogc: OgcClient, feed: Feed) -> None:
    rd_polygon = "POLYGON((149990 479990, 150120 479990, 150120 480030, 149990 480030, 149990 479990))"
    by_rd = ogc.json(ITEMS, {"f": "json", "filter": f"S_INTERSECTS(geometry, {rd_polygon})", "filter-crs": RD})
    assert {f["id"] for f in by_rd["features"]} == {loc.pk for loc in feed.locations_b[:3]}
    import pyproj

    to_degrees = pyproj.Transformer.from_crs(28992, 4326, always_xy=True)
    lon, lat = to_degrees.transform(150010, 480010)  # inside the first of owner B's squares
    by_crs84 = ogc.json(ITEMS, {"f": "json", "filter": f"S_INTERSECTS(geometry, POINT({lon} {lat}))"})
    assert [f["id"] for f in by_crs84["features"]] == [feed.locations_b[0].pk]


def test_sortby_properties_and_skip_geometry(ogc: OgcClient, feed: Feed) -> None:
    page = ogc.json(
        ITEMS, {"f": "json", "sortby": "-area_m2", "limit": 3, "properties": "name,area_m2", "skipGeometry": "true"}
    )
    assert [f["properties"]["name"] for f in page["features"]] == ["Plantsoen 24", "Plantsoen 23", "Plantsoen 22"]
    assert set(page["features"][0]["properties"]) == {"name", "area_m2"}
    assert page["features"][0]["geometry"] is None


def test_sorted_pages_follow_on_without_gaps(ogc: OgcClient, feed: Feed) -> None:
    page = ogc.json(ITEMS, {"f": "json", "sortby": "type,-name", "limit": 7})
    names = [f["properties"]["name"] for f in page["features"]]
    while url := next_link(page):
        page = ogc.follow(url)
        names += [f["properties"]["name"] for f in page["features"]]
    everything = ogc.json(ITEMS, {"f": "json", "limit": 100})["features"]
    expected = [
        f["properties"]["name"] for f in sorted(everything, key=lambda f: f["properties"]["name"], reverse=True)
    ]
    expected.sort(key=lambda name: next(f["properties"]["type"] for f in everything if f["properties"]["name"] == name))
    assert names == expected


def test_etag_answers_304_when_nothing_changed(ogc: OgcClient, feed: Feed) -> None:
    first = ogc.get(ITEMS, {"f": "json", "limit": 5})
    etag = first["ETag"]
    again = ogc.get(ITEMS, {"f": "json", "limit": 5}, **{"If-None-Match": etag})
    assert again.status_code == 304
    location = feed.locations_a[0]
    location.name = "Nieuw"
    location.save()
    changed = ogc.get(ITEMS, {"f": "json", "limit": 5}, **{"If-None-Match": etag})
    assert changed.status_code == 200


def test_an_item_has_last_modified_and_answers_304_since_then(ogc: OgcClient, feed: Feed) -> None:
    response = ogc.get(f"{ITEMS}/{feed.locations_a[0].pk}", {"f": "json"})
    assert response.status_code == 200
    since = response["Last-Modified"]
    assert (
        ogc.get(f"{ITEMS}/{feed.locations_a[0].pk}", {"f": "json"}, **{"If-Modified-Since": since}).status_code == 304
    )


def test_reads_allow_any_origin(ogc: OgcClient, feed: Feed) -> None:
    response = ogc.get(ITEMS, {"f": "json", "limit": 1}, Origin="https://example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Content-Crs" in response["Access-Control-Expose-Headers"]
    preflight = ogc.client.options(
        f"/ogc{ITEMS}", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"}
    )
    assert preflight.status_code == 200
    assert "GET" in preflight["Access-Control-Allow-Methods"]


def test_html_pages_render(ogc: OgcClient, feed: Feed) -> None:
    for path in ("/", "/collections", "/collections/locations", ITEMS, f"{ITEMS}/{feed.locations_a[0].pk}"):
        response = ogc.get(path, {"f": "html"})
        assert response.status_code == 200, path
        assert b"<html" in response.content
