"""EXPLAIN (ANALYZE, BUFFERS) of bench.national's bbox page and tile sample, on a kept database.

`BENCH_NATIONAL_KEEP=1 .venv/bin/python -m bench.national` keeps its scratch database; then
`DATABASE_URL=postgis://postgres@127.0.0.1:5432/bench_national .venv/bin/python -m bench.national_explain`
prints, for the feed's bbox page of about 1 km² in a town (the statement the server runs, captured
from a request through Django's test client) and for each tile of bench_tiles' sample (ogc.tile_sql),
the last of EXPLAIN_ROUNDS runs of `EXPLAIN (ANALYZE, BUFFERS, TIMING)` (warm): execution time, shared
buffers hit and read, and the plan's scan nodes. With BENCH_EXPLAIN_PLANS=folder it also writes each plan
there as text; BENCH_EXPLAIN_TILES=file.json (a list of [level, row, col], as another run printed them
under "tiles") explains those tiles instead of this database's sample, so that two sizes can be compared
on the same tiles. Not part of `make bench`: a tool to read where a figure's time goes (docs/benchmarks.md).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
from pathlib import Path
from typing import Any

EXPLAIN_ROUNDS = int(os.environ.get("BENCH_EXPLAIN_ROUNDS", "3"))


def _nodes(plan: dict[str, Any], depth: int = 0) -> list[tuple[int, dict[str, Any]]]:
    found = [(depth, plan)]
    for child in plan.get("Plans", []):
        found.extend(_nodes(child, depth + 1))
    return found


def explain(cursor: Any, query: Any, params: list[Any] | None = None) -> tuple[dict[str, Any], str]:
    """The last of EXPLAIN_ROUNDS runs of the statement, as JSON and as text."""
    from psycopg import sql

    def run(options: str) -> Any:
        prefix = sql.SQL(f"EXPLAIN ({options}) ")
        statement = prefix + (query if isinstance(query, sql.Composable) else sql.SQL(query))
        cursor.execute(statement.as_string(cursor.connection.connection), params)
        return cursor.fetchall()

    for _ in range(EXPLAIN_ROUNDS - 1):
        run("ANALYZE, BUFFERS, TIMING, FORMAT JSON")
    result = run("ANALYZE, BUFFERS, TIMING, FORMAT JSON")[0][0]
    document = result if isinstance(result, list) else json.loads(result)
    text = "\n".join(row[0] for row in run("ANALYZE, BUFFERS, TIMING"))
    return document[0], text


def summary(document: dict[str, Any]) -> dict[str, Any]:
    plan = document["Plan"]
    scans = []
    for depth, node in _nodes(plan):
        if "Scan" in node["Node Type"] or node["Node Type"] == "Sort":
            scans.append(
                {
                    "node": node["Node Type"],
                    "index": node.get("Index Name") or node.get("Relation Name", ""),
                    "depth": depth,
                    "rows": node.get("Actual Rows"),
                    "loops": node.get("Actual Loops"),
                    "ms": node.get("Actual Total Time"),
                    "hit": node.get("Shared Hit Blocks"),
                    "read": node.get("Shared Read Blocks"),
                    "heap_blocks": node.get("Exact Heap Blocks"),
                    "removed": node.get("Rows Removed by Filter") or node.get("Rows Removed by Index Recheck"),
                }
            )
    return {
        "ms": document["Execution Time"],
        "planning_ms": document["Planning Time"],
        "hit": plan.get("Shared Hit Blocks", 0),
        "read": plan.get("Shared Read Blocks", 0),
        "scans": scans,
    }


def bbox_statement() -> str:
    """The statement the feed runs for bench.national's bbox page, captured from a request."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.national import town_bbox

    url = connection.settings_dict
    database = f"postgresql://{url['USER']}@{url['HOST']}:{url['PORT']}/{url['NAME']}"
    bbox = ",".join(f"{v:.6f}" for v in town_bbox(database))
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(f"/ogc/collections/locations/items?f=json&limit=1000&bbox={bbox}",
                                HTTP_ACCEPT="application/geo+json", HTTP_HOST="127.0.0.1")  # fmt: skip
    assert response.status_code == 200, response.status_code
    pages = [q["sql"] for q in queries.captured_queries if "WITH page AS" in q["sql"]]
    assert len(pages) == 1, [q["sql"][:80] for q in queries.captured_queries]
    return pages[0]


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gis_service.settings")
    import django

    django.setup()
    from django.db import connection

    from bench.bench_tiles import sample_tiles
    from ogc.tile_sql import tile_query
    from ogc.tiles import tile_address

    folder = Path(os.environ["BENCH_EXPLAIN_PLANS"]) if os.environ.get("BENCH_EXPLAIN_PLANS") else None
    if folder:
        folder.mkdir(parents=True, exist_ok=True)
    settings = connection.settings_dict
    database = f"postgresql://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    out: dict[str, Any] = {"database": settings["NAME"]}
    page = bbox_statement()
    with connection.cursor() as cursor:
        document, text = explain(cursor, page)
        out["bbox"] = summary(document)
        if folder:
            (folder / "bbox.sql").write_text(page)
            (folder / "bbox.txt").write_text(text)
        tiles = []
        chosen = os.environ.get("BENCH_EXPLAIN_TILES")
        sample = json.loads(Path(chosen).read_text()) if chosen else sample_tiles(database)
        for level, row, col in sample:
            query, params = tile_query(tile_address("locations", "WebMercatorQuad", str(level), str(row), str(col)))
            document, text = explain(cursor, query, params)
            tiles.append({"tile": [level, row, col], **summary(document)})
            if folder:
                (folder / f"tile-{level}-{row}-{col}.txt").write_text(text)
        out["tiles"] = tiles
    levels: dict[int, list[float]] = {}
    for t in tiles:
        levels.setdefault(t["tile"][0], []).append(t["ms"])
    out["tile_ms_p50"] = statistics.median(t["ms"] for t in tiles)
    out["tile_ms_per_level_median"] = {level: statistics.median(ms) for level, ms in sorted(levels.items())}
    out["tile_hit"] = sum(t["hit"] for t in tiles)
    out["tile_read"] = sum(t["read"] for t in tiles)
    out["load"] = os.getloadavg()
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
