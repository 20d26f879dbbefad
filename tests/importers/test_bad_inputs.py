"""Bad inputs: each fails the run with a clear message and leaves the locations as they were."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from shapely.geometry import LineString, Point

from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from importers.models import ImportRun, Source
from importers.sync import SourceOptions, source_ensure, source_sync

from .conftest import BGT_SHAPEFILE, bowtie, copy_dataset, resync, squares, sync, write_layer


@pytest.fixture
def imported(owner_a: Owner, tmp_path: Path, groen_rows: list[dict[str, object]]) -> Source:
    """A source whose five locations are in the database before the bad run."""
    run = sync(owner_a, write_layer(tmp_path / "groen.gpkg", groen_rows), name="groen", id_field="guid")
    assert run.created == 5
    return run.source


def snapshot(source: Source) -> list[tuple[object, ...]]:
    return list(
        Location.objects.filter(source=source)
        .order_by("id")
        .values_list("id", "external_id", "updated_at", "withdrawn_at", "source_hash")
    )


def point_source_at(source: Source, path: Path) -> ImportRun:
    source.location = str(path)
    source.save()
    return resync(source)


def assert_failed_without_change(source: Source, before: list[tuple[object, ...]], run: ImportRun, *words: str) -> None:
    assert run.status == ImportRun.Status.FAILED
    for word in words:
        assert word in run.message, run.message
    assert (run.created, run.updated, run.withdrawn) == (0, 0, 0)
    assert snapshot(source) == before


def test_a_truncated_shapefile_fails_and_changes_nothing(imported: Source, tmp_path: Path) -> None:
    before = snapshot(imported)
    rows = [{"guid": f"g{i + 1}", "geometry": poly} for i, poly in enumerate(squares(2000))]
    shp = write_layer(tmp_path / "groen.shp", rows)
    data = shp.read_bytes()
    shp.write_bytes(data[: len(data) // 2])
    run = point_source_at(imported, shp)
    assert_failed_without_change(imported, before, run, shp.name)


@pytest.mark.parametrize("missing", [".dbf", ".shx"])
def test_a_shapefile_without_its_side_file_fails_naming_it(imported: Source, tmp_path: Path, missing: str) -> None:
    before = snapshot(imported)
    shp = copy_dataset(BGT_SHAPEFILE, tmp_path)
    shp.with_suffix(missing).unlink()
    run = point_source_at(imported, shp)
    assert_failed_without_change(imported, before, run, missing, "ontbreekt")


def test_it_rejects_a_zip_with_parent_paths(imported: Source, tmp_path: Path) -> None:
    before = snapshot(imported)
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("../../outside.shp", b"x")
    run = point_source_at(imported, archive)
    assert_failed_without_change(imported, before, run, "wijst buiten de zip")
    assert not (tmp_path.parent / "outside.shp").exists()


def test_it_rejects_a_zip_bomb_before_unpacking(imported: Source, tmp_path: Path) -> None:
    before = snapshot(imported)
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("groen.shp", b"\0" * (50 * 1024 * 1024))
    run = point_source_at(imported, archive)
    assert_failed_without_change(imported, before, run, "zipbom")


def test_it_rejects_a_zip_that_unpacks_too_large(imported: Source, tmp_path: Path, settings: object) -> None:
    settings.MAX_UPLOAD_MB = 1  # type: ignore[attr-defined]  # unpacked limit: 10 MB
    before = snapshot(imported)
    archive = tmp_path / "big.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr("groen.shp", b"\1" * (11 * 1024 * 1024))
    run = point_source_at(imported, archive)
    assert_failed_without_change(imported, before, run, "pakt uit tot meer dan")


def test_it_imports_a_zipped_shapefile_from_a_subfolder(owner_a: Owner, tmp_path: Path) -> None:
    archive = tmp_path / "bgt.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for side in BGT_SHAPEFILE.parent.glob(BGT_SHAPEFILE.stem + ".*"):
            zf.write(side, f"export/bgt/{side.name}")
    run = sync(owner_a, archive, crs="EPSG:28992", id_field="bgt_id")
    assert run.status == ImportRun.Status.SUCCEEDED, run.message
    assert run.created + run.rejected == 970


def test_a_layer_of_points_fails_with_the_reason(imported: Source, tmp_path: Path) -> None:
    before = snapshot(imported)
    path = write_layer(tmp_path / "points.gpkg", [{"guid": "p", "geometry": Point(1, 1)}])
    run = point_source_at(imported, path)
    assert_failed_without_change(imported, before, run, "Point", "geen vlakken")


def test_a_layer_of_lines_fails_with_the_reason(imported: Source, tmp_path: Path) -> None:
    before = snapshot(imported)
    path = write_layer(tmp_path / "lines.shp", [{"guid": "l", "geometry": LineString([(0, 0), (1, 1)])}])
    run = point_source_at(imported, path)
    assert_failed_without_change(imported, before, run, "LineString")


def test_a_file_where_every_geometry_is_broken_fails(imported: Source, tmp_path: Path) -> None:
    before = snapshot(imported)
    rows = [{"guid": f"z{i}", "geometry": None} for i in range(3)]
    rows.append({"guid": "line", "geometry": LineString([(0, 0), (1, 1)]).buffer(0)})
    path = write_layer(tmp_path / "broken.geojson", rows)
    run = point_source_at(imported, path)
    assert_failed_without_change(imported, before, run, "elk object is geweigerd")


def test_a_missing_file_fails_with_its_name(imported: Source, tmp_path: Path) -> None:
    before = snapshot(imported)
    run = point_source_at(imported, tmp_path / "nowhere.gpkg")
    assert_failed_without_change(imported, before, run, "nowhere.gpkg", "dit bestand bestaat niet")


def test_an_unknown_id_field_fails_listing_the_fields(owner_a: Owner, tmp_path: Path) -> None:
    path = write_layer(tmp_path / "g.gpkg", [{"guid": "a", "geometry": bowtie(0, 0)}])
    source = source_ensure(owner=owner_a, name="x", options=SourceOptions(location=str(path), id_field="lokaalid"))
    run = source_sync(source=source)
    assert run.status == ImportRun.Status.FAILED
    assert "'lokaalid' is geen veld" in run.message and "guid" in run.message


def test_an_invalid_filter_fails_with_the_filter(owner_a: Owner, tmp_path: Path) -> None:
    path = write_layer(tmp_path / "g.gpkg", [{"guid": "a", "geometry": bowtie(0, 0)}])
    source = source_ensure(
        owner=owner_a, name="x", options=SourceOptions(location=str(path), id_field="guid", where="guid ===")
    )
    run = source_sync(source=source)
    assert run.status == ImportRun.Status.FAILED
    assert "guid ===" in run.message
