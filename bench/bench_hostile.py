"""Hostile input benchmark: every hostile body of issue 17, sent to a running server, answered within 1 s
while the service still answers ordinary requests.

In a scratch database of its own with the demo loaded (`manage.py load_demo`: the 770 BGT locations
of Hilversum the issue was measured on), a production-like gunicorn (2 sync workers, DEBUG off, the
default limits, rate limits and statement timeout) is started on 127.0.0.1. Two ordinary clients
keep reading a feed page and checking a small drawn area the whole time; one hostile client sends
each body of the issue in turn (sizes as the issue gives them) and records its status and time.
Writes the `## Hostile input` section of docs/benchmarks.md. Bar in the issue: every hostile answer
within 1 s, a 4xx (never a 500), and the ordinary requests keep being answered.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import math
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

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

DATABASE = "bench_hostile"
WORKERS = 2
BAR_SECONDS = 1.0
RD = "http://www.opengis.net/def/crs/EPSG/0/28992"
ITEMS = "/ogc/collections/locations/items"
FILTER = ITEMS + "?filter-crs=" + urllib.parse.quote(RD, safe="")  # CQL2 JSON bodies in RD
# Around the demo's locations in Hilversum (RD New).
X0, Y0 = 140000.0, 470000.0


def polygon(vertices: int) -> dict[str, object]:
    """A valid ring of `vertices` positions (a 2 km circle over Hilversum), as a GeoJSON Polygon in RD."""
    steps = vertices - 1
    points = [[X0 + 2000 * math.cos(2 * math.pi * i / steps), Y0 + 2000 * math.sin(2 * math.pi * i / steps)]
              for i in range(steps)]  # fmt: skip
    return {"type": "Polygon", "coordinates": [[*points, points[0]]]}


def cql(op: str, vertices: int) -> str:
    return json.dumps({"op": op, "args": [{"property": "geometry"}, polygon(vertices)]})


def equals(count: int) -> str:
    comparisons = [{"op": "=", "args": [{"property": "type"}, f"t{i}"]} for i in range(count)]
    return json.dumps({"op": "and", "args": comparisons})


def empty_rings(count: int) -> str:
    """A Polygon of `count` empty rings, written compactly (3 bytes a ring) as the issue's 0.9 MB body was."""
    document = {"crs": RD, "geometry": {"type": "Polygon", "coordinates": [[]] * count}}
    return json.dumps(document, separators=(",", ":"))


@dataclass
class Hostile:
    name: str
    method: str
    path: str
    body: Callable[[], str] | None = None  # built lazily: some are megabytes
    expected: int = 400  # the class of answer: 400 any 4xx; 200 for the largest requests still allowed


HOSTILE = [
    Hostile("CQL2 JSON s_touches, 150,000 vertices (issue: 29.9 s)", "POST", FILTER, lambda: cql("s_touches", 150_000)),
    Hostile("CQL2 JSON s_crosses, 150,000 vertices (issue: 22.5 s)", "POST", FILTER, lambda: cql("s_crosses", 150_000)),
    Hostile("CQL2 JSON s_disjoint, 150,000 vertices (issue: 20.5 s)", "POST", FILTER,
            lambda: cql("s_disjoint", 150_000)),
    Hostile("CQL2 JSON s_touches, 1,001 vertices (one past CQL2_MAX_VERTICES)", "POST", FILTER,
            lambda: cql("s_touches", 1_001)),
    Hostile("CQL2 JSON s_touches, 1,000 vertices (at the limit: runs in PostgreSQL)", "POST", FILTER,
            lambda: cql("s_touches", 1_000), expected=200),
    Hostile("CQL2 JSON `and` with 1,000 arguments (issue: 120 s)", "POST", FILTER, lambda: equals(1_000)),
    Hostile("CQL2 JSON `and` with 400 arguments (issue: RecursionError)", "POST", FILTER, lambda: equals(400)),
    Hostile("CQL2 text, 150 ORed comparisons in the URL", "GET",
            ITEMS + "?filter=" + "%20OR%20".join(f"type%3D%27t{i}%27" for i in range(150))),
    Hostile("overlap check, 300,000 empty rings, 0.9 MB (issue: 13.8 s)", "POST", "/api/overlap-check/",
            lambda: empty_rings(300_000)),
    Hostile("overlap check, 3,400,000 empty rings, 10 MB, just under the cap (issue: ~90 s)", "POST",
            "/api/overlap-check/", lambda: empty_rings(3_400_000)),
    Hostile("overlap check, 20,000-vertex ring", "POST", "/api/overlap-check/",
            lambda: json.dumps({"crs": RD, "geometry": polygon(20_000)})),
    Hostile("overlap check, 10,000-vertex ring (at the vertex limit: built, validated, measured in GEOS)",
            "POST", "/api/overlap-check/", lambda: json.dumps({"crs": RD, "geometry": polygon(10_000)})),
    Hostile("overlap check, coordinate 1e999", "POST", "/api/overlap-check/",
            lambda: '{"geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1e999, 0], [10, 10], [0, 0]]]}}'),
    Hostile("overlap check, JSON nested 3,000 deep", "POST", "/api/overlap-check/",
            lambda: '{"geometry": ' + "[" * 3000 + "]" * 3000 + "}"),
    Hostile("overlap check, body over 10 MB", "POST", "/api/overlap-check/",
            lambda: '{"geometry": "' + "a" * (10 * 1024 * 1024 + 10) + '"}'),
]  # fmt: skip
# The initiative bodies of the issue (770 location_ids, a 5 MB description) need a resident's
# log-in and are bounded by the initiatives' own limits, not here.


@dataclass
class Answer:
    status: int
    seconds: float
    message: str


def send(port: int, method: str, path: str, body: str | None) -> Answer:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Accept": "application/json", "Connection": "close"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    payload = body.encode() if body is not None else None
    started = time.perf_counter()
    try:
        # A server that answers (413) without reading the whole body hangs up: its answer is still there.
        with contextlib.suppress(BrokenPipeError):
            connection.request(method, path, body=payload, headers=headers)
        response = connection.getresponse()
        data = response.read()
        status = response.status
    except (ConnectionError, http.client.HTTPException) as error:  # a server that hangs up is an answer too
        return Answer(0, time.perf_counter() - started, f"connection: {error}")
    finally:
        connection.close()
    seconds = time.perf_counter() - started
    try:
        document = json.loads(data)
        message = document.get("description") or document.get("detail") or json.dumps(document)[:200]
        if isinstance(document.get("error"), dict):
            message = document["error"].get("message", message)
    except (ValueError, AttributeError):
        message = data[:120].decode(errors="replace")
    return Answer(status, seconds, str(message)[:110])


@dataclass
class Ordinary:
    """Ordinary requests sent in a loop while the hostile ones run."""

    port: int
    latencies: list[float] = field(default_factory=list)
    failures: int = 0
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self, method: str, path: str, body: str | None) -> None:
        while not self.stop.is_set():
            answer = send(self.port, method, path, body)
            if answer.status == 200:
                self.latencies.append(answer.seconds * 1000)
            else:
                self.failures += 1
            time.sleep(0.05)


def load_demo(url: str) -> None:
    env = {**os.environ, "DATABASE_URL": django_database_url(url), "EMAIL_URL": "console://"}
    subprocess.run([sys.executable, "manage.py", "load_demo"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip


def main() -> int:
    url = scratch_database(PG_SERVER, DATABASE)
    started = time.perf_counter()
    load_demo(url)
    load_seconds = time.perf_counter() - started
    port = free_port()
    env = server_env(url, OVERLAP_CHECK_RATE="1000/min")  # the ordinary client alone checks ~10 areas a second
    results: list[tuple[Hostile, Answer]] = []
    ordinary = Ordinary(port)
    try:
        with running_server(gunicorn_command("gis_service.wsgi", port, WORKERS), env, port, "/healthz", "hostile"):
            square = [[X0, Y0], [X0 + 20, Y0], [X0 + 20, Y0 + 20], [X0, Y0 + 20], [X0, Y0]]
            small = json.dumps({"crs": RD, "geometry": {"type": "Polygon", "coordinates": [square]}})
            # The first request of a worker builds pygeoapi's API object, its first CQL2 text filter the
            # grammar, its first area PROJ's transformation (about 0.5 s each, once per process): warm
            # both workers up first, with as many requests at once as there are workers.
            for _round in range(2):
                warm_ups = [
                    threading.Thread(target=send, args=(port, "GET", ITEMS + "?limit=10&filter=type%3D%27x%27", None))
                    for _worker in range(WORKERS)
                ] + [
                    threading.Thread(target=send, args=(port, "POST", "/api/overlap-check/", small))
                    for _worker in range(WORKERS)
                ]
                for thread in warm_ups:
                    thread.start()
                for thread in warm_ups:
                    thread.join()
            threads = [
                threading.Thread(target=ordinary.run, args=("GET", ITEMS + "?limit=10", None)),
                threading.Thread(target=ordinary.run, args=("POST", "/api/overlap-check/", small)),
            ]
            for thread in threads:
                thread.start()
            time.sleep(1)
            for hostile in HOSTILE:
                body = hostile.body() if hostile.body else None
                results.append((hostile, send(port, hostile.method, hostile.path, body)))
                print(f"{results[-1][1].status} {results[-1][1].seconds:6.2f} s  {hostile.name}", flush=True)
            time.sleep(1)
            ordinary.stop.set()
            for thread in threads:
                thread.join()
    finally:
        drop_database(PG_SERVER, DATABASE)
    worst = max(answer.seconds for _, answer in results)
    as_expected = all(answer.status // 100 == hostile.expected // 100 for hostile, answer in results)
    rows = "\n".join(
        f"| {hostile.name} | {answer.status} | {answer.seconds * 1000:,.0f} | {answer.message.replace('|', '/')} |"
        for hostile, answer in results
    )
    p50 = statistics.median(ordinary.latencies) if ordinary.latencies else float("nan")
    p95 = statistics.quantiles(ordinary.latencies, n=20)[-1] if len(ordinary.latencies) > 1 else float("nan")
    body = f"""Command: `.venv/bin/python -m bench hostile` (part of `make bench`); the demo (`manage.py load_demo`,
770 BGT locations of Hilversum, as the issue measured, loaded in {load_seconds:.0f} s) in a scratch database,
{date.today().isoformat()}, {os.cpu_count()} cores (load average {os.getloadavg()[0]:.1f} at the end). gunicorn with
{WORKERS} sync workers, DEBUG off, default limits (`docs/security.md`); each hostile body sent once, in turn, while
two ordinary clients keep reading a feed page and checking a small drawn area.

| hostile request | status | ms | answer |
|---|---|---|---|
{rows}

Ordinary requests during the run: {len(ordinary.latencies)} answered 200 (p50 {p50:.0f} ms, p95 {p95:.0f} ms),
{ordinary.failures} not. Bar in issue 17: every hostile answer within {BAR_SECONDS:.0f} s and a 4xx — this run:
slowest {worst * 1000:,.0f} ms, {"met" if worst <= BAR_SECONDS else "NOT met"}; every answer as expected (4xx, and
200 for the filter at its limit): {"yes" if as_expected else "NO"}. The multi-megabyte bodies spend their time in
transfer and in counting brackets (C speed); none is parsed past the first count beyond a limit. A time includes any
wait for a worker busy with an ordinary request."""
    write_section("Hostile input", body)
    print(body)
    return 0 if worst <= BAR_SECONDS and as_expected and not ordinary.failures else 1
