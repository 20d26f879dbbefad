"""The national dataset of issue 12: N locations (default 10,000,000) over the RD extent, loaded
with the importer, against the same figures at a reference size (default 100,000).

`make bench-national` (or `.venv/bin/python -m bench.national`); not part of `make bench`, which
runs the `bench_*` modules only. Sizes: BENCH_NATIONAL_N and BENCH_NATIONAL_REF.

For each size, in a scratch database of its own:
- build: owners of OWNER_SIZE (50,000) locations each, in towns of up to 3 km spread over the
  RD extent (dense at their centres), one GeoPackage per owner written by this benchmark and
  loaded by `import_locations` (a first import per owner, as municipalities join one by one);
  build time (generation and import apart) and disk size of the database and of the locations;
- the feed: `items?limit=1000` and a bbox query of about 1 km² in a town, over HTTP (gunicorn,
  2 workers), medians of REPEAT after a warm-up;
- vector tiles: bench_tiles' sample (8 tiles per level 6–16 under random locations), cold and warm
  over HTTP and in SQL;
- a sync of one owner's 50,000 locations with 1% changed and 1% removed (a whole process).
Bar of issue 12: each within 1.2× of its reference figure. Writes the `## National dataset`
section of docs/benchmarks.md.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import psycopg

from bench import bench_tiles
from bench.results import write_section
from bench.support import (
    PG_SERVER,
    ROOT,
    django_database_url,
    drop_database,
    free_port,
    gunicorn_command,
    running_server,
    scratch_database,
    server_env,
)

N = int(os.environ.get("BENCH_NATIONAL_N", "10000000"))
REFERENCE = int(os.environ.get("BENCH_NATIONAL_REF", "100000"))
OWNER_SIZE = 50_000
TOWNS_PER_OWNER = 4
REPEAT = 11
PY = sys.executable
TYPES = ["gras", "heesters", "bosplantsoen", "haag", "bloemperk"]


def owner_file(folder: Path, owner: int, *, n: int, changed: bool = False) -> Path:
    """Owner `owner`'s locations as a GeoPackage: star polygons of 8–20 vertices, 2–15 m across, in
    TOWNS_PER_OWNER towns of up to 3 km; with `changed`, 1% moved and retyped and 1% left out."""
    import geopandas as gpd
    import numpy as np
    import shapely

    rng = np.random.default_rng(owner)
    towns = np.c_[rng.uniform(20_000, 260_000, TOWNS_PER_OWNER), rng.uniform(310_000, 610_000, TOWNS_PER_OWNER)]
    town = rng.integers(0, TOWNS_PER_OWNER, n)
    angle, distance = rng.uniform(0, 2 * np.pi, n), 3000 * rng.random(n) ** 2
    cx, cy = towns[town, 0] + distance * np.cos(angle), towns[town, 1] + distance * np.sin(angle)
    radius = rng.uniform(1.0, 7.5, n)
    vertices = rng.integers(8, 21, n)
    owner_of = np.repeat(np.arange(n), vertices)
    first = np.concatenate([[0], np.cumsum(vertices)[:-1]])
    k = np.arange(owner_of.size) - first[owner_of]
    angles = 2 * np.pi / vertices[owner_of] * (k + rng.uniform(-0.35, 0.35, owner_of.size))
    r = radius[owner_of] * rng.uniform(0.55, 1.0, owner_of.size)
    xy: Any = np.round(np.c_[cx[owner_of] + r * np.cos(angles), cy[owner_of] + r * np.sin(angles)], 3)
    ring = np.insert(xy, np.cumsum(vertices), xy[first], axis=0)
    ring_offsets = np.concatenate([[0], np.cumsum(vertices + 1)])
    geoms = np.asarray(
        shapely.from_ragged_array(shapely.GeometryType.POLYGON, ring, (ring_offsets, np.arange(n + 1))), dtype=object
    )
    frame = gpd.GeoDataFrame(
        {
            "guid": [str(uuid.UUID(bytes=rng.bytes(16), version=4)) for _ in range(n)],
            "objecttype": rng.choice(TYPES, n),
            "buurt": rng.choice([f"Buurt {i:02d}" for i in range(1, 41)], n),
        },
        geometry=gpd.GeoSeries(geoms, crs="EPSG:28992"),
    )
    if changed:
        order = np.random.default_rng(owner + 1).permutation(n)
        moved, removed = order[: n // 100], order[n // 100 : n // 50]
        frame.loc[moved, "objecttype"] = "heesters"
        frame.loc[moved, "geometry"] = shapely.transform(frame.geometry.values[moved], lambda c: c + [0.5, 0.25])
        frame = frame.drop(index=removed).reset_index(drop=True)
    path = folder / f"owner{owner}{'_v2' if changed else ''}.gpkg"
    frame.to_file(path, layer="groen", engine="pyogrio")
    return path


def import_file(env: dict[str, str], path: Path, owner: int) -> float:
    start = time.perf_counter()
    subprocess.run(
        [PY, "manage.py", "import_locations", str(path), "--owner", f"o{owner}", "--source", "groen",
         "--id-field", "guid", "--type-field", "objecttype", "--json"],
        cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return time.perf_counter() - start


def build(url: str, n: int, folder: Path) -> dict[str, float]:
    """Owners and their locations, imported owner after owner; seconds and bytes."""
    owners = max(1, n // OWNER_SIZE)
    env = {**os.environ, "DATABASE_URL": django_database_url(url), "LOG_LEVEL": "WARNING"}
    with psycopg.connect(url, autocommit=True) as conn:
        for owner in range(1, owners + 1):
            conn.execute(
                "INSERT INTO owners_owner (name, slug, kind, contact_email, created_at, updated_at)"
                " VALUES (%s, %s, 'gemeente', '', now(), now())",
                [f"Gemeente {owner}", f"o{owner}"],
            )
    generating = importing = 0.0
    for owner in range(1, owners + 1):
        start = time.perf_counter()
        path = owner_file(folder, owner, n=min(OWNER_SIZE, n))
        generating += time.perf_counter() - start
        importing += import_file(env, path, owner)
        if owner > 1:
            path.unlink()  # owner 1's file is synced again below
        print(f"  owner {owner}/{owners}: {importing:.0f} s importing so far", flush=True)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE locations_location")
        database, locations = conn.execute(
            "SELECT pg_database_size(current_database()), pg_total_relation_size('locations_location')"
        ).fetchone()  # type: ignore[misc]  # one row
    return {"owners": owners, "generate": generating, "import": importing, "database": database,
            "locations": locations}  # fmt: skip


def town_bbox(url: str) -> tuple[float, float, float, float]:
    """About 1 km² around owner 1's first location, in CRS84."""
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b) FROM (SELECT ST_Transform(ST_Expand("
            "ST_Centroid(geometry), 500), 4326) AS b FROM locations_location ORDER BY id LIMIT 1) s"
        ).fetchone()
    assert row is not None
    return (float(row[0]), float(row[1]), float(row[2]), float(row[3]))


def median_ms(url: str) -> float:
    times = []
    for _ in range(REPEAT + 1):
        start = time.perf_counter()
        request = urllib.request.Request(url, headers={"Accept": "application/geo+json"})  # noqa: S310 - ours
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 - our own local server
            response.read()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times[1:])


def measure(n: int, folder: Path) -> dict[str, Any]:
    name = f"bench_national_{n}"
    url = scratch_database(PG_SERVER, name)
    try:
        figures: dict[str, Any] = {"n": n, **build(url, n, folder)}
        bbox = ",".join(f"{v:.6f}" for v in town_bbox(url))
        tiles = bench_tiles.sample_tiles(url)
        sql = bench_tiles.sql_times(url, tiles)
        port = free_port()
        # Generous start-up limits: on a busy machine gunicorn's 30 s killed workers still importing.
        command = [*gunicorn_command("gis_service.wsgi", port, 2), "--timeout", "300"]
        env = server_env(url, MAP_BACKGROUND_URL="")
        with running_server(command, env, port, "/healthz", "national", wait=600) as base:
            items = f"{base}/ogc/collections/locations/items?f=json"
            figures["page"] = median_ms(f"{items}&limit=1000")
            figures["bbox"] = median_ms(f"{items}&limit=1000&bbox={bbox}")
            http = bench_tiles.http_times(base, tiles)
        figures["tile_warm_p50"] = bench_tiles._ms(http["warm"], 0.5)
        figures["tile_warm_p95"] = bench_tiles._ms(http["warm"], 0.95)
        figures["tile_cold_p50"] = bench_tiles._ms(http["cold"], 0.5)
        figures["tile_sql_p50"] = bench_tiles._ms(sql["cold"], 0.5)
        # One owner's nightly sync: its file changed in place, 1% changed and 1% removed.
        env = {**os.environ, "DATABASE_URL": django_database_url(url), "LOG_LEVEL": "WARNING"}
        changed = owner_file(folder, 1, n=min(OWNER_SIZE, n), changed=True)
        changed.replace(folder / "owner1.gpkg")
        figures["sync"] = import_file(env, folder / "owner1.gpkg", 1)
    finally:
        drop_database(PG_SERVER, name)
        for path in folder.iterdir():
            path.unlink()
    return figures


ROWS = [
    ("OGC items, limit=1000 (ms)", "page"),
    ("OGC bbox ~1 km² in a town, limit=1000 (ms)", "bbox"),
    ("tile warm p50 (ms)", "tile_warm_p50"),
    ("tile warm p95 (ms)", "tile_warm_p95"),
    ("tile cold p50 (ms)", "tile_cold_p50"),
    ("tile SQL p50 (ms)", "tile_sql_p50"),
    ("sync of one owner's 50,000 locations, 1% changed and 1% removed (s)", "sync"),
]


def report(reference: dict[str, Any], large: dict[str, Any]) -> str:
    lines = [
        f"| {what} | {reference[key]:.1f} | {large[key]:.1f} | {large[key] / reference[key]:.2f} |"
        for what, key in ROWS
    ]
    build_lines = [
        f"| {f['n']:,} | {f['owners']} | {f['generate']:.0f} s | {f['import']:.0f} s | "
        f"{f['database'] / 1e9:.2f} GB | {f['locations'] / 1e9:.2f} GB |"
        for f in (reference, large)
    ]
    load = os.getloadavg()
    return f"""
Command: `make bench-national` (`.venv/bin/python -m bench.national`; `BENCH_NATIONAL_N` (default 10,000,000) and
`BENCH_NATIONAL_REF` (default 100,000)); {time.strftime("%Y-%m-%d")}, {os.cpu_count()} cores, load average
{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} at the end (a shared machine). Owners of {OWNER_SIZE:,} locations in
{TOWNS_PER_OWNER} towns each over the RD extent, one GeoPackage per owner imported by `import_locations`.

| locations | owners | generating | importing (first import per owner) | database | locations table with indexes |
|---|---|---|---|---|---|
{chr(10).join(build_lines)}

| figure | {reference["n"]:,} | {large["n"]:,} | ratio |
|---|---|---|---|
{chr(10).join(lines)}

Bar of issue 12: each within 1.2× of its {reference["n"]:,} figure. Not measured here: the overlap check with 8
clients (bench_overlap builds contracts, not locations).
"""


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        results = []
        for n in (REFERENCE, N):
            print(f"== {n:,} locations", flush=True)
            results.append(measure(n, Path(tmp)))
            print(results[-1], flush=True)
    body = report(*results)
    write_section("National dataset", body)
    print(body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
