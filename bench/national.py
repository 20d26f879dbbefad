"""The national dataset of issue 12: N locations (default 10,000,000) over the RD extent, loaded
with the importer, against the same figures at a reference size (default 100,000).

`make bench-national` (or `.venv/bin/python -m bench.national`); not part of `make bench`, which
runs the `bench_*` modules only. Sizes: BENCH_NATIONAL_N, BENCH_NATIONAL_REF and BENCH_NATIONAL_STEPS
(sizes measured on the way, comma-separated; default none). The scratch database is `bench_national`
(BENCH_NATIONAL_DATABASE names another, e.g. for a reference built alongside) and is dropped at the end
unless BENCH_NATIONAL_KEEP=1, which keeps it for inspection (EXPLAIN; drop it by hand afterwards).

One scratch database is grown owner after owner, and the figures are taken each time it holds one of
the sizes (the reference, the steps, N): the reference is thereby built exactly as N is, and a run
stopped before N has still written the largest size it reached (the section is rewritten after each).
- build: owners of OWNER_SIZE (50,000) locations each, in towns of up to 3 km spread over the
  RD extent (dense at their centres), one GeoPackage per owner written by this benchmark and
  loaded by `import_locations` (a first import per owner, as municipalities join one by one). The
  GeoPackages are generated ahead by GENERATORS worker processes while the imports run, so only the
  first one is waited for. After each import, one in CONTRACT_EVERY of the owner's locations gets an
  active contract (offering, terms, contract: bench_overlap's SQL, through the overlap trigger), minus
  those that would share ground with another; so the contracts are as dense at every size.
  Build time (wall clock; generation, import and contracts apart) and disk size;
- the feed: `items?limit=1000` in CRS84 and in EPSG:28992, a bbox query of about 1 km² in a town (around
  owner 1's first location: more owners' towns reach it as N grows, so its answer grows too: the report
  gives the features returned), the same box at the centre of owner 1's first town (a full page of 1000
  at every size: the figure of the same answer) and a CQL2 text filter, over HTTP (gunicorn, 2 workers),
  medians of REPEAT after a warm-up;
- vector tiles: bench_tiles' sample (8 tiles per level 6–16 under random locations), cold and warm
  over HTTP and in SQL; the warm p50 also apart for levels 6–11 (cells kept per area: a tile over the
  country gathers every town under it, more as N grows) and levels 12–16 (a town's rows);
- the overlap check: bench_overlap's 8 concurrent clients posting areas drawn around contracted
  locations for OVERLAP_SECONDS, over HTTP and as its raw SQL (p50, p95);
- a sync of the newest owner's 50,000 locations with 1% changed and 1% removed (a whole process).
Bar of issue 12: each within 1.2× of its reference figure. Writes the `## National dataset`
section of docs/benchmarks.md.
"""

from __future__ import annotations

import json
import math
import multiprocessing
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

import psycopg

from bench import bench_overlap, bench_tiles
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
STEPS = [int(s) for s in os.environ.get("BENCH_NATIONAL_STEPS", "").split(",") if s.strip()]
OWNER_SIZE = 50_000
TOWNS_PER_OWNER = 4
REPEAT = 11
# Two processes generate the owners' GeoPackages while the imports run: one took ~5 s of CPU a file,
# about what an import took, so one generator alone kept the imports waiting on a busy machine.
GENERATORS = int(os.environ.get("BENCH_NATIONAL_GENERATORS", "2"))
AHEAD = 2 * GENERATORS  # files generated ahead of the import: enough to never wait, few on disk
# One location in 200 under an active contract (0.5%): each contract costs ~9 ms through the status
# triggers (its location's and its neighbours' status, each an UPDATE that keeps the tile cells), ~2 s an owner.
CONTRACT_EVERY = 200
OVERLAP_SECONDS = float(os.environ.get("BENCH_NATIONAL_OVERLAP_SECONDS", "15"))
DATABASE = os.environ.get("BENCH_NATIONAL_DATABASE", "bench_national")
KEEP = os.environ.get("BENCH_NATIONAL_KEEP", "") == "1"
PY = sys.executable
TYPES = ["gras", "heesters", "bosplantsoen", "haag", "bloemperk"]
RD = "http://www.opengis.net/def/crs/EPSG/0/28992"


def owner_towns(rng: Any) -> Any:
    """The centres of an owner's TOWNS_PER_OWNER towns: the first draws of np.random.default_rng(owner)."""
    import numpy as np

    return np.c_[rng.uniform(20_000, 260_000, TOWNS_PER_OWNER), rng.uniform(310_000, 610_000, TOWNS_PER_OWNER)]


def owner_file(folder: Path, owner: int, *, n: int, changed: bool = False) -> Path:
    """Owner `owner`'s locations as a GeoPackage: star polygons of 8–20 vertices, 2–15 m across, in
    TOWNS_PER_OWNER towns of up to 3 km; with `changed`, 1% moved and retyped and 1% left out."""
    import geopandas as gpd
    import numpy as np
    import shapely

    rng = np.random.default_rng(owner)
    towns = owner_towns(rng)
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


def generated(folder: Path, owner: int, n: int) -> tuple[Path, float]:
    """owner_file in a worker process, and the seconds it took there."""
    start = time.perf_counter()
    path = owner_file(folder, owner, n=n)
    return path, time.perf_counter() - start


def import_file(env: dict[str, str], path: Path, owner: int) -> float:
    start = time.perf_counter()
    subprocess.run(
        [PY, "manage.py", "import_locations", str(path), "--owner", f"o{owner}", "--source", "groen",
         "--id-field", "guid", "--type-field", "objecttype", "--json"],
        cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return time.perf_counter() - start


# bench_overlap's offering, terms and contract for one in CONTRACT_EVERY of an owner's locations, in one
# statement; left out are those that share ground with a picked one of lower id or an active contract
# (towns of different owners may overlap), so the overlap trigger accepts every row.
CONTRACTS_SQL = """
WITH picked AS MATERIALIZED (
    SELECT id, geometry FROM locations_location
     WHERE owner_id = %(owner)s AND withdrawn_at IS NULL AND id %% %(every)s = 0
), free AS MATERIALIZED (
    SELECT p.id, p.geometry FROM picked p
     WHERE NOT EXISTS (SELECT 1 FROM picked q
                        WHERE q.id < p.id AND q.geometry && p.geometry AND ST_Intersects(q.geometry, p.geometry))
       AND NOT EXISTS (SELECT 1 FROM contracts_contract c
                        WHERE c.status = 'active' AND c.geometry && p.geometry
                          AND ST_Intersects(c.geometry, p.geometry))
), offering AS (
    INSERT INTO contracts_offering (location_id, conditions, managers_needed, contract_months, reward, support,
                                    support_notes, created_at, updated_at)
    SELECT id, 'geen gif', 3, 12, '', '[]', '', now(), now() FROM free RETURNING id, location_id
), terms AS (
    INSERT INTO contracts_termsversion (offering_id, number, text, content_hash)
    SELECT id, 1, 'Versie 1', '' FROM offering RETURNING id, offering_id
)
INSERT INTO contracts_contract (location_id, geometry, terms_version_id, status, starts_on, ends_on, rejection_reason,
                                end_reason)
SELECT o.location_id, f.geometry, t.id, 'active', current_date - 30, current_date + 335, '', ''
  FROM terms t JOIN offering o ON o.id = t.offering_id JOIN free f ON f.id = o.location_id
"""


class Build:
    """The scratch database at `url`, grown owner by owner up to `owners`, with what the growing took."""

    def __init__(self, url: str, folder: Path, owners: int) -> None:
        self.url, self.folder, self.last = url, folder, owners
        self.env = {**os.environ, "DATABASE_URL": django_database_url(url), "LOG_LEVEL": "WARNING"}
        # spawn: the workers need none of this process's state (and no copy of its connections).
        self.pool = ProcessPoolExecutor(GENERATORS, mp_context=multiprocessing.get_context("spawn"))
        self.pending: dict[int, Future[tuple[Path, float]]] = {}
        self.owners = self.queued = 0
        self.seconds = {"wall": 0.0, "generate": 0.0, "wait": 0.0, "import": 0.0, "contracts_s": 0.0}
        self.imports: list[float] = []

    def _queue(self) -> None:
        while self.queued < min(self.last, self.owners + AHEAD):
            self.queued += 1
            self.pending[self.queued] = self.pool.submit(generated, self.folder, self.queued, min(OWNER_SIZE, N))

    def grow(self, owners: int) -> None:
        began = time.perf_counter()
        while self.owners < owners:
            owner = self.owners + 1
            self._queue()
            start = time.perf_counter()
            path, seconds = self.pending.pop(owner).result()
            self.seconds["wait"] += time.perf_counter() - start
            self.seconds["generate"] += seconds
            self._queue()
            with psycopg.connect(self.url, autocommit=True) as conn:
                inserted = conn.execute(
                    "INSERT INTO owners_owner (name, slug, kind, contact_email, created_at, updated_at)"
                    " VALUES (%s, %s, 'gemeente', '', now(), now()) RETURNING id",
                    [f"Gemeente {owner}", f"o{owner}"],
                ).fetchone()
            assert inserted is not None
            self.imports.append(import_file(self.env, path, owner))
            self.seconds["import"] += self.imports[-1]
            path.unlink()
            start = time.perf_counter()
            # Without JIT: compiling the statement (its anti join is misestimated) took 0.7 of its 1 s.
            with psycopg.connect(self.url, autocommit=True, options="-c jit=off") as conn:
                conn.execute(CONTRACTS_SQL, {"owner": inserted[0], "every": CONTRACT_EVERY})
            self.seconds["contracts_s"] += time.perf_counter() - start
            self.owners = owner
            print(f"  owner {owner}/{self.last}: import {self.imports[-1]:.1f} s, {self.seconds['import']:.0f} s "
                  f"importing so far, load {os.getloadavg()[0]:.1f}", flush=True)  # fmt: skip
        self.seconds["wall"] += time.perf_counter() - began

    def close(self) -> None:
        self.pool.shutdown(cancel_futures=True)


def _km2_around(url: str, centre_sql: str, params: list[Any] | None = None) -> tuple[float, float, float, float]:
    """About 1 km² around the RD point `centre_sql` selects (one row), in CRS84."""
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b) FROM (SELECT ST_Transform(ST_Expand("
            f"c, 500), 4326) AS b FROM ({centre_sql}) AS centre(c)) s",
            params,
        ).fetchone()
    assert row is not None
    return (float(row[0]), float(row[1]), float(row[2]), float(row[3]))


def town_bbox(url: str) -> tuple[float, float, float, float]:
    """About 1 km² around owner 1's first location, in CRS84."""
    return _km2_around(url, "SELECT ST_Centroid(geometry) FROM locations_location ORDER BY id LIMIT 1")


def centre_bbox(url: str) -> tuple[float, float, float, float]:
    """About 1 km² around the centre of owner 1's first town (its densest ground), in CRS84."""
    import numpy as np

    x, y = owner_towns(np.random.default_rng(1))[0]
    return _km2_around(url, "SELECT ST_SetSRID(ST_MakePoint(%s, %s), 28992)", [float(x), float(y)])


def returned(url: str) -> int:
    """numberReturned of the feed's page at `url` (-1 when it answers with an error)."""
    request = urllib.request.Request(url, headers={"Accept": "application/geo+json"})  # noqa: S310 - ours
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 - our own local server
            return int(json.loads(response.read())["numberReturned"])
    except urllib.error.HTTPError:
        return -1


def median_ms(url: str) -> float:
    """The median of REPEAT requests after a warm-up, in ms; NaN when the feed answers with an error
    (at 10,000,000 a statement may pass WEB_STATEMENT_TIMEOUT, a 503: the run goes on and says so)."""
    times = []
    for _ in range(REPEAT + 1):
        start = time.perf_counter()
        request = urllib.request.Request(url, headers={"Accept": "application/geo+json"})  # noqa: S310 - ours
        try:
            with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 - our own local server
                response.read()
        except urllib.error.HTTPError as error:
            print(f"  {url}: {error.code}", flush=True)
            return math.nan
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times[1:])


def drawn_bodies(url: str) -> tuple[list[bytes], list[dict[str, Any]], float]:
    """1,000 areas as residents draw them (bench_overlap's quadrilaterals of 20–120 m), each around a
    contracted location picked at random: the request bodies, the raw SQL's parameters, and how many
    locations an area meets on average."""
    with psycopg.connect(url) as conn:
        centres = conn.execute(
            "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(geometry) AS p FROM contracts_contract"
            " WHERE status = 'active' ORDER BY md5(id::text) LIMIT 1000) s"
        ).fetchall()
    rng = random.Random(7)
    areas = [bench_overlap.quadrilateral(rng, x + rng.uniform(-20, 20), y + rng.uniform(-20, 20)) for x, y in centres]
    bodies, params = bench_overlap.overlap_requests(areas)
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT avg(n) FROM unnest(%s::bytea[]) g, LATERAL (SELECT count(*) AS n FROM locations_location l"
            " WHERE l.geometry && ST_GeomFromEWKB(g) AND ST_Intersects(l.geometry, ST_GeomFromEWKB(g))) s",
            [[p["geom"] for p in params]],
        ).fetchone()
    met = float(row[0]) if row and row[0] is not None else 0.0
    return bodies, params, met


def measure(build: Build, folder: Path) -> dict[str, Any]:
    """The figures of the database as it is now (build.owners owners)."""
    url, n = build.url, build.owners * min(OWNER_SIZE, N)
    figures: dict[str, Any] = {"n": n, "owners": build.owners, **build.seconds}
    figures["import_median"] = statistics.median(build.imports[-max(1, len(build.imports) // 2) :])
    start = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        row = conn.execute(
            "SELECT pg_database_size(current_database()), pg_total_relation_size('locations_location'),"
            " (SELECT count(*) FROM contracts_contract WHERE status = 'active')"
        ).fetchone()
    assert row is not None
    figures["vacuum"] = time.perf_counter() - start
    figures["database"], figures["locations"], figures["contracts"] = row
    bbox = ",".join(f"{v:.6f}" for v in town_bbox(url))
    centre = ",".join(f"{v:.6f}" for v in centre_bbox(url))
    tiles = bench_tiles.sample_tiles(url)
    sql = bench_tiles.sql_times(url, tiles)
    bodies, params, figures["met"] = drawn_bodies(url)
    port = free_port()
    # Generous start-up limits: on a busy machine gunicorn's 30 s killed workers still importing.
    command = [*gunicorn_command("gis_service.wsgi", port, 2), "--timeout", "300"]
    # The benchmark measures the queries, not the rate limits.
    env = server_env(url, MAP_BACKGROUND_URL="", OVERLAP_CHECK_RATE="100000000/min", OGC_FILTER_RATE="100000/min")
    with running_server(command, env, port, "/healthz", "national", wait=600) as base:
        items = f"{base}/ogc/collections/locations/items?f=json&limit=1000"
        figures["page"] = median_ms(items)
        figures["page_rd"] = median_ms(f"{items}&{urllib.parse.urlencode({'crs': RD})}")
        figures["bbox"] = median_ms(f"{items}&bbox={bbox}")
        figures["bbox_returned"] = returned(f"{items}&bbox={bbox}")
        figures["bbox_centre"] = median_ms(f"{items}&bbox={centre}")
        figures["bbox_centre_returned"] = returned(f"{items}&bbox={centre}")
        cql = urllib.parse.urlencode({"filter": "type = 'haag'", "filter-lang": "cql2-text"})
        figures["cql"] = median_ms(f"{items}&{cql}")
        try:
            http = bench_tiles.http_times(base, tiles)
        except urllib.error.HTTPError as error:  # a tile past the statement timeout: the other figures still count
            print(f"  tiles: {error.code}", flush=True)
            http = {"warm": [math.nan], "cold": [math.nan]}
        # A client whose check fails stops (its thread raises): the others' latencies still count.
        overlap = bench_overlap.run_clients(bench_overlap.http_work(port, bodies), OVERLAP_SECONDS)
    overlap_sql = bench_overlap.run_clients(bench_overlap.sql_work(url, params), OVERLAP_SECONDS)
    no_latencies = (math.nan, math.nan, 0)
    figures["overlap_p50"], figures["overlap_p95"], figures["overlap_n"] = (
        bench_overlap.percentiles(overlap) if overlap else no_latencies
    )
    figures["overlap_sql_p50"], figures["overlap_sql_p95"], _ = bench_overlap.percentiles(overlap_sql)
    figures["tile_warm_p50"] = bench_tiles._ms(http["warm"], 0.5)
    # http["warm"] holds WARM_ROUNDS rounds over `tiles`, which go level by level (6 to 16).
    for key, levels in (("tile_warm_p50_country", range(6, 12)), ("tile_warm_p50_town", range(12, 17))):
        picked = [t for i, t in enumerate(http["warm"]) if tiles[i % len(tiles)][0] in levels]
        figures[key] = bench_tiles._ms(picked, 0.5) if picked else math.nan
    figures["tile_warm_p95"] = bench_tiles._ms(http["warm"], 0.95)
    figures["tile_cold_p50"] = bench_tiles._ms(http["cold"], 0.5)
    figures["tile_sql_p50"] = bench_tiles._ms(sql["cold"], 0.5)
    # The newest owner's nightly sync: its file changed in place, 1% changed and 1% removed.
    changed = owner_file(folder, build.owners, n=min(OWNER_SIZE, N), changed=True)
    figures["sync"] = import_file(build.env, changed.replace(folder / f"owner{build.owners}.gpkg"), build.owners)
    (folder / f"owner{build.owners}.gpkg").unlink()
    figures["load"] = os.getloadavg()
    figures["at"] = time.strftime("%H:%M UTC", time.gmtime())
    return figures


ROWS = [
    ("OGC items, limit=1000, CRS84 (ms)", "page"),
    ("OGC items, limit=1000, EPSG:28992 (ms)", "page_rd"),
    ("OGC bbox ~1 km² in a town, limit=1000 (ms)", "bbox"),
    ("OGC bbox ~1 km² at a town's centre, limit=1000 (ms)", "bbox_centre"),
    ("OGC CQL2 text type = 'haag', limit=1000 (ms)", "cql"),
    ("tile warm p50 (ms)", "tile_warm_p50"),
    ("tile warm p50, levels 6–11 (ms)", "tile_warm_p50_country"),
    ("tile warm p50, levels 12–16 (ms)", "tile_warm_p50_town"),
    ("tile warm p95 (ms)", "tile_warm_p95"),
    ("tile cold p50 (ms)", "tile_cold_p50"),
    ("tile SQL p50 (ms)", "tile_sql_p50"),
    ("overlap check, 8 clients, HTTP p50 (ms)", "overlap_p50"),
    ("overlap check, 8 clients, HTTP p95 (ms)", "overlap_p95"),
    ("overlap check, 8 clients, raw SQL p50 (ms)", "overlap_sql_p50"),
    ("overlap check, 8 clients, raw SQL p95 (ms)", "overlap_sql_p95"),
    ("sync of the newest owner's 50,000 locations, 1% changed and 1% removed (s)", "sync"),
]


def _figure(value: float) -> str:
    return "error" if math.isnan(value) else f"{value:.1f}"


BUILD_COLUMNS = ["locations", "owners", "active contracts", "build, wall clock", "generating (waited for)", "importing",
                 "a first import, median of the last half", "contracts", "database", "locations table with indexes",
                 "measured at, load"]  # fmt: skip
BUILD_HEADER = f"| {' | '.join(BUILD_COLUMNS)} |\n|{'---|' * len(BUILD_COLUMNS)}"


def report(results: list[dict[str, Any]]) -> str:
    reference, large = results[0], results[-1]
    columns = " | ".join(f"{f['n']:,}" for f in results)
    lines = []
    for what, key in ROWS:
        ratio = large[key] / reference[key]
        verdict = "—" if math.isnan(ratio) else f"{ratio:.2f} ({'met' if ratio <= 1.2 else 'not met'})"
        lines.append(f"| {what} | {' | '.join(_figure(f[key]) for f in results)} | {verdict} |")
    build_lines = [
        f"| {f['n']:,} | {f['owners']} | {f['contracts']:,} | {f['wall'] / 60:.0f} min | {f['generate']:.0f} s "
        f"({f['wait']:.0f} s waited) | {f['import']:.0f} s | {f['import_median']:.1f} s | {f['contracts_s']:.0f} s | "
        f"{f['database'] / 1e9:.2f} GB | {f['locations'] / 1e9:.2f} GB | {f['at']}, {f['load'][0]:.1f} / "
        f"{f['load'][1]:.1f} / {f['load'][2]:.1f} |"
        for f in results
    ]
    return f"""
Command: `make bench-national` (`.venv/bin/python -m bench.national`; `BENCH_NATIONAL_N` (default 10,000,000),
`BENCH_NATIONAL_REF` (default 100,000), `BENCH_NATIONAL_STEPS`); this run: {time.strftime("%Y-%m-%d")}, N =
{N:,}, {os.cpu_count()} cores (a shared machine: load average 1 / 5 / 15 min in the first table). One scratch
database grown owner by owner, each owner {OWNER_SIZE:,} locations in {TOWNS_PER_OWNER} towns over the RD extent,
one GeoPackage per owner (generated ahead by {GENERATORS} processes while the imports run) loaded by
`import_locations` as a first import; after each import one in {CONTRACT_EVERY} of the owner's locations gets an
active contract (bench_overlap's SQL, through the overlap trigger, leaving out those that would share ground).
The figures of a size are taken when the database holds it, after `VACUUM ANALYZE`.

{BUILD_HEADER}
{chr(10).join(build_lines)}

| figure | {columns} | ratio {large["n"]:,} / {reference["n"]:,} |
|---|{"---|" * len(results)}---|
{chr(10).join(lines)}

Feed: medians of {REPEAT} requests over HTTP after a warm-up (gunicorn, 2 workers); the bbox pages returned
{"; ".join(f"{f['bbox_returned']:,}" for f in results)} features in a town and
{"; ".join(f"{f['bbox_centre_returned']:,}" for f in results)} at its centre. Overlap check: 8 clients for
{OVERLAP_SECONDS:.0f} s over HTTP ({"; ".join(f"{f['overlap_n']:,} requests" for f in results)}), then the
same statement on 8 psycopg connections; 1,000 areas of 20–120 m drawn around contracted locations, meeting on
average {"; ".join(f"{f['met']:.1f}" for f in results)} locations. Bar of issue 12: each within 1.2× of its
{reference["n"]:,} figure.
"""


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gis_service.settings")
    import django

    django.setup()  # the overlap check's areas are parsed as the view parses them
    sizes = sorted({REFERENCE, *(s for s in STEPS if REFERENCE < s < N), N})
    per_owner = min(OWNER_SIZE, N)
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        url = scratch_database(PG_SERVER, DATABASE)
        build = Build(url, Path(tmp), max(1, N // per_owner))
        try:
            for n in sizes:
                print(f"== {n:,} locations", flush=True)
                build.grow(max(1, n // per_owner))
                figures = measure(build, Path(tmp))
                results.append(figures)
                print(results[-1], flush=True)
                write_section("National dataset", report(results))
        finally:
            build.close()
            if KEEP:
                print(f"kept the database {DATABASE} (BENCH_NATIONAL_KEEP=1): drop it when done", flush=True)
            else:
                drop_database(PG_SERVER, DATABASE)
    print(report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
