"""Download benchmark: a GeoPackage of 100,000 locations from the feed against ogr2ogr from the same table.

In a scratch database of its own, with the generated locations of bench_ogc (13-vertex polygons in
EPSG:28992), times over HTTP (gunicorn, as in production) the whole download of
`/ogc/collections/locations/items?f=gpkg&crs=…28992` until its last byte, and Debian's
`ogr2ogr -f GPKG` writing the same rows (the public ones, the same columns) from the table to a
file. Also CSV and FlatGeobuf, and the peak memory of the worker that served them. Writes the
`## Downloads` section of docs/benchmarks.md. Bar in the issue: the GeoPackage ≤ 2× ogr2ogr.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.bench_ogc import load
from bench.results import write_section
from bench.support import (
    PG_SERVER,
    free_port,
    gunicorn_command,
    running_server,
    scratch_database,
    server_env,
)

N = int(os.environ.get("BENCH_DOWNLOADS_N", "100000"))
REPEAT = 3
DATABASE = "bench_downloads"
RD = "http://www.opengis.net/def/crs/EPSG/0/28992"
# What the download holds, as ogr2ogr reads it: every public (current) location, its public columns.
OGR_SQL = (
    "SELECT l.id, l.geometry, l.name, l.type, l.status, o.name AS owner,"
    " round(l.area_m2::numeric, 2)::float8 AS area_m2, f.offered_from, f.offered_until, f.conditions,"
    " nullif(l.external_id, '') AS external_id, s.name AS source,"
    " 'http://127.0.0.1/locaties/' || l.id || '/' AS url, l.updated_at AS updated"
    " FROM locations_location l JOIN owners_owner o ON o.id = l.owner_id"
    " LEFT JOIN contracts_offering f ON f.location_id = l.id LEFT JOIN importers_source s ON s.id = l.source_id"
    " WHERE l.withdrawn_at IS NULL ORDER BY l.id"
)


def timed_download(url: str) -> tuple[float, int]:
    """Seconds until the last byte of `url` arrived, and its size."""
    started = time.perf_counter()
    size = 0
    with urllib.request.urlopen(url, timeout=600) as response:  # noqa: S310 - our own local server
        while chunk := response.read(1 << 20):
            size += len(chunk)
    return time.perf_counter() - started, size


def timed_ogr2ogr(database_url: str, folder: Path) -> tuple[float, int]:
    target = folder / "ogr2ogr.gpkg"
    target.unlink(missing_ok=True)
    started = time.perf_counter()
    subprocess.run(
        ["ogr2ogr", "-f", "GPKG", str(target), f"PG:{database_url}", "-sql", OGR_SQL, "-nln", "locations"],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started, target.stat().st_size


def worker_peak_mb(port: int) -> float:
    """The largest peak resident memory (VmHWM) among the gunicorn processes serving `port`."""
    peak = 0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if f"127.0.0.1:{port}".encode() not in (proc / "cmdline").read_bytes():
                continue
            for line in (proc / "status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
        except OSError:
            continue
    return peak / 1024


def main() -> int:
    url = scratch_database(PG_SERVER, DATABASE)
    load(url, N)
    port = free_port()
    # One worker: the peak memory measured is then that of the process that wrote every file.
    command = gunicorn_command("gis_service.wsgi", port, 1) + ["--timeout", "600"]
    with (
        tempfile.TemporaryDirectory() as scratch,
        running_server(command, server_env(url), port, "/healthz", "downloads") as base,
    ):
        folder = Path(scratch)
        items = f"{base}/ogc/collections/locations/items?crs={RD}&f="
        timed_download(items.replace("&f=", "&f=json&limit=10"))  # warm: the API object, the statistics
        idle_mb = worker_peak_mb(port)
        for name in ("gpkg", "fgb", "csv"):  # a tenth of the rows first: what GDAL and Arrow cost once loaded
            timed_download(items + name + f"&limit={N // 10}")
        small_mb = worker_peak_mb(port)
        results: dict[str, tuple[float, int]] = {}
        for name in ("gpkg", "fgb", "csv"):
            runs = [timed_download(items + name) for _ in range(REPEAT)]
            results[name] = (statistics.median(t for t, _ in runs), runs[0][1])
        peak_mb = worker_peak_mb(port)
        runs = [timed_ogr2ogr(url, folder) for _ in range(REPEAT)]
        results["ogr2ogr"] = (statistics.median(t for t, _ in runs), runs[0][1])

    ratio = results["gpkg"][0] / results["ogr2ogr"][0]
    rows = "\n".join(
        f"| {label} | {results[key][0]:.2f} s | {results[key][1] / 1e6:.1f} MB |"
        for key, label in (
            ("gpkg", "`items?f=gpkg` (GeoPackage, over HTTP, to the last byte)"),
            ("fgb", "`items?f=fgb` (FlatGeobuf)"),
            ("csv", "`items?f=csv` (CSV with WKT)"),
            ("ogr2ogr", "`ogr2ogr -f GPKG` from the same table (Debian GDAL 3.6, same rows and columns)"),
        )
    )
    body = f"""`python -m bench downloads`: {N:,} generated locations (those of `bench_ogc`), all of them in
EPSG:28992, served by gunicorn with one worker; medians of {REPEAT} runs.

| what | time | size |
|---|---|---|
{rows}

GeoPackage download / ogr2ogr: **{ratio:.2f}×** (bar: ≤ 2×). The worker's peak resident memory:
{idle_mb:.0f} MB after a page of items, {small_mb:.0f} MB after one download of each format with
{N // 10:,} locations (GDAL, pyogrio and Arrow loaded), {peak_mb:.0f} MB after all {3 * REPEAT} downloads of
{N:,}: rows are read from a server-side cursor {5000:,} at a time and written as they come
(`ogc/downloads.py`), so memory does not grow with the collection; the file is spooled to a
temporary folder and then streamed, so the answer's status is known before its first byte.
"""
    write_section("Downloads", body)
    print(body)
    return 0 if ratio <= 2 else 1


if __name__ == "__main__":
    raise SystemExit(main())
