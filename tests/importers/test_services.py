"""WFS against a real MapServer, and OGC API Features against a real HTTP server, with paging."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_django import Settings
from shapely.geometry import mapping

from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from importers.models import ImportRun, Source

from .conftest import resync, squares, sync, write_layer
from .servers import Fault, RunningServer, mapserver, ogc_api

FEATURES = 250


@pytest.fixture
def wfs(tmp_path: Path, settings: Settings) -> Iterator[RunningServer]:
    settings.IMPORT_WFS_PAGE_SIZE = 100  # smaller than the layer: paging
    settings.IMPORT_HTTP_TIMEOUT = 3
    rows = [{"guid": f"g{i}", "objecttype": "gras", "geometry": poly} for i, poly in enumerate(squares(FEATURES))]
    data = write_layer(tmp_path / "groen.shp", rows)
    with mapserver(data, tmp_path) as server:
        yield server


@pytest.mark.parametrize(("version", "output"), [("2.0.0", ""), ("1.1.0", ""), ("2.0.0", "&outputFormat=geojson")])
def test_it_imports_a_wfs_layer_page_by_page(owner_a: Owner, wfs: RunningServer, version: str, output: str) -> None:
    run = sync(owner_a, f"{wfs.url}?version={version}{output}", kind="wfs", layer="groen", id_field="guid",
               type_field="objecttype")  # fmt: skip
    assert run.status == ImportRun.Status.SUCCEEDED, run.message
    assert (run.read, run.created, run.total) == (FEATURES, FEATURES, FEATURES if version == "2.0.0" else run.total)
    pages = [r for r in wfs.requests if r.get("request") == "GetFeature" and r.get("resulttype") != "hits"]
    assert len(pages) == (4 if version == "1.1.0" else 3)  # 1.1.0 pages tell no total: an empty page ends
    assert all(r.get("outputformat", "") == output.partition("=")[2] for r in pages)
    location = Location.objects.get(source=run.source, external_id="g7")
    assert location.type == "gras"
    assert location.area_m2 == pytest.approx(100.0)  # exact RD coordinates
    again = resync(run.source)
    assert (again.created, again.updated, again.unchanged) == (0, 0, FEATURES)


@pytest.mark.parametrize(
    ("mode", "words"),
    [("500", "HTTP 500"), ("exception", "database connection lost"), ("hang", "geen antwoord binnen")],
)
def test_a_wfs_failing_half_way_changes_nothing(owner_a: Owner, wfs: RunningServer, mode: str, words: str) -> None:
    first = sync(owner_a, wfs.url, kind="wfs", layer="groen", id_field="guid")
    assert first.created == FEATURES
    before = list(Location.objects.filter(source=first.source).values_list("id", "updated_at", "withdrawn_at"))
    wfs.fault = Fault(mode=mode, from_index=200)
    run = resync(first.source, full=True)
    assert run.status == ImportRun.Status.FAILED
    assert words in run.message and "pagina 3" in run.message, run.message
    assert list(Location.objects.filter(source=first.source).values_list("id", "updated_at", "withdrawn_at")) == before


def test_an_unknown_typename_fails_with_the_servers_reason(owner_a: Owner, wfs: RunningServer) -> None:
    run = sync(owner_a, wfs.url, kind="wfs", layer="nope", id_field="guid")
    assert run.status == ImportRun.Status.FAILED
    assert "nope" in run.message


def _features(count: int) -> list[dict[str, object]]:
    return [
        {"type": "Feature", "id": f"loc-{i}", "geometry": mapping(poly),
         "properties": {"naam": f"Plek {i}", "soort": "heesters"}}
        for i, poly in enumerate(squares(count))
    ]  # fmt: skip


def test_it_imports_an_ogc_api_collection_following_next_links(owner_a: Owner, settings: Settings) -> None:
    settings.IMPORT_OAPIF_PAGE_SIZE = 10
    collection = {"id": "groen", "crs": ["http://www.opengis.net/def/crs/EPSG/0/28992"]}
    with ogc_api(collection, _features(25)) as server:
        run = sync(owner_a, f"{server.url}/collections/groen", kind="oapif", name_field="naam", type_field="soort")
        assert run.status == ImportRun.Status.SUCCEEDED, run.message
        assert (run.read, run.created, run.total) == (25, 25, 25)
        items = [r for r in server.requests if r["path"].endswith("/items")]
        assert len(items) == 3
        assert all(r.get("crs") == "http://www.opengis.net/def/crs/EPSG/0/28992" for r in items)
        location = Location.objects.get(source=run.source, external_id="loc-3")
        assert (location.name, location.type) == ("Plek 3", "heesters")
        assert location.area_m2 == pytest.approx(100.0)


def test_an_ogc_api_in_crs84_is_reprojected(owner_a: Owner, settings: Settings) -> None:
    feature = {"type": "Feature", "id": "a", "properties": {},
               "geometry": {"type": "Polygon", "coordinates": [[[5.17, 52.22], [5.171, 52.22], [5.171, 52.221],
                                                                [5.17, 52.221], [5.17, 52.22]]]}}  # fmt: skip
    with ogc_api({"id": "groen"}, [feature]) as server:
        run = sync(owner_a, f"{server.url}/collections/groen/items", kind="oapif")
    assert run.status == ImportRun.Status.SUCCEEDED, run.message
    location = Location.objects.get(source=run.source)
    assert 140000 < location.geometry.centroid.x < 145000  # Hilversum in RD
    assert 7000 < location.area_m2 < 8000


def test_an_ogc_api_failing_half_way_changes_nothing(owner_a: Owner, settings: Settings) -> None:
    settings.IMPORT_OAPIF_PAGE_SIZE = 10
    with ogc_api({"id": "groen"}, _features(25)) as server:
        first = sync(owner_a, f"{server.url}/collections/groen", kind="oapif", crs="EPSG:28992")
        assert first.status == ImportRun.Status.SUCCEEDED, first.message
        server.fault = Fault(mode="500", from_index=10)
        run = resync(Source.objects.get(pk=first.source_id), full=True)
    assert run.status == ImportRun.Status.FAILED
    assert "pagina 2" in run.message and "HTTP 500" in run.message
    assert Location.objects.filter(source=first.source, withdrawn_at__isnull=True).count() == 25
