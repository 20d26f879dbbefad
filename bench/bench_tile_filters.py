"""Filtered tiles at national zoom (issue 14): type, owner, status and the search q, read from the
kept cells (ogc_location_cell, ogc_location_kind_cell) or bounded (q), beside the statement that
gathers the rows under the tile (what every filter but status did before ogc 0006), in one run.

Locations as bench_tiles generates them (400 towns, one owner, five types), tiles 7/42/65 (the
middle of the country) and 10/337/525 (around the densest town); each statement run once to warm
up, then the median of three. `BENCH_TILE_FILTERS_SIZES` (default 100000).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time

from bench.bench_tiles import load
from bench.support import PG_SERVER, ROOT, django_database_url, drop_database, scratch_database

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
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--child"]:
        _child()
    else:
        sys.exit(main())
