"""Helpers for importer tests: real files from fixtures/, small files written with GDAL."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
from django.db import connection
from shapely.geometry import MultiPolygon, Polygon, box

from gis_service.owners.models import Owner
from importers.models import ImportRun, Source
from importers.sync import SourceOptions, source_ensure, source_sync

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
BGT_CITYGML = FIXTURES / "bgt" / "bgt_begroeidterreindeel_hilversum.gml"
BGT_SHAPEFILE = FIXTURES / "bgt" / "shapefile_noprj" / "bgt_begroeidterreindeel.shp"
GML_LIGHT_TWO = FIXTURES / "bgt" / "two_bgt_begroeidterreindeel.gml"
GML_LIGHT_CURVED = FIXTURES / "bgt" / "mantis6028_bgt_begroeidterreindeel_curved.gml"


@pytest.fixture(autouse=True)
def test_servers_allowed(settings: Any) -> None:
    """The test servers (servers.py) listen on 127.0.0.1, an internal address the importer reads
    only when IMPORT_ALLOWED_HOSTS names it (tests/importers/test_internal_hosts.py without it)."""
    settings.IMPORT_ALLOWED_HOSTS = ["127.0.0.1"]


def copy_dataset(path: Path, folder: Path) -> Path:
    """Copies a dataset and its side files into `folder`; returns the copy of `path`."""
    for side in path.parent.glob(path.stem + ".*"):
        shutil.copy(side, folder / side.name)
    return folder / path.name


def database_url() -> str:
    """The test database as DATABASE_URL, for a `manage.py` process of its own."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgis://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def sync(owner: Owner, location: Path | str, *, name: str = "test", **options: str) -> ImportRun:
    source = source_ensure(owner=owner, name=name, options=SourceOptions(location=str(location), **options))
    return source_sync(source=source)


def resync(source: Source, *, full: bool = False) -> ImportRun:
    return source_sync(source=Source.objects.get(pk=source.pk), full=full)


def squares(count: int, *, size: float = 10.0, x0: float = 140000.0, y0: float = 470000.0) -> list[Polygon]:
    return [box(x0 + i * 20, y0, x0 + i * 20 + size, y0 + size) for i in range(count)]


def bowtie(x: float, y: float) -> Polygon:
    return Polygon([(x, y), (x + 10, y + 10), (x + 10, y), (x, y + 10), (x, y)])


def write_layer(path: Path, rows: list[dict[str, object]], *, crs: str | None = "EPSG:28992", **kwargs: object) -> Path:
    """Writes rows (each with a 'geometry') with GDAL; the driver follows from the suffix."""
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=crs)
    frame.to_file(path, engine="pyogrio", **kwargs)
    return path


@pytest.fixture
def groen_rows() -> list[dict[str, object]]:
    """Five municipal green areas with ids g1..g5."""
    return [
        {"guid": f"g{i + 1}", "objecttype": "gras", "naam": f"Veld {i + 1}", "geometry": MultiPolygon([poly])}
        for i, poly in enumerate(squares(5))
    ]
