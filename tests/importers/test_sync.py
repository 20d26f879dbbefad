"""Sync semantics: matching by external id, repairs, rejections, withdrawals, protection."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection
from shapely.geometry import LineString, MultiPolygon, Polygon, box

from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from importers.models import ImportChange, ImportIssue

from .conftest import bowtie, resync, squares, sync, write_layer


def test_it_repairs_a_bowtie_keeping_the_polygonal_part(owner_a: Owner, tmp_path: Path) -> None:
    rows = [{"guid": "ok", "geometry": box(140000, 470000, 140010, 470010)}, {"guid": "bow", "geometry": bowtie(0, 0)}]
    run = sync(owner_a, write_layer(tmp_path / "g.gpkg", rows), id_field="guid")
    assert (run.created, run.repaired, run.rejected) == (2, 1, 0)
    repaired = Location.objects.get(source=run.source, external_id="bow")
    assert repaired.geometry.valid
    assert repaired.area_m2 == pytest.approx(50.0)
    issue = ImportIssue.objects.get(run=run)
    assert (issue.kind, issue.code, issue.external_id) == ("repaired", "made_valid", "bow")
    assert "Self-intersection" in issue.detail


def test_it_rejects_features_without_area_with_the_reason(owner_a: Owner, tmp_path: Path) -> None:
    rows = [
        {"guid": "ok", "geometry": box(0, 0, 10, 10)},
        {"guid": "none", "geometry": None},
        {"guid": "flat", "geometry": Polygon([(0, 0), (10, 0), (20, 0), (0, 0)])},
    ]
    run = sync(owner_a, write_layer(tmp_path / "g.geojson", rows), id_field="guid")
    assert (run.created, run.rejected) == (1, 2), run.message
    codes = dict(ImportIssue.objects.filter(run=run).values_list("external_id", "code"))
    assert codes["none"] == "no_geometry"
    assert codes["flat"] in ("unrepairable", "not_an_area")


def test_it_keeps_the_first_of_duplicate_ids_and_rejects_the_others(owner_a: Owner, tmp_path: Path) -> None:
    first, second = squares(2)
    rows = [
        {"guid": "same", "naam": "eerste", "geometry": first},
        {"guid": "same", "naam": "tweede", "geometry": second},
    ]
    run = sync(owner_a, write_layer(tmp_path / "g.gpkg", rows), id_field="guid", name_field="naam")
    assert (run.created, run.rejected) == (1, 1)
    assert Location.objects.get(source=run.source).name == "eerste"
    issue = ImportIssue.objects.get(run=run)
    assert (issue.code, issue.feature_index) == ("duplicate_id", 1)


def test_it_drops_z_and_maps_name_type_and_attributes(owner_a: Owner, tmp_path: Path) -> None:
    poly_z = Polygon([(0, 0, 5), (10, 0, 5), (10, 10, 5), (0, 10, 5), (0, 0, 5)])
    rows = [{"guid": "z", "naam": "Plantsoen", "soort": "heesters", "jaar": 2011, "geometry": MultiPolygon([poly_z])}]
    run = sync(owner_a, write_layer(tmp_path / "g.gpkg", rows), id_field="guid", name_field="naam", type_field="soort")
    location = Location.objects.get(source=run.source)
    assert not location.geometry.hasz
    assert (location.name, location.type) == ("Plantsoen", "heesters")
    assert location.attributes["jaar"] == 2011


def test_a_changed_file_updates_changed_and_withdraws_gone_features(
    owner_a: Owner, tmp_path: Path, groen_rows: list[dict[str, object]]
) -> None:
    path = tmp_path / "groen.gpkg"
    run = sync(owner_a, write_layer(path, groen_rows), id_field="guid", type_field="objecttype")
    ids = dict(Location.objects.filter(source=run.source).values_list("external_id", "id"))
    changed = [dict(row) for row in groen_rows[:4]]
    changed[0]["objecttype"] = "heesters"
    changed[1]["geometry"] = box(0, 0, 30, 30)
    path.unlink()
    write_layer(path, changed)
    again = resync(run.source)
    assert (again.created, again.updated, again.unchanged, again.withdrawn) == (0, 2, 2, 1), again.message
    assert Location.objects.get(id=ids["g1"]).type == "heesters"
    assert Location.objects.get(id=ids["g2"]).area_m2 == pytest.approx(900)
    gone = Location.objects.get(id=ids["g5"])  # kept, so links and QR markers keep working
    assert gone.withdrawn_at is not None
    assert gone.ground_changed_at is None  # nothing rested on it
    diff = set(ImportChange.objects.filter(run=again).values_list("location_id", "change"))
    assert diff == {(ids["g1"], "updated"), (ids["g2"], "updated"), (ids["g5"], "withdrawn")}
    assert not Location.objects.current().filter(id=ids["g5"]).exists()
    with connection.cursor() as cursor:
        # One statement (one command id, cmin) updated and withdrew them: the locations' statement-level
        # triggers run once per sync.
        cursor.execute(
            "SELECT count(DISTINCT cmin::text) FROM locations_location WHERE id = ANY(%s)",
            [[ids["g1"], ids["g2"], ids["g5"]]],
        )
        assert cursor.fetchone()[0] == 1


def test_a_feature_that_comes_back_is_current_again(
    owner_a: Owner, tmp_path: Path, groen_rows: list[dict[str, object]]
) -> None:
    path = tmp_path / "groen.gpkg"
    run = sync(owner_a, write_layer(path, groen_rows), id_field="guid")
    path.unlink()
    write_layer(path, groen_rows[:4])
    resync(run.source)
    path.unlink()
    write_layer(path, groen_rows)
    back = resync(run.source)
    assert (back.updated, back.unchanged) == (1, 4)
    assert Location.objects.current().filter(source=run.source).count() == 5


def test_a_line_among_polygons_is_rejected_not_imported(owner_a: Owner, tmp_path: Path) -> None:
    rows = [
        {"guid": "a", "geometry": box(0, 0, 10, 10)},
        {"guid": "line", "geometry": LineString([(0, 0), (5, 5)])},
    ]
    run = sync(owner_a, write_layer(tmp_path / "g.geojson", rows), id_field="guid")
    assert (run.created, run.rejected) == (1, 1)
    assert ImportIssue.objects.get(run=run, external_id="line").code == "not_an_area"
