"""The feed's gzip against no compression (issue 13: a gzip-compressed page of 1000 costs ≤ 1.3× the
uncompressed one on the server).

In a scratch database of its own with bench_ogc's 100,000 generated locations, our server under
gunicorn answers the same page of 1000 locations (CRS84, and EPSG:28992) to a client that accepts gzip
and to one that does not, in turns, each body read to its end; medians over HTTP on loopback, where
the server's work is what the time is made of. Writes the `## gzip` section of docs/benchmarks.md.
"""

from __future__ import annotations

import gzip
import json
import os
import statistics
import time
import urllib.request

from bench.bench_ogc import CRS84, RD, items_url, load, ours
from bench.results import write_section
from bench.support import PG_SERVER, drop_database, scratch_database

N = int(os.environ.get("BENCH_GZIP_N", "100000"))
ROUNDS = 21
DATABASE = "bench_gzip"


def timed(url: str, encoding: str) -> tuple[float, int, bytes]:
    """Seconds to the last byte, bytes on the wire, and the body as JSON text."""
    headers = {"Accept": "application/geo+json", "Accept-Encoding": encoding}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - our own local server
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=600) as response:  # noqa: S310 - our own local server
        body = response.read()
        compressed = response.headers.get("Content-Encoding") == "gzip"
    elapsed = time.perf_counter() - start
    if compressed != (encoding == "gzip"):
        raise RuntimeError(f"asked for {encoding}, got Content-Encoding {compressed and 'gzip' or 'none'}: {url}")
    return elapsed, len(body), gzip.decompress(body) if compressed else body


def main() -> int:
    url = scratch_database(PG_SERVER, DATABASE)
    rows = []
    try:
        load(url, N)
        with ours(url) as base:
            for label, crs in (("CRS84", CRS84), ("EPSG:28992", RD)):
                page = items_url(base + "/ogc", {"crs": crs})
                plain, zipped = timed(page, "identity"), timed(page, "gzip")  # warm-up, and the same answer
                if json.loads(plain[2])["features"] != json.loads(zipped[2])["features"]:
                    raise RuntimeError("the gzipped page holds other features than the plain one")
                times: dict[str, list[float]] = {"identity": [], "gzip": []}
                for _ in range(ROUNDS):
                    for encoding in times:
                        times[encoding].append(timed(page, encoding)[0])
                plain_ms = statistics.median(times["identity"]) * 1000
                gzip_ms = statistics.median(times["gzip"]) * 1000
                rows.append(
                    f"| {label} | {plain_ms:.1f} ms, {plain[1] / 1e6:.2f} MB"
                    f" | {gzip_ms:.1f} ms, {zipped[1] / 1e6:.2f} MB | {gzip_ms / plain_ms:.2f}× |"
                )
                print(rows[-1], flush=True)
    finally:
        drop_database(PG_SERVER, DATABASE)
    load_average = os.getloadavg()[0]
    body = f"""Command: `make bench` (or `.venv/bin/python -m bench gzip`); {N:,} generated locations (bench_ogc's), our
server under gunicorn (2 workers), `items?limit=1000` asked by a client that accepts gzip and by one that does
not, in turns, {ROUNDS} rounds after a warm-up, each body read to its end over loopback; medians. 2 cores,
{time.strftime("%Y-%m-%d")}, 1-minute load average {load_average:.1f} at the end.

| page of 1000 | without compression | gzip | gzip / without |
|---|---|---|---|
{chr(10).join(rows)}

Bar in issue 13: a gzip-compressed page of 1000 costs ≤ 1.3× the uncompressed one on the server.
"""
    write_section("gzip", body)
    return 0
