"""CQL2 text as QGIS 3.32+ writes it, and the conformance classes it looks for before it does."""

from __future__ import annotations

import pyproj
import pytest

from tests.ogc.conftest import Feed, OgcClient

pytestmark = pytest.mark.django_db
ITEMS = "/collections/locations/items"
RD = "http://www.opengis.net/def/crs/EPSG/0/28992"
CQL2 = "http://www.opengis.net/spec/cql2/1.0/conf/"


def matched(ogc: OgcClient, filter_text: str, **params: str) -> int:
    document = ogc.json(ITEMS, {"filter": filter_text, "limit": 1000, **params})
    assert document["numberReturned"] == len(document["features"])
    return int(document["numberMatched"])


def test_conformance_lists_what_qgis_looks_for(ogc: OgcClient) -> None:
    classes = set(ogc.json("/conformance")["conformsTo"])
    for name in (
        "basic-cql2", "cql2-text", "advanced-comparison-operators", "case-insensitive-comparison",
        "basic-spatial-operators", "basic-spatial-functions",
    ):  # fmt: skip
        assert CQL2 + name in classes


@pytest.mark.parametrize(
    ("filter_text", "count"),
    [
        ("(NOT ((type = 'heide')))", 30),  # QGIS 3.32+: no location is heide
        ("(NOT ((type = 'gras')))", 25),
        ("NOT (type = 'gras')", 25),
        ("NOT type = 'gras'", 25),
        ("(NOT ((type = 'gras') OR (type = 'haag')))", 20),
        ("(NOT ((type = 'gras') AND (owner = 'Gemeente Aadorp')))", 25),
        ("((type = 'gras') AND (NOT ((name = 'Plantsoen 00'))))", 4),
        ("NOT (NOT (type = 'gras'))", 5),
        ("CASEI(type) LIKE CASEI('GRAS%')", 5),  # QGIS's ILIKE
        ("CASEI(type) LIKE CASEI('%E%')", 20),  # heesters, bosplantsoen, bloemperk, binnentuin
        ("(NOT (CASEI(type) LIKE CASEI('GRAS%')))", 25),
        ("CASEI(type) NOT LIKE CASEI('b%')", 15),
        ("CASEI(name) = CASEI('PLANTSOEN 03')", 1),
        ("type LIKE 'b%'", 15),  # bosplantsoen, bloemperk, binnentuin
        ("type LIKE 'b_o%'", 5),  # _ is one character: bloemperk
        ("type NOT LIKE 'b%'", 15),
        ("type IN ('gras', 'haag')", 10),
        ("type NOT IN ('gras', 'haag', 'binnentuin')", 15),
        ("area_m2 BETWEEN 100 AND 144", 3),  # the squares of 10, 11 and 12 m
        ("area_m2 NOT BETWEEN 100 AND 144", 27),
    ],
)
def test_qgis_filters(ogc: OgcClient, feed: Feed, filter_text: str, count: int) -> None:
    assert matched(ogc, filter_text) == count


def test_like_patterns_and_bbox_need_the_right_shape(ogc: OgcClient, feed: Feed) -> None:
    for bad in (
        "type LIKE name",
        "CASEI(type) LIKE CASEI(name)",
        "S_INTERSECTS(geometry,BBOX(5,52,5.1))",
        "S_INTERSECTS(geometry,BBOX(5.1,52,5,52.1))",
        "S_INTERSECTS(geometry,BBOX('a',52,5.1,52.1))",
    ):
        document = ogc.json(ITEMS, {"filter": bad}, status=400)
        assert document["description"]


def test_spatial_filter_with_a_bbox_literal_as_qgis_sends_it(ogc: OgcClient, feed: Feed) -> None:
    # owner B's squares: 20 m at (150000 + 50 i, 480000); this box holds the first three
    rd_box = "BBOX(149990,479990,150120,480030)"
    assert matched(ogc, f"S_INTERSECTS(geometry,{rd_box})", **{"filter-crs": RD}) == 3
    to_degrees = pyproj.Transformer.from_crs(28992, 4326, always_xy=True)
    west, south = to_degrees.transform(149990, 479990)
    east, north = to_degrees.transform(150120, 480030)
    box = f"BBOX({west:.9f},{south:.9f},{east:.9f},{north:.9f})"
    assert matched(ogc, f"S_INTERSECTS(geometry,{box})") == 3
    assert matched(ogc, f"S_INTERSECTS(geometry,{box}) AND (NOT ((type = 'binnentuin')))") == 0
    assert matched(ogc, f"(NOT (S_INTERSECTS(geometry,{box})))") == 27
    elsewhere = "BBOX(100,10,101,11)"  # outside where RD is defined
    assert matched(ogc, f"S_INTERSECTS(geometry,{elsewhere})") == 0
    assert matched(ogc, f"(NOT (S_INTERSECTS(geometry,{elsewhere})))") == 30
    wide = "BBOX(-180,-90,180,90)"  # QGIS clamps its extent in CRS84 to this
    assert matched(ogc, f"S_INTERSECTS(geometry,{wide}) AND CASEI(type) LIKE CASEI('GRAS%')") == 5
