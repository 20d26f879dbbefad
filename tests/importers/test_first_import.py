"""The first import of a source: plain features copied straight into the locations (importers/bulk.py),
the others through the SQL merge, with the same results as the merge would give."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import shapely
from django.db import connection
from shapely.geometry import MultiPolygon, Polygon, box

from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from importers import bulk
from importers.models import ImportIssue
from importers.readers import files

from .conftest import bowtie, resync, squares, sync, write_layer


def _mixed_rows() -> list[dict[str, object]]:
    """Plain polygons and multipolygons, one with Z (merged in SQL), a bowtie, an empty id, a
    duplicate id and a feature without geometry."""
    first, second, third, fourth = squares(4)
    z = Polygon([(x, y, 3.0) for x, y in fourth.exterior.coords])
    return [
        {"guid": "a", "naam": "Plantsoen", "soort": "gras", "jaar": 2011, "geometry": first},
        {"guid": "b", "naam": None, "soort": "heesters", "jaar": None, "geometry": MultiPolygon([second])},
        {"guid": "bow", "naam": "Strik", "soort": None, "jaar": 2020, "geometry": bowtie(140000, 470100)},
        {"guid": "z", "naam": "Hoog", "soort": "gras", "jaar": 1999, "geometry": z},
        {"guid": "", "naam": "zonder id", "soort": "gras", "jaar": 1, "geometry": third},
        {"guid": "a", "naam": "dubbel", "soort": "gras", "jaar": 2, "geometry": third},
        {"guid": "leeg", "naam": "geen vorm", "soort": "gras", "jaar": 3, "geometry": None},
    ]


def test_a_first_import_gives_what_the_merge_gives_and_a_full_resync_changes_nothing(
    owner_a: Owner, tmp_path: Path
) -> None:
    path = write_layer(tmp_path / "g.gpkg", _mixed_rows())
    run = sync(owner_a, path, id_field="guid", name_field="naam", type_field="soort")
    assert run.status == "succeeded", run.message
    assert (run.read, run.created, run.repaired, run.rejected) == (7, 4, 1, 3)
    codes = dict(ImportIssue.objects.filter(run=run).values_list("external_id", "code"))
    assert codes == {"bow": "made_valid", "": "no_id", "a": "duplicate_id", "leeg": "no_geometry"}

    locations = {location.external_id: location for location in Location.objects.filter(source=run.source)}
    assert set(locations) == {"a", "b", "bow", "z"}
    assert locations["a"].name == "Plantsoen" and locations["a"].type == "gras"
    assert locations["a"].attributes == {"guid": "a", "naam": "Plantsoen", "soort": "gras", "jaar": 2011}
    assert locations["b"].name == "" and locations["b"].attributes["jaar"] is None
    assert all(location.geometry.geom_type == "MultiPolygon" for location in locations.values())
    assert locations["a"].area_m2 == pytest.approx(100.0)
    assert locations["bow"].geometry.valid and locations["bow"].area_m2 == pytest.approx(50.0)
    assert not locations["z"].geometry.hasz
    assert run.created_first_id == min(location.id for location in locations.values())
    assert run.created_last_id == max(location.id for location in locations.values())
    assert run.current_after == 4

    # The hashes written by the COPY are the ones the SQL merge computes: nothing looks changed.
    again = resync(run.source, full=True)
    assert (again.created, again.updated, again.unchanged, again.withdrawn) == (0, 0, 4, 0), again.message


def test_the_first_import_keeps_the_feed_counter_exact(owner_a: Owner, tmp_path: Path) -> None:
    rows = [{"guid": f"g{i}", "geometry": poly} for i, poly in enumerate(squares(30))]
    run = sync(owner_a, write_layer(tmp_path / "g.gpkg", rows), id_field="guid")
    assert run.created == 30
    with connection.cursor() as cursor:
        cursor.execute("SELECT (SELECT sum(n) FROM ogc_location_count), count(*) FROM locations_location"
                       " WHERE withdrawn_at IS NULL")  # fmt: skip
        counted, current = cursor.fetchone()
    assert counted == current == 30


def test_a_first_import_writes_the_locations_of_all_its_batches_in_one_statement(
    owner_a: Owner, tmp_path: Path
) -> None:
    """The statement-level triggers on the locations (ogc/sql/) then run once over every new row, not
    once per batch; a feature for the SQL merge (with Z) still arrives, by its own statement."""
    count = 2 * files.BATCH_SIZE + 1
    rows: list[dict[str, object]] = [{"guid": f"g{i}", "geometry": p} for i, p in enumerate(squares(count))]
    rows.insert(files.BATCH_SIZE + 7, {"guid": "z", "geometry": Polygon([(0, 0, 1), (9, 0, 1), (9, 9, 1), (0, 0, 1)])})
    run = sync(owner_a, write_layer(tmp_path / "g.gpkg", rows), id_field="guid")
    assert (run.status, run.read, run.created) == ("succeeded", count + 1, count + 1), run.message
    with connection.cursor() as cursor:
        # Rows inserted by one statement of a transaction share its command id (cmin).
        cursor.execute(
            "SELECT count(DISTINCT cmin::text) FILTER (WHERE external_id <> 'z'),"
            " bool_or(external_id = 'z' AND ST_NDims(geometry) = 2) FROM locations_location WHERE source_id = %s",
            [run.source_id],
        )
        assert cursor.fetchone() == (1, True)
        cursor.execute("SELECT sum(n) FROM ogc_location_count")
        assert cursor.fetchone()[0] == count + 1


@pytest.mark.django_db
def test_every_trigger_of_our_own_on_locations_fires_during_the_first_import_copy() -> None:
    """The first import copies with session_replication_role = replica, which skips triggers
    that are not ENABLE ALWAYS; only PostgreSQL's own foreign-key triggers may be skipped."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = 'locations_location'::regclass"
            " AND NOT tgisinternal"
        )
        triggers = dict(cursor.fetchall())
    assert triggers, "expected the feed counter's triggers"
    assert {name: state for name, state in triggers.items() if state != "A"} == {}


def test_a_geometry_that_postgis_finds_invalid_falls_back_to_the_sql_merge(
    owner_a: Owner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GEOS here and in PostGIS may differ in version; when the CHECK refuses a copied geometry,
    the run starts over in the merge, which validates in PostgreSQL. Simulated by making this
    process's validity test pass everything."""
    rows = [{"guid": "ok", "geometry": box(140000, 470000, 140010, 470010)}, {"guid": "bow", "geometry": bowtie(0, 0)}]
    path = write_layer(tmp_path / "g.gpkg", rows)
    monkeypatch.setattr(shapely, "is_valid", lambda geometries: np.ones(len(geometries), dtype=bool))
    run = sync(owner_a, path, id_field="guid")
    assert run.status == "succeeded", run.message
    assert (run.read, run.created, run.repaired, run.rejected) == (2, 2, 1, 0)
    assert Location.objects.get(source=run.source, external_id="bow").geometry.valid
    assert ImportIssue.objects.get(run=run).code == "made_valid"


def test_features_are_ordered_along_a_space_filling_curve() -> None:
    """Neighbours go in together (the GiST index takes them faster); the order is a permutation."""
    boxes = [box(x, y, x + 1, y + 1) for x, y in ((900, 900), (0, 0), (901, 900), (1, 0), (0, 1))]
    order = bulk._along_curve(shapely.from_wkb([b.wkb for b in boxes]))
    assert sorted(order.tolist()) == [0, 1, 2, 3, 4]
    positions = {int(i): rank for rank, i in enumerate(order)}
    assert abs(positions[0] - positions[2]) == 1  # the two far-away neighbours are adjacent
    assert max(positions[1], positions[3], positions[4]) < min(positions[0], positions[2])


def test_the_wkb_header_says_which_features_are_plain() -> None:
    import pyarrow as pa

    values = [
        box(0, 0, 1, 1).wkb,  # Polygon, little-endian
        shapely.to_wkb(MultiPolygon([box(0, 0, 1, 1)]), byte_order=0),  # MultiPolygon, big-endian
        shapely.to_wkb(Polygon([(0, 0, 1), (1, 0, 1), (1, 1, 1), (0, 0, 1)]), output_dimension=3),  # Z flag
        None,
        b"\x01\x0a\x00\x00\x00",  # CurvePolygon header
        b"\x01",
    ]
    types = bulk._wkb_types(pa.array(values, pa.binary()))
    assert types.tolist() == [3, 6, 0x80000003, -1, 10, -1]


def test_a_role_that_may_not_skip_the_row_checks_imports_with_them(owner_a: Owner, tmp_path: Path) -> None:
    """Only superusers and roles granted SET on session_replication_role skip the per-row
    foreign-key checks; any other role gets them, and the same result."""
    rows = [{"guid": f"g{i}", "geometry": poly} for i, poly in enumerate(squares(3))]
    path = write_layer(tmp_path / "g.gpkg", rows)
    with connection.cursor() as cursor:  # all rolled back with the test's transaction
        cursor.execute("CREATE ROLE zb_test_importer NOLOGIN")
        cursor.execute("GRANT ALL ON ALL TABLES IN SCHEMA public TO zb_test_importer")
        cursor.execute("GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO zb_test_importer")
        cursor.execute("SET ROLE zb_test_importer")
        cursor.execute("SELECT has_parameter_privilege('session_replication_role', 'SET')")
        assert cursor.fetchone()[0] is False
    try:
        run = sync(owner_a, path, id_field="guid")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
    assert run.status == "succeeded", run.message
    assert run.created == 3


@pytest.mark.parametrize("first_import", [True, False], ids=["first import", "sql merge"])
def test_an_external_id_too_long_for_a_location_is_rejected_with_its_length(
    owner_a: Owner, tmp_path: Path, first_import: bool
) -> None:
    long_id = "x" * 300
    first, second, third = squares(3)
    if not first_import:  # the source has a location already: its next run goes through the SQL merge
        sync(owner_a, write_layer(tmp_path / "old.gpkg", [{"guid": "old", "geometry": third}]), id_field="guid")
    rows = [{"guid": "ok", "geometry": first}, {"guid": long_id, "geometry": second}]
    run = sync(owner_a, write_layer(tmp_path / "g.gpkg", rows), id_field="guid")
    assert run.status == "succeeded", run.message
    assert (run.created, run.rejected) == (1, 1)
    issue = ImportIssue.objects.get(run=run)
    assert (issue.code, issue.feature_index, issue.external_id) == ("id_too_long", 1, long_id[:255])
    assert issue.detail == "300 tekens; een extern id heeft er hoogstens 255"


def test_a_repair_that_gives_one_polygon_is_stored_as_a_multipolygon(owner_a: Owner, tmp_path: Path) -> None:
    """An 'inverted hole' (the shell touches itself) is invalid; GEOS repairs it into a single
    Polygon with a hole, which the MultiPolygon column takes only as a MultiPolygon."""
    inverted_hole = Polygon([(0, 0), (10, 0), (10, 10), (5, 10), (7, 5), (3, 5), (5, 10), (0, 10), (0, 0)])
    assert shapely.make_valid(inverted_hole).geom_type == "Polygon"
    rows = [{"guid": "ok", "geometry": box(20, 0, 30, 10)}, {"guid": "hole", "geometry": inverted_hole}]
    run = sync(owner_a, write_layer(tmp_path / "g.geojson", rows), id_field="guid")
    assert run.status == "succeeded", run.message
    assert (run.created, run.repaired) == (2, 1)
    repaired = Location.objects.get(source=run.source, external_id="hole")
    assert repaired.geometry.geom_type == "MultiPolygon" and repaired.geometry.valid
    assert repaired.area_m2 == pytest.approx(inverted_hole.buffer(0).area)
