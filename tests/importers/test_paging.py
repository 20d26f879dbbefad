"""Paging against servers that cap their pages, as real ones do: MapServer with wfs_maxfeatures
(PDOK answers at most 1,000 features per request, ArcGIS Server 1,000 by default) and an OGC API
server that caps `limit`. Every feature arrives, or the run fails and changes nothing."""

from __future__ import annotations

import json
import math
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from pytest_django import Settings
from shapely.geometry import box, mapping

from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from importers.models import ImportRun, Source
from importers.readers.services import count_default
from importers.sync import SourceOptions, source_ensure, source_sync

from .conftest import FIXTURES, resync, sync, write_layer
from .servers import Fault, MapServer, mapserver, ogc_api

FEATURES = 2475  # as in the report: MapServer with wfs_maxfeatures 500 served 2,475 polygons
SOURCE_IDS = {f"g{i}" for i in range(FEATURES)}


def _square(i: int) -> object:
    x, y = 140000 + (i % 50) * 20, 470000 + (i // 50) * 20
    return box(x, y, x + 10, y + 10)


@pytest.fixture(scope="session")
def groen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2,475 squares of 10 × 10 m with ids g0…g2474, written once per session."""
    rows = [{"guid": f"g{i}", "objecttype": "gras", "geometry": _square(i)} for i in range(FEATURES)]
    return write_layer(tmp_path_factory.mktemp("paging") / "groen.shp", rows)


@pytest.fixture(scope="session")
def groen_later(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same layer changed: every tenth square gone, the type of every seventh changed."""
    rows = [
        {"guid": f"g{i}", "objecttype": "heide" if i % 7 == 0 else "gras", "geometry": _square(i)}
        for i in range(FEATURES)
        if i % 10 != 0
    ]
    return write_layer(tmp_path_factory.mktemp("paging_later") / "groen.shp", rows)


@pytest.fixture
def fast(settings: Settings) -> Settings:
    # Short enough that a stuck stand-in fails the test soon; long enough for the first request to a
    # cold `mapserv` (a CGI process loading GDAL and PROJ): at 3 s the capabilities of the first test
    # once did not arrive, and the importer learnt the cap from the first page instead.
    settings.IMPORT_HTTP_TIMEOUT = 15
    return settings


def _pages(server: MapServer) -> list[dict[str, str]]:
    return [r for r in server.requests if r.get("request") == "GetFeature" and r.get("resulttype") != "hits"]


def _table() -> list[str]:
    """Every row of the locations table, every column, as text: the snapshot a failed run must keep."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_jsonb(l)::text FROM locations_location l ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


def _external_ids(source: Source) -> set[str]:
    return set(Location.objects.filter(source=source).values_list("external_id", flat=True))


# cap, page size asked, hits ("yes", or "refuse" / "ignore" as servers without hits support),
# whether the capabilities announce the cap as CountDefault.
CASES = [
    (100, 5000, "yes", True),
    (100, 5000, "refuse", False),
    (100, 80, "ignore", True),
    (100, 80, "yes", False),
    (500, 5000, "yes", False),  # the report's server; its hits answer 500
    (500, 5000, "ignore", True),
    (500, 300, "refuse", True),
    (500, 300, "yes", False),
    (1000, 5000, "refuse", True),
    (1000, 5000, "yes", False),
    (1000, 700, "yes", True),
    (1000, 700, "ignore", False),
]


@pytest.mark.parametrize(("cap", "page_size", "hits", "announced"), CASES)
def test_every_feature_arrives_from_a_wfs_that_caps_its_pages(
    owner_a: Owner, groen: Path, tmp_path: Path, fast: Settings, cap: int, page_size: int, hits: str, announced: bool
) -> None:
    fast.IMPORT_WFS_PAGE_SIZE = page_size
    with mapserver(groen, tmp_path, max_features=cap, hits=hits, announce_cap=announced) as server:
        run = sync(owner_a, server.url, kind="wfs", layer="groen", id_field="guid", type_field="objecttype")
        assert run.status == ImportRun.Status.SUCCEEDED, run.message
        assert (run.read, run.created, run.rejected, run.total) == (FEATURES, FEATURES, 0, FEATURES)
        assert Location.objects.filter(source=run.source).count() == FEATURES
        assert _external_ids(run.source) == SOURCE_IDS
        pages = _pages(server)
        step = min(cap, page_size)
        # MapServer's last page tells numberMatched, so no empty page is asked for.
        assert len(pages) == math.ceil(FEATURES / step)
        assert [int(p["startindex"]) for p in pages] == list(range(0, FEATURES, step))
        asked = [int(p["count"]) for p in pages]
        if announced or page_size < cap:
            assert set(asked) == {step}  # CountDefault read from the capabilities
        else:
            assert asked == [page_size] + [cap] * (len(pages) - 1)  # learnt from the first short page
        if (cap, page_size, hits) == (500, 5000, "yes"):  # the report's later syncs saw 500 unchanged
            again = resync(run.source, full=True)
            assert again.status == ImportRun.Status.SUCCEEDED, again.message
            assert (again.read, again.created, again.updated, again.unchanged) == (FEATURES, 0, 0, FEATURES)


@pytest.mark.parametrize(
    ("query", "pages"),
    [
        ("?version=1.1.0", 6),  # 1.1.0 pages tell no total: the empty sixth page ends
        ("?version=2.0.0&outputFormat=geojson", 5),
    ],
)
def test_wfs_110_and_geojson_pages_from_a_capped_mapserver(
    owner_a: Owner, groen: Path, tmp_path: Path, fast: Settings, query: str, pages: int
) -> None:
    with mapserver(groen, tmp_path, max_features=500) as server:
        run = sync(owner_a, server.url + query, kind="wfs", layer="groen", id_field="guid")
        assert run.status == ImportRun.Status.SUCCEEDED, run.message
        assert (run.read, run.created, run.total) == (FEATURES, FEATURES, FEATURES)
        assert _external_ids(run.source) == SOURCE_IDS
        assert len(_pages(server)) == pages


@pytest.mark.parametrize("announced", [True, False])
def test_the_progress_of_a_capped_wfs_never_reads_past_its_total(
    owner_a: Owner, groen: Path, tmp_path: Path, fast: Settings, announced: bool
) -> None:
    """MapServer answers resultType=hits with at most its wfs_maxfeatures: taken as the total, the
    GIS admin watched "2000 / 500 (400%)". Announced as CountDefault, the cap is no total; not
    announced, the total is dropped once more has been read (the admin's progress shows no total)."""
    seen: list[tuple[int, int | None]] = []
    with mapserver(groen, tmp_path, max_features=500, announce_cap=announced) as server:
        source = source_ensure(owner=owner_a, name="capped", options=SourceOptions(
            location=server.url, kind="wfs", layer="groen", id_field="guid"))  # fmt: skip
        run = source_sync(source=source, progress=lambda run: seen.append((run.read, run.total)))
    assert run.status == ImportRun.Status.SUCCEEDED, run.message
    assert run.total == FEATURES
    assert len(seen) >= 4
    if announced:
        assert all(total is None for _read, total in seen[:-1]), seen
    assert all(total is None or read <= total for read, total in seen), seen


def test_the_command_imports_everything_from_a_capped_wfs(owner_a: Owner, groen: Path, tmp_path: Path) -> None:
    with mapserver(groen, tmp_path, max_features=500) as server:
        out = StringIO()
        args = ["--kind", "wfs", "--layer", "groen", "--owner", owner_a.slug, "--source", "pdok", "--id-field", "guid"]
        call_command("import_locations", f"{server.url}?version=2.0.0", *args, "--json", stdout=out)
    summary = json.loads(out.getvalue())
    assert (summary["status"], summary["read"], summary["created"], summary["rejected"]) == (
        "succeeded", FEATURES, FEATURES, 0
    )  # fmt: skip
    assert Location.objects.filter(source__name="pdok").count() == FEATURES


@pytest.mark.parametrize(
    ("mode", "words"),
    [
        ("500", "HTTP 500"),
        ("truncate", "de verbinding brak af"),  # closed before the Content-Length it announced
        ("cut", "houdt halverwege op"),  # closed without a Content-Length: GDAL alone would read 0 features
    ],
)
def test_a_wfs_dying_on_page_3_changes_nothing(
    owner_a: Owner, groen: Path, groen_later: Path, tmp_path: Path, fast: Settings, mode: str, words: str
) -> None:
    with mapserver(groen, tmp_path, max_features=500) as server:
        server.fault = Fault(mode=mode, from_index=1000)
        first = sync(owner_a, server.url, kind="wfs", layer="groen", id_field="guid", type_field="objecttype")
        assert first.status == ImportRun.Status.FAILED
        assert words in first.message and "pagina 3" in first.message, first.message
        assert _table() == []
        server.fault = Fault()
        first = resync(first.source)
        assert first.created == FEATURES
        before = _table()
        server.data = groen_later  # a re-sync that would withdraw 248 and update 318 locations
        server.configure()
        server.fault = Fault(mode=mode, from_index=1000)
        run = resync(first.source, full=True)
        assert run.status == ImportRun.Status.FAILED
        assert words in run.message and "pagina 3" in run.message, run.message
        assert (run.created, run.updated, run.withdrawn) == (0, 0, 0)
        assert _table() == before
        server.fault = Fault()
        after = resync(first.source, full=True)
    assert after.status == ImportRun.Status.SUCCEEDED, after.message
    assert (after.read, after.updated, after.withdrawn) == (FEATURES - 248, 318, 248)


def test_a_wfs_announcing_more_than_it_delivers_fails_and_changes_nothing(
    owner_a: Owner, groen: Path, groen_later: Path, tmp_path: Path, fast: Settings
) -> None:
    fast.IMPORT_WFS_PAGE_SIZE = 500
    with mapserver(groen_later, tmp_path) as server:  # no cap: its hits tell the true total
        first = sync(owner_a, server.url, kind="wfs", layer="groen", id_field="guid")
        assert first.created == FEATURES - 248
        before = _table()
        server.data = groen
        server.configure()
        server.fault = Fault(mode="end", from_index=1000)  # an empty page where 1,475 more should be
        run = resync(first.source, full=True)
    assert run.status == ImportRun.Status.FAILED
    assert "zei dat 2475 objecten voldoen (resultType=hits), maar er kwamen er 1000 aan" in run.message, run.message
    assert _table() == before


def test_a_wfs_that_ignores_start_index_fails_instead_of_looping(
    owner_a: Owner, groen: Path, tmp_path: Path, fast: Settings
) -> None:
    with mapserver(groen, tmp_path, max_features=500, pages=False) as server:
        run = sync(owner_a, server.url + "?version=1.1.0", kind="wfs", layer="groen", id_field="guid")
        assert len(_pages(server)) == 2
    assert run.status == ImportRun.Status.FAILED
    assert "pagina 2" in run.message and "negeert startIndex" in run.message, run.message
    assert _table() == []


def test_count_default_is_read_from_real_capabilities() -> None:
    geoserver = (FIXTURES / "wfs_captures" / "owslib_wfs_dov_getcapabilities_200.xml").read_bytes()
    assert count_default(geoserver) == 10000  # <ows:Constraint name="CountDefault"><ows:DefaultValue>
    mapserver_110 = b'<ows:Constraint name="DefaultMaxFeatures"><ows:Value>500</ows:Value></ows:Constraint>'
    assert count_default(mapserver_110) == 500
    assert count_default(b"<wfs:WFS_Capabilities/>") is None


def _features(count: int) -> list[dict[str, object]]:
    return [
        {"type": "Feature", "id": f"g{i}", "geometry": mapping(_square(i)), "properties": {"soort": "heesters"}}
        for i in range(count)
    ]


RD = {"id": "groen", "crs": ["http://www.opengis.net/def/crs/EPSG/0/28992"]}


def test_every_feature_arrives_from_an_ogc_api_that_caps_its_pages(owner_a: Owner, fast: Settings) -> None:
    fast.IMPORT_OAPIF_PAGE_SIZE = 1000
    with ogc_api(RD, _features(FEATURES), max_limit=100) as server:
        run = sync(owner_a, f"{server.url}/collections/groen", kind="oapif")
        items = [r for r in server.requests if r["path"].endswith("/items")]
    assert run.status == ImportRun.Status.SUCCEEDED, run.message
    assert (run.read, run.created, run.total) == (FEATURES, FEATURES, FEATURES)
    assert _external_ids(run.source) == SOURCE_IDS
    assert len(items) == 25 and items[0]["limit"] == "1000"


@pytest.mark.parametrize(("served", "claims"), [(2000, 2475), (2475, 2000)])
def test_an_ogc_api_whose_count_is_wrong_fails_and_changes_nothing(
    owner_a: Owner, fast: Settings, served: int, claims: int
) -> None:
    fast.IMPORT_OAPIF_PAGE_SIZE = 500
    with ogc_api(RD, _features(FEATURES), max_limit=300) as server:
        first = sync(owner_a, f"{server.url}/collections/groen", kind="oapif")
        assert first.created == FEATURES
        before = _table()
    with ogc_api(RD, _features(served), claims=claims) as server:
        source = Source.objects.get(pk=first.source_id)
        source.location = f"{server.url}/collections/groen"
        source.save()
        run = resync(source, full=True)
    assert run.status == ImportRun.Status.FAILED
    assert f"de OGC API zei dat {claims} objecten voldoen, maar er kwamen er {served} aan" in run.message, run.message
    assert _table() == before
