"""GeoJSON and the CRS: a file without `crs` is CRS84 (RFC 7946) unless the source says its CRS,
and coordinates that do not fit the CRS fail the run with a message, not an internal error."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from importers.models import ImportRun

from .conftest import sync

RD_SQUARE = [[[155000, 463000], [155010, 463000], [155010, 463010], [155000, 463010], [155000, 463000]]]
# The same square in CRS84 (Amersfoort), about 10 × 10 m.
CRS84_SQUARE = [[[5.387203, 52.155172], [5.387350, 52.155172], [5.387350, 52.155262], [5.387203, 52.155262],
                 [5.387203, 52.155172]]]  # fmt: skip


def _geojson(path: Path, coordinates: list[Any], *, crs: str | None = None) -> Path:
    document: dict[str, Any] = {"type": "FeatureCollection"}
    if crs:
        document["crs"] = {"type": "name", "properties": {"name": crs}}
    document["features"] = [
        {"type": "Feature", "properties": {"guid": "a"}, "geometry": {"type": "Polygon", "coordinates": coordinates}}
    ]
    path.write_text(json.dumps(document))
    return path


def test_rd_coordinates_without_crs_import_with_the_sources_crs(owner_a: Owner, tmp_path: Path) -> None:
    run = sync(owner_a, _geojson(tmp_path / "rd.geojson", RD_SQUARE), id_field="guid", crs="EPSG:28992")
    assert (run.status, run.created) == (ImportRun.Status.SUCCEEDED, 1), run.message
    location = Location.objects.get(source=run.source)
    assert location.geometry.extent == (155000.0, 463000.0, 155010.0, 463010.0)


def test_rd_coordinates_read_as_crs84_fail_naming_the_crs_and_a_coordinate(owner_a: Owner, tmp_path: Path) -> None:
    run = sync(owner_a, _geojson(tmp_path / "rd.geojson", RD_SQUARE), id_field="guid")
    assert run.status == ImportRun.Status.FAILED
    assert "interne fout" not in run.message
    assert "rd.geojson" in run.message
    assert "object 0 heeft coördinaten buiten het gebruiksgebied van EPSG:4326" in run.message
    assert "(155000, 463000)" in run.message
    assert "--crs" in run.message
    assert not Location.objects.filter(source=run.source).exists()


def test_a_geojson_without_crs_and_no_crs_given_is_crs84(owner_a: Owner, tmp_path: Path) -> None:
    run = sync(owner_a, _geojson(tmp_path / "wgs.geojson", CRS84_SQUARE), id_field="guid")
    assert (run.status, run.created) == (ImportRun.Status.SUCCEEDED, 1), run.message
    x, y, *_ = Location.objects.get(source=run.source).geometry.extent
    assert (x, y) == (pytest.approx(155000, abs=1), pytest.approx(463000, abs=1))


def test_a_geojson_that_names_its_crs_keeps_it(owner_a: Owner, tmp_path: Path) -> None:
    path = _geojson(tmp_path / "named.geojson", RD_SQUARE, crs="urn:ogc:def:crs:EPSG::28992")
    # The source's CRS is only for files that name none.
    run = sync(owner_a, path, id_field="guid", crs="EPSG:4326")
    assert (run.status, run.created) == (ImportRun.Status.SUCCEEDED, 1), run.message
    assert Location.objects.get(source=run.source).geometry.extent[0] == 155000.0


def test_a_crs_member_after_the_features_counts(owner_a: Owner, tmp_path: Path) -> None:
    path = tmp_path / "late.geojson"
    features = [{"type": "Feature", "properties": {"guid": "a"}, "geometry": {"type": "Polygon",
                                                                              "coordinates": RD_SQUARE}}]  # fmt: skip
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features, "crs": crs}))
    run = sync(owner_a, path, id_field="guid", crs="EPSG:4326")
    assert (run.status, run.created) == (ImportRun.Status.SUCCEEDED, 1), run.message
