"""Real clients against a live server: GDAL's OAPIF driver, OWSLib and headless QGIS.

The conformance suites are in test_ogctests.py, generated requests in tests/api/test_schemathesis.py.

They run against pytest-django's live_server, which serves the test database, so the data
must be committed: these tests use `transactional_db`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import textwrap
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import shapely

from gis_service.accounts.models import User
from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from tests.ogc.conftest import Feed, add_workflow, make_feed
from tests.ogc.qgis_client import QGIS_EDITS, QGIS_PYTHON, qgis_version

pytestmark = [pytest.mark.slow]


@pytest.fixture
def live_feed(transactional_db: None, live_server: Any) -> tuple[str, Feed]:
    owner_a = Owner.objects.create(name="Gemeente Aadorp", slug="aadorp", kind=Owner.Kind.GEMEENTE)
    owner_b = Owner.objects.create(name="Woonstichting Bebouw", slug="bebouw", kind=Owner.Kind.WONINGCORPORATIE)
    feed = make_feed(owner_a, owner_b)
    add_workflow(feed, User.objects.create_user(username="bewoner", email="b@example.org"))
    return f"{live_server.url}/ogc", feed


def run(*command: str, timeout: int = 300, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, **kwargs)
    assert result.returncode == 0, f"{command[0]} failed: {result.stderr[-2000:]}"
    return result


def test_gdal_reads_every_collection_completely_page_by_page(live_feed: tuple[str, Feed]) -> None:
    base, feed = live_feed
    contracts = len(feed.contracts) + 1  # and the approved initiative's (add_workflow)
    for collection, count in (("locations", 30), ("contracts", contracts), ("initiatives", 1)):
        summary = run("ogrinfo", "-ro", "-so", "-oo", "PAGE_SIZE=7", f"OAPIF:{base}/", collection).stdout
        assert f"Feature Count: {count}" in summary, collection
        features = run("ogrinfo", "-ro", "-q", "-oo", "PAGE_SIZE=7", f"OAPIF:{base}/", collection).stdout
        assert features.count(f"OGRFeature({collection})") == count, collection
    locations = run("ogrinfo", "-ro", "-q", "-oo", "PAGE_SIZE=7", f"OAPIF:{base}/", "locations").stdout
    assert "Plantsoen 24" in locations and "Binnentuin 4" in locations


def test_gdal_counts_a_filtered_layer_past_the_count_bound_by_its_pages(
    live_feed: tuple[str, Feed], settings: Any
) -> None:
    """Past OGC_COUNT_MAX a filtered page has no numberMatched (docs/ogc.md): GDAL then counts what the
    pages hold, the right number, not a wrong or missing one."""
    base, _feed = live_feed
    settings.OGC_COUNT_MAX = 4  # owner A has 5 locations of type gras
    with urllib.request.urlopen(f"{base}/collections/locations/items?f=json&type=gras&limit=2") as response:  # noqa: S310 - our own http URL
        assert "numberMatched" not in json.load(response)  # the server is past its bound
    source = ("-ro", "-oo", "PAGE_SIZE=2", f"OAPIF:{base}/", "locations", "-where", "type = 'gras'")
    assert "Feature Count: 5" in run("ogrinfo", "-so", *source).stdout
    assert run("ogrinfo", "-q", *source).stdout.count("OGRFeature(locations)") == 5


QGIS_BOUND_SCRIPT = textwrap.dedent(
    """
    import json, sys
    from qgis.core import (QgsApplication, QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsFeatureRequest,
                           QgsProject, QgsRectangle, QgsVectorLayer)
    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    loaded = {}
    for name, case in json.loads(sys.argv[2]).items():
        # pageSize 3: every layer is read through next links
        uri = (f"url='{sys.argv[1]}{case.get('query', '')}' typename='locations' pagingEnabled='true'"
               " pageSize='3' version='OGC_API_FEATURES'")
        if case.get("rect"):
            uri += " restrictToRequestBBOX='1'"  # "Only request features overlapping the view extent"
        layer = QgsVectorLayer(uri, name, "OAPIF")
        if case.get("subset"):
            layer.setSubsetString(case["subset"])
        before = layer.featureCount()
        request = QgsFeatureRequest()
        if case.get("rect"):  # in degrees, for the layer's CRS (3.22: EPSG:4326, 3.32+: the storageCrs)
            degrees = QgsCoordinateReferenceSystem("OGC:CRS84")
            to_layer = QgsCoordinateTransform(degrees, layer.crs(), QgsProject.instance())
            request.setFilterRect(to_layer.transformBoundingBox(QgsRectangle(*case["rect"])))
        names = [f["name"] for f in layer.getFeatures(request)] if layer.isValid() else []
        loaded[name] = {"valid": layer.isValid(), "before": before, "names": names, "after": layer.featureCount()}
    print(json.dumps(loaded))
    """
)


def names(locations: list[Location]) -> list[str]:
    return sorted(location.name for location in locations)


def test_headless_qgis_reads_every_feature_past_the_count_bound_and_counts_them_right(
    live_feed: tuple[str, Feed], settings: Any, tmp_path: Path
) -> None:
    """What QGIS 3.22 sends to the server of a layer: a date condition of its filter as `datetime`, the
    view's box as `bbox` (with "only request features overlapping the view extent"), and query
    parameters written into the connection's URL, on every request. Past OGC_COUNT_MAX those pages have
    no numberMatched; QGIS still reads every feature by the next links (docs/ogc.md). QGIS 3.32+ sends the
    layer's filter as CQL2 (`filter=`) instead, and counts a layer without numberMatched by reading it."""
    import pyproj

    version = qgis_version()
    base, feed = live_feed
    settings.OGC_COUNT_MAX = 4
    for query in ("datetime=2000-01-01/..", "type=gras", "bbox=5,51,6,53"):  # 30, 5 and 30 matches
        with urllib.request.urlopen(f"{base}/collections/locations/items?f=json&limit=2&{query}") as response:  # noqa: S310 - our own http URL
            assert "numberMatched" not in json.load(response), query  # the server is past its bound
    to_degrees = pyproj.Transformer.from_crs(28992, 4326, always_xy=True)
    west, south = to_degrees.transform(139990, 469990)  # owner A's 5 × 5 grid of squares, and nothing else
    east, north = to_degrees.transform(140600, 470600)
    cases = {
        "datetime": {"subset": "\"updated\" >= '2000-01-01'"},  # all 30, as datetime=2000-01-01/9999-12-31…
        "datetime_and_type": {"subset": "\"updated\" >= '2000-01-01' AND \"type\" = 'gras'"},  # type: in QGIS
        "view": {"rect": [west, south, east, north]},
        "url_query": {"query": "?type=gras"},
        "url_query_within_bound": {"query": "?name=Plantsoen%2000"},
    }
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    # A home of its own: QGIS keeps answers in a disk cache (for their max-age).
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(runtime), "HOME": str(tmp_path)}
    result = run(str(QGIS_PYTHON), "-c", QGIS_BOUND_SCRIPT, base, json.dumps(cases), env=env)
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert all(layer["valid"] for layer in loaded.values()), loaded
    gras = [location for location in feed.current if location.type == "gras"]

    # A filter of the layer: QGIS counts it by reading it, whatever the server says.
    assert sorted(loaded["datetime"]["names"]) == names(feed.current)
    assert (loaded["datetime"]["before"], loaded["datetime"]["after"]) == (30, 30)
    assert sorted(loaded["datetime_and_type"]["names"]) == names(gras)
    assert (loaded["datetime_and_type"]["before"], loaded["datetime_and_type"]["after"]) == (5, 5)
    # The view's box: the layer keeps its own count, the exact counter of its unfiltered first page.
    assert sorted(loaded["view"]["names"]) == names(feed.locations_a)
    assert (loaded["view"]["before"], loaded["view"]["after"]) == (30, 30)
    # Query parameters in the connection's URL: QGIS 3.22 takes the layer's count from numberMatched of its
    # first request (`items?limit=10&type=gras`). Without it, it counts the features it holds: 0 before it
    # has read any, the right number once it has read them all (a known limit of 3.22; docs/ogc.md).
    # QGIS 3.32+ asks `items?limit=1&type=gras` for the count and, finding no numberMatched, reads the
    # whole layer to count it: right before it is drawn.
    assert sorted(loaded["url_query"]["names"]) == names(gras)
    assert (loaded["url_query"]["before"], loaded["url_query"]["after"]) == ((0, 5) if version < QGIS_EDITS else (5, 5))
    assert loaded["url_query_within_bound"] == {"valid": True, "before": 1, "names": ["Plantsoen 00"], "after": 1}


def test_ogr2ogr_to_geopackage_in_rd_gives_back_the_stored_geometries_to_the_millimetre(
    live_feed: tuple[str, Feed], tmp_path: Path
) -> None:
    import pyogrio

    base, feed = live_feed
    target = tmp_path / "locations.gpkg"
    run(
        "ogr2ogr",
        "-f",
        "GPKG",
        str(target),
        f"OAPIF:{base}/",
        "locations",
        "-oo",
        "PAGE_SIZE=10",
        "-t_srs",
        "EPSG:28992",
        "-preserve_fid",
    )
    frame = pyogrio.read_dataframe(target, fid_as_index=True)
    assert len(frame) == 30
    stored = {location.pk: shapely.from_wkb(bytes(location.geometry.wkb)) for location in Location.objects.current()}
    served = dict(zip(frame.index, frame.geometry, strict=True))  # GDAL keeps the feature id as FID
    assert set(served) == set(stored)
    for pk, geometry in stored.items():
        # every vertex within a millimetre (the ring may start at another vertex)
        assert shapely.hausdorff_distance(served[pk], geometry) < 0.001, pk
        assert shapely.get_num_coordinates(served[pk]) == shapely.get_num_coordinates(geometry), pk


def test_owslib_lists_collections_and_reads_items_with_bbox_filter_and_queryables(live_feed: tuple[str, Feed]) -> None:
    from owslib.ogcapi.features import Features

    base, feed = live_feed
    api = Features(base)
    assert [c["id"] for c in api.collections()["collections"]] == ["locations", "contracts", "initiatives"]
    queryables = api.collection_queryables("locations")
    assert "status" in queryables["properties"]
    in_box = api.collection_items(
        "locations",
        bbox=[149990, 479990, 150120, 480030],
        **{"bbox-crs": "http://www.opengis.net/def/crs/EPSG/0/28992"},
    )
    assert {f["id"] for f in in_box["features"]} == {loc.pk for loc in feed.locations_b[:3]}
    filtered = api.collection_items("locations", filter="type = 'haag'", **{"filter-lang": "cql2-text"})
    assert filtered["numberMatched"] == 5


QGIS_SCRIPT = textwrap.dedent(
    """
    import json, sys
    from qgis.core import QgsApplication, QgsVectorLayer
    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    uri = f"url='{sys.argv[1]}' typename='locations' pagingEnabled='true' version='OGC_API_FEATURES'"
    layer = QgsVectorLayer(uri, "locations", "OAPIF")
    names = [f["name"] for f in layer.getFeatures()] if layer.isValid() else []
    # (layer.error().summary() crashes QGIS 3.22's Python bindings: not asked for)
    print(json.dumps({"valid": layer.isValid(), "count": len(names), "names": names, "crs": layer.crs().authid()}))
    """
)


def test_headless_qgis_loads_the_locations_layer_with_all_features(live_feed: tuple[str, Feed], tmp_path: Path) -> None:
    qgis_version()
    base, feed = live_feed
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(runtime)}
    result = run(str(QGIS_PYTHON), "-c", QGIS_SCRIPT, base, env=env, timeout=300)
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded["valid"], result.stderr[-2000:]
    assert loaded["count"] == 30
    assert sorted(loaded["names"]) == sorted(location.name for location in feed.current)


def test_gdal_tools_are_there() -> None:
    assert shutil.which("ogrinfo") and shutil.which("ogr2ogr"), "gdal-bin is missing: run scripts/setup.sh"


QGIS_LAYERS_SCRIPT = textwrap.dedent(
    """
    import json, sys
    from qgis.core import QgsApplication, QgsVectorLayer, QgsWkbTypes
    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    loaded = {}
    for name in sys.argv[2:]:
        uri = f"url='{sys.argv[1]}' typename='{name}' pagingEnabled='true' version='OGC_API_FEATURES'"
        layer = QgsVectorLayer(uri, name, "OAPIF")
        loaded[name] = {
            "valid": layer.isValid(), "wkb": QgsWkbTypes.displayString(layer.wkbType()),
            "count": len(list(layer.getFeatures())) if layer.isValid() else None,
            "fields": {f.name(): f.typeName() for f in layer.fields()},
        }
    print(json.dumps(loaded))
    """
)


def test_headless_qgis_loads_every_collection_with_its_geometry_type_and_typed_dates(
    transactional_db: None, live_server: Any, tmp_path: Path
) -> None:
    """Every collection, including an empty one (no initiative is approved here), as QGIS 3.22 loads it."""
    from datetime import date

    from gis_service.contracts.models import Offering

    qgis_version()
    owner_a = Owner.objects.create(name="Gemeente Aadorp", slug="aadorp", kind=Owner.Kind.GEMEENTE)
    owner_b = Owner.objects.create(name="Woonstichting Bebouw", slug="bebouw", kind=Owner.Kind.WONINGCORPORATIE)
    feed = make_feed(owner_a, owner_b)
    Offering.objects.filter(location=feed.locations_a[0]).update(offered_from=date(2026, 5, 1))
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    # A home of its own: QGIS keeps answers in a disk cache (for their max-age), and the live server of
    # an earlier test had the same address with other data.
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(runtime), "HOME": str(tmp_path)}
    collections = ("locations", "contracts", "initiatives")
    result = run(str(QGIS_PYTHON), "-c", QGIS_LAYERS_SCRIPT, f"{live_server.url}/ogc", *collections, env=env)
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert all(layer["valid"] for layer in loaded.values()), loaded
    assert (loaded["locations"]["wkb"], loaded["locations"]["count"]) == ("MultiPolygon", 30)
    assert (loaded["contracts"]["wkb"], loaded["contracts"]["count"]) == ("MultiPolygon", len(feed.contracts))
    assert loaded["locations"]["fields"]["offered_from"] == "Date"
    assert loaded["locations"]["fields"]["external_id"] == "String"
    assert loaded["contracts"]["fields"]["starts_on"] == "Date"
    assert loaded["initiatives"]["count"] == 0
    # QGIS 3.22 takes the geometry type and the fields from the first page of features alone (GDAL reads
    # them from the GeoJSON), so an empty collection is a table there whatever the feed declares. QGIS 3.40
    # does the same with it (no geometry, no fields), although the schema and queryables declare both
    # (tests/ogc/test_collection_metadata.py).
    assert loaded["initiatives"]["wkb"] == "NoGeometry"
