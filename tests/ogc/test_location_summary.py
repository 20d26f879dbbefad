"""The feed's counter, the cells per status and the cells per status, type and owner are kept by one
trigger pass per statement (ogc/sql/location_summary.sql): after every kind of write, each agrees
with a recount of the current locations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from tests.conftest import rd_square
from tests.importers.conftest import squares, sync, write_layer
from tests.ogc.conftest import Feed, under_contract

pytestmark = pytest.mark.django_db

CENTRES = """SELECT (ST_XMin(b) + ST_XMax(b)) / 2 AS x, (ST_YMin(b) + ST_YMax(b)) / 2 AS y, status, type, owner_id
              FROM (SELECT geometry::box2d AS b, status, type, owner_id FROM locations_location
                    WHERE withdrawn_at IS NULL) AS q"""
KEYS = {"ogc_location_cell": "status", "ogc_location_kind_cell": "status, type, owner_id"}

Cells = dict[tuple[Any, ...], tuple[int, float, float]]


def rows(query: str) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(query)
        return cursor.fetchall()


def kept(table: str) -> Cells:
    """The kept cells that hold locations; emptied cells stay as rows with n = 0 (checked apart)."""
    found = rows(f"SELECT size, gx, gy, {KEYS[table]}, n, sx, sy FROM {table}")
    empty = [row for row in found if row[-3] == 0]
    assert all(row[-2:] == pytest.approx((0, 0), abs=1e-3) for row in empty), empty
    return {row[:-3]: row[-3:] for row in found if row[-3] != 0}


def recounted(table: str) -> Cells:
    """The cells as the migrations count them from the current locations."""
    found = rows(
        f"""SELECT s.size, floor(x / s.size)::int, floor(y / s.size)::int, {KEYS[table]}, count(*), sum(x), sum(y)
            FROM ({CENTRES}) AS r CROSS JOIN (VALUES (50), (200), (800), (3200)) AS s(size)
            GROUP BY 1, 2, 3, {KEYS[table]}"""
    )
    return {row[:-3]: row[-3:] for row in found}


def assert_agree_with_a_recount() -> None:
    (counter, current), = rows(
        "SELECT (SELECT coalesce(sum(n), 0) FROM ogc_location_count),"
        " (SELECT count(*) FROM locations_location WHERE withdrawn_at IS NULL)"
    )  # fmt: skip
    assert counter == current
    for table in KEYS:
        cells, counted = kept(table), recounted(table)
        assert cells.keys() == counted.keys(), table
        for key, (n, sx, sy) in counted.items():
            assert cells[key][0] == n, (table, key)
            assert cells[key][1:] == pytest.approx((sx, sy), abs=1e-3), (table, key)
    # Every current location is in one cell of each size, in both tables.
    assert sum(n for (size, *_), (n, _, _) in kept("ogc_location_kind_cell").items() if size == 3200) == current
    assert sum(n for (size, *_), (n, _, _) in kept("ogc_location_cell").items() if size == 50) == current


def test_counter_and_cells_agree_with_a_recount_after_every_kind_of_write(feed: Feed, owner_b: Owner) -> None:
    assert_agree_with_a_recount()
    added = Location.objects.create(
        owner=feed.owner_a, name="Nieuw", type="haag", geometry=rd_square(233000, 582000, 10)
    )
    assert_agree_with_a_recount()
    under_contract(added)  # the status rule moves it from niet_beschikbaar to in_beheer
    added.refresh_from_db()
    assert added.status == "in_beheer"
    assert_agree_with_a_recount()
    Location.objects.filter(pk=added.pk).update(type="gras")
    assert_agree_with_a_recount()
    Location.objects.filter(pk=added.pk).update(owner=owner_b)
    assert_agree_with_a_recount()
    Location.objects.filter(pk=added.pk).update(geometry=rd_square(150000, 480000, 5))  # to another cell
    assert_agree_with_a_recount()
    Location.objects.filter(pk=feed.locations_a[0].pk).update(geometry=rd_square(141001, 471001, 7))  # within it
    assert_agree_with_a_recount()
    # Many rows in one statement, each changing something else.
    Location.objects.filter(owner=feed.owner_a).update(type="bloemperk")
    assert_agree_with_a_recount()
    Location.objects.filter(pk=feed.locations_b[1].pk).update(withdrawn_at="2026-02-01T00:00:00Z")
    Location.objects.filter(pk=feed.withdrawn.pk).update(withdrawn_at=None)
    assert_agree_with_a_recount()
    Location.objects.filter(pk__in=[loc.pk for loc in feed.locations_b[:3]]).delete()  # one withdrawn, two current
    assert_agree_with_a_recount()


def test_a_type_or_owner_change_writes_neither_the_status_cells_nor_the_counter(feed: Feed) -> None:
    cells_before = rows("SELECT * FROM ogc_location_cell ORDER BY 1, 2, 3, 4")
    deltas_before = rows("SELECT count(*) FROM ogc_location_count")
    kind_before = kept("ogc_location_kind_cell")
    Location.objects.filter(owner=feed.owner_a).update(type="haag")
    Location.objects.filter(owner=feed.owner_b).update(owner=feed.owner_a)
    assert rows("SELECT * FROM ogc_location_cell ORDER BY 1, 2, 3, 4") == cells_before
    assert rows("SELECT count(*) FROM ogc_location_count") == deltas_before
    assert kept("ogc_location_kind_cell") != kind_before
    assert_agree_with_a_recount()


def test_a_bulk_import_and_a_bulk_insert_keep_them_exact(feed: Feed, tmp_path: Path) -> None:
    run = sync(feed.owner_b, write_layer(tmp_path / "g.gpkg", [{"guid": f"g{i}", "geometry": p}
                                                                for i, p in enumerate(squares(60, size=30))]),
               id_field="guid")  # fmt: skip
    assert run.status == "succeeded", run.message
    assert run.created == 60
    assert_agree_with_a_recount()
    Location.objects.bulk_create(
        Location(owner=feed.owner_a, name=f"Bulk {i}", type="haag", geometry=rd_square(152000 + 70 * i, 482000, 10))
        for i in range(40)
    )
    assert_agree_with_a_recount()
    Location.objects.filter(source=run.source).delete()
    assert_agree_with_a_recount()


def test_one_trigger_per_kind_of_statement_keeps_them() -> None:
    """The three trigger sets before ogc 0007 are gone: nothing reads the transition tables twice."""
    names = {name for (name,) in rows(
        "SELECT tgname FROM pg_trigger WHERE tgrelid = 'locations_location'::regclass AND NOT tgisinternal"
        " AND tgname LIKE 'ogc%'"
    )}  # fmt: skip
    assert names == {f"ogc_location_summary_{event}" for event in ("insert", "update", "delete", "truncate")}
