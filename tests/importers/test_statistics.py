"""Planner statistics after bulk loads: the sync's queries must not be planned for an empty source.

A first import of 200,000 features into a table whose statistics predate the source left the
planner believing the source had one location; the next sync's GONE query then ran as a nested
loop over both sides for over ten minutes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from gis_service.owners.models import Owner
from importers import sql
from importers.models import ImportRun

from .conftest import squares, sync, write_layer

N = 600


def _plans(node: dict[str, Any]) -> list[dict[str, Any]]:
    """Every node of an EXPLAIN (FORMAT JSON) plan."""
    return [node, *(n for child in node.get("Plans", []) for n in _plans(child))]


def _explain(statement: str, values: dict[str, Any]) -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {statement}", values)
        (document,) = cursor.fetchone()
    return dict((json.loads(document) if isinstance(document, str) else document)[0]["Plan"])


def _estimated_rows_of(source_id: int) -> float:
    plan = _explain(f"SELECT id FROM {sql.LOCATION} WHERE source_id = %(source)s", {"source": source_id})
    return float(plan["Plan Rows"])


def _import(owner: Owner, tmp_path: Path, name: str, count: int, *, x0: float) -> ImportRun:
    rows = [{"guid": f"{name}-{i}", "geometry": p} for i, p in enumerate(squares(count, x0=x0))]
    run = sync(owner, write_layer(tmp_path / f"{name}.gpkg", rows), name=name, id_field="guid")
    assert run.status == ImportRun.Status.SUCCEEDED, run.message
    return run


@pytest.fixture
def analyzed_table(owner_a: Owner, tmp_path: Path) -> ImportRun:
    """A table holding another source, analyzed before the source under test exists (as autovacuum
    leaves it)."""
    other = _import(owner_a, tmp_path, "other", N, x0=100000.0)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {sql.LOCATION}")
    return other


def test_a_large_first_import_refreshes_the_statistics(
    owner_a: Owner, tmp_path: Path, analyzed_table: ImportRun, settings: Any
) -> None:
    settings.IMPORT_ANALYZE_MIN_ROWS = N
    run = _import(owner_a, tmp_path, "groen", N, x0=140000.0)
    assert _estimated_rows_of(run.source_id) == pytest.approx(N, rel=0.2)


def test_a_small_run_leaves_the_statistics_to_autovacuum(
    owner_a: Owner, tmp_path: Path, analyzed_table: ImportRun, settings: Any
) -> None:
    settings.IMPORT_ANALYZE_MIN_ROWS = N + 1
    run = _import(owner_a, tmp_path, "groen", N, x0=140000.0)
    # The picture that made the GONE query a nested loop: the planner expects next to nothing.
    assert _estimated_rows_of(run.source_id) < N / 10


def test_the_gone_query_finds_locations_through_the_unique_index(
    owner_a: Owner, tmp_path: Path, analyzed_table: ImportRun, settings: Any
) -> None:
    """With a staged text id against external_id varchar(255), a nested loop probes the unique
    (source, external_id) index by both columns: comparing text with varchar does not keep the
    planner from the index."""
    settings.IMPORT_ANALYZE_MIN_ROWS = N
    run = _import(owner_a, tmp_path, "groen", N, x0=140000.0)
    with connection.cursor() as cursor:
        cursor.execute(sql.DROP_TEMP)
        cursor.execute(sql.CREATE_STAGE)
        cursor.execute(
            "INSERT INTO import_stage (n, ext_id, attrs) SELECT i, 'groen-' || i, '{}' FROM generate_series(0, %s) i",
            [N - 10],
        )
        cursor.execute("ANALYZE import_stage (ext_id, reject)")
        cursor.execute(sql.PLAN_FOR_MERGE)
        natural = _plans(_explain(sql.GONE, {"source": run.source_id}))
        # A nested loop is what stale statistics chose; its inner side must not scan the whole source.
        cursor.execute("SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off")
        looped = _plans(_explain(sql.GONE, {"source": run.source_id}))
        cursor.execute(sql.DROP_TEMP)
    assert not [n for n in natural if n["Node Type"] == "Nested Loop" and "external_id" in n.get("Join Filter", "")]
    probes = [n for n in looped if n.get("Index Name") == "location_unique_external_id_per_source"]
    assert any("external_id" in n.get("Index Cond", "") for n in probes), json.dumps(looped, indent=1)[:3000]


@pytest.mark.parametrize("statement", [sql.KNOWN_HASHES, sql.COUNT_CURRENT], ids=["known_hashes", "count_current"])
def test_a_source_s_current_locations_are_read_from_its_own_pages(
    owner_a: Owner, tmp_path: Path, analyzed_table: ImportRun, settings: Any, statement: str
) -> None:
    """By the unique (source, external id) index, not by a partial index over every source's current
    locations (the feed's trigram GIN was chosen, visiting the pages of every source)."""
    settings.IMPORT_ANALYZE_MIN_ROWS = N
    run = _import(owner_a, tmp_path, "groen", N, x0=140000.0)
    with connection.cursor() as cursor:
        cursor.execute(sql.PLAN_FOR_KNOWN)
    scans = [n for n in _plans(_explain(statement, {"source": run.source_id})) if "Index Name" in n]
    assert [n["Index Name"] for n in scans] == ["location_unique_external_id_per_source"], scans


def test_the_changed_ground_is_compared_location_by_location(
    owner_a: Owner, tmp_path: Path, analyzed_table: ImportRun, settings: Any
) -> None:
    """The changed features' locations are looked up by key, not found by hashing the whole table."""
    settings.IMPORT_ANALYZE_MIN_ROWS = N
    run = _import(owner_a, tmp_path, "groen", N, x0=140000.0)
    with connection.cursor() as cursor:
        cursor.execute(sql.DROP_TEMP)
        cursor.execute(
            f"CREATE TEMP TABLE import_work AS SELECT id AS location_id, ST_Translate(geometry, 1, 0) AS geom"
            f" FROM {sql.LOCATION} WHERE source_id = %s ORDER BY id LIMIT 20",
            [run.source_id],
        )
        cursor.execute("ANALYZE import_work (location_id)")
        cursor.execute(sql.PLAN_FOR_MERGE)
        plan = _plans(_explain(sql.CHANGED_GROUND, {}))
        cursor.execute(sql.DROP_TEMP)
    # By its primary key (an index or a bitmap scan per row, as the planner likes), never by a scan.
    scans = [n["Node Type"] for n in plan if n.get("Relation Name") == sql.LOCATION]
    assert "Seq Scan" not in scans, json.dumps(plan, indent=1)[:3000]
    assert any(n.get("Index Name") == "locations_location_pkey" for n in plan), json.dumps(plan, indent=1)[:3000]


def test_whether_a_source_is_new_is_read_from_its_unique_key(owner_a: Owner, analyzed_table: ImportRun) -> None:
    """Not by scanning the table from its start up to the source's first row."""
    plan = _plans(_explain(sql.SOURCE_HAS_LOCATIONS, {"source": analyzed_table.source_id}))
    assert [n.get("Index Name") for n in plan if "Scan" in n["Node Type"]] == [
        "location_unique_external_id_per_source"
    ], plan


def test_the_staged_features_of_a_first_import_are_not_looked_up_among_the_locations() -> None:
    """Every one is new, and the locations it would join are the source's rows just copied."""
    assert sql.LOCATION in sql.CREATE_WORK
    assert sql.LOCATION not in sql.CREATE_WORK_OF_NEW
