"""Filtered tiles at national zoom (issue 14): type, owner, status and the search q, read from the
kept cells (ogc_location_cell, ogc_location_kind_cell) or bounded (q), beside the statement that
gathers the rows under the tile (what every filter but status did before ogc 0006), in one run.

Locations as bench_tiles generates them (400 towns, one owner, five types), tiles 7/42/65 (the
middle of the country) and 10/337/525 (around the densest town); each statement run once to warm
up, then the median of three. `BENCH_TILE_FILTERS_SIZES` (default 100000). Then what keeping
those cells and the search index costs a bulk insert (`insert_cost`).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time

import psycopg

from bench.bench_tiles import load
from bench.support import PG_SERVER, ROOT, django_database_url, drop_database, insert_owner, scratch_database

SIZES = tuple(int(n) for n in os.environ.get("BENCH_TILE_FILTERS_SIZES", "100000").split(","))
TILES = ((7, 42, 65), (10, 337, 525))
FILTERS: tuple[dict[str, str], ...] = (
    {},
    {"status": "niet beschikbaar"},
    {"type": "gras"},
    {"owner": "Gemeente X"},
    {"type": "gras", "owner": "Gemeente X", "status": "niet beschikbaar"},
    {"q": "gras"},  # matches a fifth of the locations
    {"q": "Plantsoen 4242"},  # a few
)
ROUNDS = 3
# What keeping the kind cells and the search index costs a bulk insert: INSERT_ROWS locations in one
# statement (each rolled back), with them and without (their triggers disabled and the index
# dropped inside the same rolled-back transaction), alternated INSERT_ROUNDS times.
INSERT_ROWS = int(os.environ.get("BENCH_TILE_FILTERS_INSERT_ROWS", "200000"))
INSERT_ROUNDS = 4
INSERT = """INSERT INTO locations_location (owner_id, name, type, geometry, status, external_id, attributes,
                                           source_hash)
            SELECT %s, 'Plantsoen ' || i, (ARRAY['gras','heesters','bosplantsoen','haag','bloemperk'])[1 + i %% 5],
                   ST_Multi(ST_Buffer(ST_SetSRID(ST_MakePoint(20000 + random() * 240000,
                                                              310000 + random() * 300000), 28992), 5, 3)),
                   'niet_beschikbaar', i::text, '{}', ''
            FROM generate_series(1, %s) i"""


def _child() -> None:
    import django

    django.setup()
    from django.db import connection

    from ogc import tile_sql
    from ogc.tiles import tile_address

    results = []
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = '60s'")
        for level, row, col in TILES:
            for filters in FILTERS:
                address = tile_address("locations", "WebMercatorQuad", str(level), str(row), str(col), filters)
                now, now_params = tile_sql.tile_query(address)
                # The rows gathered under the tile, without a limit: the statement before ogc 0006
                minx, miny, maxx, maxy = address.matrix_set.bounds(level, row, col)
                where, where_params = tile_sql._where(address)
                box = tile_sql.sql.SQL("ST_MakeEnvelope(%s, %s, %s, %s, 3857)")
                core = tile_sql._in_storage(box, 3857, 28992)
                filtered = [f for f, _ in address.filters] + tile_sql._searched(address)
                rows = tile_sql._cells(address.collection, box, core, 3857, 28992, where, filtered)
                rows_params = [minx, miny, maxx, maxy, minx, miny, maxx, maxy, (maxx - minx) / 16, *where_params]
                times = {}
                for label, (query, params) in {"kept": (now, now_params), "rows": (rows, rows_params)}.items():
                    taken = []
                    for _ in range(1 + ROUNDS):
                        start = time.perf_counter()
                        cursor.execute(query, params)
                        cursor.fetchone()
                        taken.append(time.perf_counter() - start)
                    times[label] = 1000 * statistics.median(taken[1:])
                results.append({"tile": f"{level}/{row}/{col}", "filters": filters, **times})
    print(json.dumps(results))


def insert_cost() -> dict[str, float]:
    """Median seconds of a bulk insert with the kind cells' triggers and the search index, and without."""
    name = "bench_tile_filters_insert"
    url = scratch_database(PG_SERVER, name)
    taken: dict[str, list[float]] = {"with": [], "without": []}
    try:
        with psycopg.connect(url) as conn:
            owner = insert_owner(conn)
            conn.commit()
            for _ in range(INSERT_ROUNDS):
                for variant in taken:
                    if variant == "without":
                        # Since ogc 0007 one trigger keeps the kind cells with the counter and the cells:
                        # in its place the counter's and the cells' own triggers, as before ogc 0006.
                        for event in ("insert", "delete", "update", "truncate"):
                            conn.execute(f"DROP TRIGGER ogc_location_summary_{event} ON locations_location")
                        for name in ("location_count", "location_cells"):
                            conn.execute((ROOT / "ogc" / "sql" / f"{name}.sql").read_text(encoding="utf-8"))
                        conn.execute("DROP INDEX ogc_location_current_search")
                    start = time.perf_counter()
                    conn.execute(INSERT, [owner, INSERT_ROWS])
                    taken[variant].append(time.perf_counter() - start)
                    conn.rollback()
    finally:
        drop_database(PG_SERVER, name)
    return {variant: statistics.median(times) for variant, times in taken.items()}


def main() -> int:
    for n in SIZES:
        name = f"bench_tile_filters_{n}"
        url = scratch_database(PG_SERVER, name)
        try:
            start = time.perf_counter()
            load(url, n)
            print(f"{n:,} locations loaded in {time.perf_counter() - start:.0f} s", flush=True)
            env = {
                **os.environ,
                "DATABASE_URL": django_database_url(url),
                "DJANGO_SETTINGS_MODULE": "gis_service.settings",
            }
            result = subprocess.run(
                [sys.executable, "-m", "bench.bench_tile_filters", "--child"],
                cwd=ROOT, env=env, check=True, capture_output=True, text=True,
            )  # fmt: skip
            for line in json.loads(result.stdout.strip().splitlines()[-1]):
                filters = "&".join(f"{k}={v}" for k, v in line["filters"].items()) or "(none)"
                print(f"| {n:,} | {line['tile']} | {filters} | {line['kept']:.1f} | {line['rows']:.1f} |", flush=True)
        finally:
            drop_database(PG_SERVER, name)
    cost = insert_cost()
    print(
        f"{INSERT_ROWS:,} locations in one INSERT: {cost['with']:.1f} s with the kind cells and the search index,"
        f" {cost['without']:.1f} s without (medians of {INSERT_ROUNDS})",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--child"]:
        _child()
    else:
        sys.exit(main())
