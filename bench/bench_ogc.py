"""OGC API Features benchmark: our feed against one SQL statement and against stock pygeoapi.

In a scratch database of its own, with 100,000 generated locations (13-vertex polygons in
EPSG:28992), times over HTTP, in one run:

- items?limit=1000 in CRS84 and in EPSG:28992,
- the last page, reached by following next links,
- a bbox query (about 1 km², in CRS84) and a CQL2 text query (type = 'haag'),

each against (a) the same FeatureCollection (same properties and numberMatched) built by one
SQL statement on a psycopg connection, and (b) pygeoapi's own PostgreSQL provider serving the
same table from pygeoapi's Flask app under gunicorn. Writes the `## OGC API Features` section
of docs/benchmarks.md. Bar in the issue: ≤ 2× SQL, ≥ 5× faster than stock pygeoapi, last page
≤ 1.5× the first.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import psycopg

from bench.results import write_section
from bench.support import (
    PG_SERVER,
    ROOT,
    free_port,
    gunicorn_command,
    insert_owner,
    running_server,
    scratch_database,
    server_env,
)

N = int(os.environ.get("BENCH_OGC_N", "100000"))
REPEAT = 11
DATABASE = "bench_ogc"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
RD = "http://www.opengis.net/def/crs/EPSG/0/28992"
# About 1 km² in the middle of the generated area (x 120–130 km, y 480–490 km in RD).
BBOX_RD = (124500.0, 484500.0, 125500.0, 485500.0)


@dataclass
class Case:
    name: str
    params: dict[str, str]
    sql_where: str  # the same selection in SQL, for the one-statement yardstick
    sql_srid: int


def load(url: str, n: int) -> None:
    """n polygons built by PostGIS itself, reproducibly (setseed), then VACUUM ANALYZE as after any bulk load."""
    with psycopg.connect(url, autocommit=True) as conn:
        owner = insert_owner(conn)
        conn.execute("SELECT setseed(0.42)")
        conn.execute(
            """INSERT INTO locations_location
                 (owner_id, name, type, geometry, status, external_id, attributes, source_hash)
               SELECT %s, 'Plantsoen ' || i, (ARRAY['gras','heesters','bosplantsoen','haag','bloemperk'])[1 + i %% 5],
                      ST_Multi(ST_Buffer(ST_SetSRID(ST_MakePoint(120000 + random() * 10000, 480000 + random() * 10000),
                                                    28992), 2 + random() * 13, 3)),
                      (ARRAY['beschikbaar','aangevraagd','in_beheer','niet_beschikbaar'])[1 + i %% 4],
                      i::text, '{}', ''
               FROM generate_series(1, %s) AS i""",
            [owner, n],
        )
        conn.execute("VACUUM ANALYZE locations_location")


def ours(url: str) -> AbstractContextManager[str]:
    port = free_port()
    env = server_env(url, OGC_COUNT_MAX=str(COUNT_MAX))
    return running_server(gunicorn_command("gis_service.wsgi", port, 2), env, port, "/healthz", "ogc")


def stock(url: str, folder: Path) -> AbstractContextManager[str]:
    """pygeoapi 0.24 as shipped: its Flask app and its PostgreSQL provider on the same table."""
    import yaml

    parts = urllib.parse.urlsplit(url)
    port = free_port()
    config = {
        "server": {
            "bind": {"host": "127.0.0.1", "port": port},
            "url": f"http://127.0.0.1:{port}",
            "mimetype": "application/json; charset=UTF-8",
            "encoding": "utf-8",
            "languages": ["en-US"],
            "limits": {"default_items": 10, "max_items": 10000},
            "map": {"url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png", "attribution": "OSM"},
        },
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {
                "title": "stock",
                "description": "stock",
                "keywords": [],
                "keywords_type": "theme",
                "terms_of_service": "",
                "url": "http://localhost",
            },
            "license": {"name": "CC0", "url": "http://localhost"},
            "provider": {"name": "bench", "url": "http://localhost"},
            "contact": {"name": "bench"},
        },  # fmt: skip
        "resources": {
            "locations": {
                "type": "collection",
                "title": "locations",
                "description": "locations",
                "keywords": [],
                "extents": {"spatial": {"bbox": [3.2, 50.7, 7.3, 53.6], "crs": CRS84}},
                "providers": [
                    {
                        "type": "feature",
                        "name": "PostgreSQL",
                        "data": {
                            "host": parts.hostname,
                            "port": parts.port or 5432,
                            "dbname": DATABASE,
                            "user": parts.username or "postgres",
                            "password": parts.password or "",
                            "search_path": ["public"],
                        },
                        "id_field": "id",
                        "table": "locations_location",
                        "geom_field": "geometry",
                        "properties": ["name", "type", "status", "area_m2", "updated_at"],
                        "storage_crs": RD,
                        "crs": [CRS84, RD],
                    }
                ],
            }
        },
    }
    config_path, openapi_path = folder / "stock.yml", folder / "stock-openapi.yml"
    config_path.write_text(yaml.safe_dump(config))
    env = {**os.environ, "PYGEOAPI_CONFIG": str(config_path), "PYGEOAPI_OPENAPI": str(openapi_path)}
    subprocess.run([str(ROOT / ".venv/bin/pygeoapi"), "openapi", "generate", str(config_path),
                    "--output-file", str(openapi_path)], env=env, check=True, capture_output=True)  # fmt: skip
    command = gunicorn_command("pygeoapi.flask_app:APP", port, 2)
    return running_server(command, env, port, "/conformance?f=json", "ogc")


def fetch(url: str) -> tuple[float, dict[str, object]]:
    start = time.perf_counter()
    request = urllib.request.Request(url, headers={"Accept": "application/geo+json"})  # noqa: S310 - local
    with urllib.request.urlopen(request, timeout=600) as response:  # noqa: S310 - our own local servers
        body = response.read()
    return time.perf_counter() - start, json.loads(body)


def medians(timers: dict[tuple[str, str], Callable[[], float]], repeat: int = REPEAT) -> dict[tuple[str, str], float]:
    """Median time of each timer, run round-robin so a busy moment on the machine hits all of them alike."""
    for timer in timers.values():
        timer()  # warm-up: connections, caches
    samples: dict[tuple[str, str], list[float]] = {name: [] for name in timers}
    for _ in range(repeat):
        for name, timer in timers.items():
            samples[name].append(timer())
    return {name: statistics.median(values) for name, values in samples.items()}


def items_url(base: str, params: dict[str, str]) -> str:
    return f"{base}/collections/locations/items?{urllib.parse.urlencode({'f': 'json', 'limit': '1000', **params})}"


def last_page(base: str, params: dict[str, str]) -> tuple[str, int]:
    """The URL of the last page with features, found by following next links from the first.

    (Stock pygeoapi links one empty page more when the count is a multiple of the limit.)
    """
    url: str | None = items_url(base, params)
    pages, last = 0, ""
    while url:
        _, page = fetch(url)
        if page.get("features"):
            last = url
            pages += 1
        url = next((link["href"] for link in page.get("links", []) if link["rel"] == "next"), None)  # type: ignore[union-attr]
    return last, pages


# What ours counts of a filtered page (OGC_COUNT_MAX, docs/ogc.md), given to our server and done the same
# by the SQL reference, whatever a .env says.
COUNT_MAX = 10_000


def sql_statement(where: str, srid: int, after: bool, filtered: bool = False) -> str:
    geometry = "l.geometry" if srid == 28992 else f"ST_Transform(l.geometry, {srid})"
    page_where = f"{where} AND l.id > %(after)s" if after else where
    limit = f"LIMIT {COUNT_MAX + 1}" if filtered else ""
    return f"""
        SELECT json_build_object(
          'type', 'FeatureCollection',
          'numberMatched', (SELECT count(*) FROM (SELECT 1 FROM locations_location l WHERE {where} {limit}) c),
          'features', coalesce(json_agg(json_build_object(
              'type', 'Feature', 'id', p.id, 'geometry', ST_AsGeoJSON(p.g)::json,
              'properties', json_build_object('name', p.name, 'type', p.type, 'status', p.status,
                                              'owner', p.owner, 'area_m2', p.area_m2, 'updated', p.updated_at))
            ORDER BY p.id), '[]'))::text
        FROM (SELECT l.id, l.name, l.type, l.status, o.name AS owner, round(l.area_m2::numeric, 2) AS area_m2,
                     l.updated_at, {geometry} AS g
              FROM locations_location l JOIN owners_owner o ON o.id = l.owner_id
              WHERE {page_where} ORDER BY l.id LIMIT 1000) p"""  # noqa: S608 - constants of this module only


def main() -> int:
    import pyproj

    print(f"bench_ogc: {N} locations in database {DATABASE}", flush=True)
    url = scratch_database(PG_SERVER, DATABASE)
    load(url, N)
    to_degrees = pyproj.Transformer.from_crs(28992, 4326, always_xy=True)
    west, south = to_degrees.transform(BBOX_RD[0], BBOX_RD[1])
    east, north = to_degrees.transform(BBOX_RD[2], BBOX_RD[3])
    bbox_degrees = f"{west:.6f},{south:.6f},{east:.6f},{north:.6f}"
    current = "l.withdrawn_at IS NULL"
    box_sql = f"{current} AND ST_Intersects(l.geometry, ST_Transform(ST_MakeEnvelope({bbox_degrees}, 4326), 28992))"
    cases = [
        Case("items, limit=1000, CRS84", {}, current, 4326),
        Case("items, limit=1000, EPSG:28992", {"crs": RD}, current, 28992),
        Case("bbox (about 1 km², CRS84)", {"bbox": bbox_degrees}, box_sql, 4326),
        Case(
            "CQL2 text: type = 'haag'",
            {"filter": "type = 'haag'", "filter-lang": "cql2-text"},
            f"{current} AND l.type = 'haag'",
            4326,
        ),  # fmt: skip
    ]
    results: list[tuple[str, float, float, float | None]] = []
    with tempfile.TemporaryDirectory() as folder, psycopg.connect(url) as conn:

        def sql_timer(statement: str, params: dict[str, object] | None = None) -> Callable[[], float]:
            def once() -> float:
                start = time.perf_counter()
                conn.execute(statement, params or {}).fetchone()
                return time.perf_counter() - start

            return once

        def http_timer(target: str) -> Callable[[], float]:
            return lambda: fetch(target)[0]

        last_key = conn.execute(
            "SELECT id FROM locations_location WHERE withdrawn_at IS NULL ORDER BY id DESC OFFSET 1000 LIMIT 1"
        ).fetchone()
        after = int(last_key[0]) if last_key else 0  # type: ignore[index]
        # Both servers run at once and every query of all three is timed in turn, round after
        # round: a busy moment on the machine then weighs on all of them alike.
        with ours(url) as base, stock(url, Path(folder)) as stock_base:
            last_url, pages = last_page(base + "/ogc", {})
            stock_last, stock_pages = last_page(stock_base, {})
            timers = {("ours", c.name): http_timer(items_url(base + "/ogc", c.params)) for c in cases}
            timers["ours", "last"] = http_timer(last_url)
            for c in cases:
                timers["sql", c.name] = sql_timer(
                    sql_statement(c.sql_where, c.sql_srid, False, filtered=c.sql_where != current)
                )
                try:
                    fetch(items_url(stock_base, c.params))
                    timers["stock", c.name] = http_timer(items_url(stock_base, c.params))
                except OSError as error:  # stock pygeoapi refuses some queries: say so in the table
                    print(f"stock pygeoapi: {c.name}: {error}", flush=True)
            timers["sql", "last"] = sql_timer(sql_statement(current, 4326, True), {"after": after})
            timers["stock", "last"] = http_timer(stock_last)
            timings = medians(timers)
        timings_ours = {name: t for (who, name), t in timings.items() if who == "ours"}
        timings_sql = {name: t for (who, name), t in timings.items() if who == "sql"}
        timings_stock = {name: t for (who, name), t in timings.items() if who == "stock"}

    for case in [*(c.name for c in cases), "last"]:
        label = f"last page (page {pages}, reached by next links)" if case == "last" else case
        results.append((label, timings_ours[case], timings_sql[case], timings_stock.get(case)))
    first = timings_ours[cases[0].name]
    report(results, deep=timings_ours["last"] / first, stock_pages=stock_pages)
    # The yardstick is the page of 1000 in CRS84 (stock pygeoapi reprojects it in Python).
    stock_first = timings_stock.get(cases[0].name)
    ok = (
        all(o <= 2 * s for _, o, s, _ in results)
        and timings_ours["last"] <= 1.5 * first
        and stock_first is not None
        and stock_first >= 5 * first
    )
    print("bench_ogc: " + ("within the bar" if ok else "NOT within the bar"), flush=True)
    return 0


def report(results: list[tuple[str, float, float, float | None]], *, deep: float, stock_pages: int) -> None:
    rows = []
    for label, ours_s, sql_s, stock_s in results:
        stock_cell = f"{stock_s * 1000:.0f} ms | {stock_s / ours_s:.1f}×" if stock_s else "refused | –"
        rows.append(
            f"| {label} | {ours_s * 1000:.0f} ms | {sql_s * 1000:.0f} ms | {ours_s / sql_s:.2f}× | {stock_cell} |"
        )
    body = f"""Command: `make bench` (or `.venv/bin/python -m bench ogc`); {N:,} generated locations (13-vertex
polygons in EPSG:28992) in a scratch database, {date.today().isoformat()}, 2 cores. Each time is the median of
{REPEAT} requests over HTTP after a warm-up; both servers run at once (gunicorn, 2 workers each) and all
queries of ours, SQL and stock are timed in turn, round after round; bodies are read completely.
"SQL" is the same FeatureCollection (same properties, numberMatched, 1000 features) built by one SQL
statement on a psycopg connection, without HTTP; for the last page it is cut by key too (`id > …`), the
best SQL can do. "stock pygeoapi" is pygeoapi 0.24's own PostgreSQL provider and Flask app on the same table.
Ours can beat "SQL" on unfiltered pages: its numberMatched, as exact, comes from a counter kept by
triggers (ogc/migrations/0002), while the SQL statement counts 100k index entries (~5 ms); filtered
pages count their matches in both, up to OGC_COUNT_MAX ({COUNT_MAX:,}) + 1 (docs/ogc.md).

| query | ours | SQL | ours / SQL | stock pygeoapi | stock / ours |
|---|---|---|---|---|---|
{chr(10).join(rows)}

Last page / first page (ours): {deep:.2f}. Stock pygeoapi's last page is its page {stock_pages} (OFFSET paging).

Bar in the OGC issue: ≤ 2× SQL, ≥ 5× faster than stock pygeoapi, last page ≤ 1.5× the first.
The 5× is measured on the page of 1000 in CRS84, the case the issue describes: stock pygeoapi turns
every row into a shapely geometry and reprojects it with pyproj. With `crs=EPSG:28992` it does no
reprojection and the gap is smaller; the table shows each query as measured.
"""
    write_section("OGC API Features", body)
    print(body, flush=True)


if __name__ == "__main__":
    sys.exit(main())
