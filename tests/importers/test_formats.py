"""File formats and their details: encodings, layers, CRSs, filters, interrupted runs."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from shapely.geometry import box

from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from importers.models import ImportRun
from importers.readers.files import fingerprint
from importers.sync import SourceOptions, source_ensure, source_sync

from .conftest import resync, squares, sync, write_layer


def test_it_reads_a_latin1_shapefile_through_its_cpg(owner_a: Owner, tmp_path: Path) -> None:
    rows = [{"guid": "a", "naam": "Plantsoen Bûtenhôf", "geometry": box(0, 0, 10, 10)}]
    shp = write_layer(tmp_path / "latin.shp", rows, encoding="ISO-8859-1")
    assert "8859" in shp.with_suffix(".cpg").read_text()
    run = sync(owner_a, shp, id_field="guid", name_field="naam")
    assert run.status == ImportRun.Status.SUCCEEDED, run.message
    assert Location.objects.get(source=run.source).name == "Plantsoen Bûtenhôf"


def test_it_asks_for_the_layer_of_a_geopackage_with_several(owner_a: Owner, tmp_path: Path) -> None:
    path = tmp_path / "two.gpkg"
    write_layer(path, [{"guid": "a", "geometry": box(0, 0, 10, 10)}], layer="groen")
    write_layer(path, [{"guid": "b", "geometry": box(0, 0, 5, 5)}, {"guid": "c", "geometry": box(9, 9, 10, 10)}],
                layer="bomen")  # fmt: skip
    without = sync(owner_a, path, id_field="guid")
    assert without.status == ImportRun.Status.FAILED
    assert "--layer" in without.message and "groen" in without.message and "bomen" in without.message
    chosen = sync(owner_a, path, name="bomen", id_field="guid", layer="bomen")
    assert (chosen.status, chosen.created) == (ImportRun.Status.SUCCEEDED, 2)


def test_it_reprojects_a_layer_in_another_crs(owner_a: Owner, tmp_path: Path) -> None:
    rows = [{"guid": "a", "geometry": box(5.170, 52.220, 5.171, 52.221)}]
    run = sync(owner_a, write_layer(tmp_path / "wgs.gpkg", rows, crs="EPSG:4326"), id_field="guid")
    location = Location.objects.get(source=run.source)
    assert 140000 < location.geometry.centroid.x < 145000
    assert location.geometry.srid == 28992


def test_a_filter_imports_only_the_matching_features(owner_a: Owner, tmp_path: Path) -> None:
    rows = [{"guid": f"g{i}", "soort": "groenvoorziening" if i % 2 else "erf", "geometry": p}
            for i, p in enumerate(squares(6))]  # fmt: skip
    run = sync(owner_a, write_layer(tmp_path / "g.gpkg", rows), id_field="guid", where="soort = 'groenvoorziening'")
    assert (run.status, run.created) == (ImportRun.Status.SUCCEEDED, 3)
    assert set(Location.objects.filter(source=run.source).values_list("external_id", flat=True)) == {"g1", "g3", "g5"}


def test_a_layer_without_features_fails_instead_of_withdrawing_everything(owner_a: Owner, tmp_path: Path) -> None:
    rows = [{"guid": f"g{i}", "soort": "gras", "geometry": p} for i, p in enumerate(squares(3))]
    run = sync(owner_a, write_layer(tmp_path / "g.gpkg", rows), id_field="guid")
    run.source.where = "soort = 'nergens'"
    run.source.save()
    empty = resync(run.source)
    assert empty.status == ImportRun.Status.FAILED
    assert "de bron heeft geen objecten" in empty.message
    assert Location.objects.current().filter(source=run.source).count() == 3


def test_a_run_left_running_by_a_killed_process_is_failed_when_the_next_sync_starts(
    owner_a: Owner, tmp_path: Path
) -> None:
    path = write_layer(tmp_path / "g.gpkg", [{"guid": "a", "geometry": box(0, 0, 10, 10)}])
    source = source_ensure(owner=owner_a, name="s", options=SourceOptions(location=str(path), id_field="guid"))
    # As a worker killed mid-run leaves it: running, its last heartbeat a minute ago.
    stale = ImportRun.objects.create(source=source, heartbeat_at=timezone.now() - timedelta(minutes=1))
    # A live run waiting for the source's lock beats; it is no stale run.
    waiting = ImportRun.objects.create(source=source, heartbeat_at=timezone.now())
    run = source_sync(source=source)
    stale.refresh_from_db()
    waiting.refresh_from_db()
    assert run.status == ImportRun.Status.SUCCEEDED
    assert stale.status == ImportRun.Status.FAILED
    assert "de worker antwoordt niet meer sinds" in stale.message
    assert waiting.status == ImportRun.Status.RUNNING


def test_the_short_cut_is_not_taken_when_locations_were_removed_by_hand(owner_a: Owner, tmp_path: Path) -> None:
    rows = [{"guid": f"g{i}", "geometry": p} for i, p in enumerate(squares(3))]
    run = sync(owner_a, write_layer(tmp_path / "g.gpkg", rows), id_field="guid")
    Location.objects.filter(source=run.source, external_id="g1").delete()
    again = resync(run.source)
    assert (again.created, again.unchanged) == (1, 2)


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".shp"])
def test_every_file_format_imports_the_same_locations(owner_a: Owner, tmp_path: Path, suffix: str) -> None:
    rows = [{"guid": f"g{i}", "soort": "gras", "geometry": p} for i, p in enumerate(squares(4))]
    run = sync(owner_a, write_layer(tmp_path / f"g{suffix}", rows), id_field="guid", type_field="soort")
    assert (run.status, run.created) == (ImportRun.Status.SUCCEEDED, 4), run.message
    assert sorted(Location.objects.filter(source=run.source).values_list("external_id", "type", "area_m2")) == [
        (f"g{i}", "gras", 100.0) for i in range(4)
    ]


def test_a_new_mapping_on_the_same_file_updates_the_locations(owner_a: Owner, tmp_path: Path) -> None:
    rows = [{"guid": f"g{i}", "soort": "gras", "naam": f"Veld {i}", "geometry": p} for i, p in enumerate(squares(3))]
    path = write_layer(tmp_path / "g.gpkg", rows)
    first = sync(owner_a, path, id_field="guid")
    again = sync(owner_a, path, id_field="guid", type_field="soort")  # same bytes, new mapping
    assert (first.created, again.updated, again.unchanged) == (3, 3, 0)
    assert set(Location.objects.filter(source=first.source).values_list("type", flat=True)) == {"gras"}


def test_a_shapefiles_fingerprint_covers_its_own_files_only(
    groen_rows: list[dict[str, object]], tmp_path: Path
) -> None:
    """The unchanged-file short cut hashes the shapefile's parts, not every file that shares its name."""
    shp = write_layer(tmp_path / "groen.shp", groen_rows)
    before = fingerprint(shp, extra="mapping")
    write_layer(tmp_path / "groen.gpkg", groen_rows[:2])  # an export of something else beside it
    (tmp_path / "groen.qix").write_bytes(b"spatial index")
    assert fingerprint(shp, extra="mapping") == before
    assert fingerprint(shp, extra="another mapping") != before
    write_layer(shp, groen_rows[:4])  # the shapefile itself changed
    assert fingerprint(shp, extra="mapping") != before
